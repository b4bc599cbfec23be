/*
 * fixture.c: a unit test's data folder, its database, app and people (fixture.h).
 */
#include "core/common.h"
#include "app/module.h"
#include "fixture.h"

#include <criterion/criterion.h>
#include <sodium.h>

#include "app/app.h"
#include "audit/audit.h"
#include "crypto/password.h"
#include "crypto/seal.h"
#include "core/embedded.h"
#include "core/fs.h"
#include "org/org.h"
#include "store/store.h"

struct fixture fx;

static const struct actor operator_ = { .user_id = 0, .username = "cli:test", .source = "cli" };

void fixture_folder(const char *name)
{
	cr_assert_geq(sodium_init(), 0);
	(void)snprintf(fx.dir, sizeof(fx.dir), "/tmp/isms-%s-XXXXXX", name);
	cr_assert_not_null(mkdtemp(fx.dir));
	fx.db = fs_join(fx.dir, "isms.db");
	fx.keys = fs_join(fx.dir, "keys");
}

void fixture_setup(const char *name)
{
	fixture_folder(name);
	password_set_cost(1, 8 * 1024 * 1024);
	cr_assert_eq(store_open(fx.db, true, &fx.st), 0);
	cr_assert_gt(store_migrate(fx.st, embedded_migrations, embedded_migrations_count), 0);
	/* Who holds which permission: the built-in pack's roles (app_open uses the folder's). */
	cr_assert_eq(modules_builtin_grants(), 0);
}

struct app *fixture_app(void)
{
	if (fx.app)
		return fx.app;
	cr_assert_eq(seal_key_create(fx.keys), 0);
	cr_assert_eq(audit_keys_create(fx.keys, "isms.test/fixture"), 0);
	cr_assert_eq(app_open(fx.dir, &fx.app), 0);
	return fx.app;
}

struct actor fixture_user(const char *username, unsigned roles)
{
	struct user_input in = { .username = username, .display_name = username };
	struct problem p = { 0 };
	char *pw = NULL;
	int64_t id = 0;

	cr_assert_eq(org_user_create(fx.st, &operator_, &in, roles, &id, &pw, &p), 0, "%s",
	             p.detail);
	free(pw);
	return (struct actor){
		.user_id = id, .username = username, .source = "test", .roles = roles
	};
}

const struct actor *fixture_actor(unsigned role)
{
	const char *name = role ? role_name(role) : "staff";
	size_t i = role ? (size_t)__builtin_ctz(role) : FIXTURE_ACTORS - 1;

	cr_assert_not_null(name, "0x%x is not one built-in role", role);
	if (fx.actors[i].user_id == 0)
		fx.actors[i] = fixture_user(name, role);
	return &fx.actors[i];
}

void fixture_teardown(void)
{
	app_free(fx.app);
	store_free(fx.st);
	if (fx.dir[0])
		(void)fs_remove_tree(fx.dir);
	free(fx.db);
	free(fx.keys);
	memset(&fx, 0, sizeof(fx));
}
