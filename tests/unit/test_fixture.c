/*
 * test_fixture.c: the unit tests' fixture (fixture.c): a fresh data folder with its database,
 * the app opened on it, an account of each built-in role, and nothing left behind.
 */
#include "core/common.h"

#include <criterion/criterion.h>

#include "app/app.h"
#include "core/actor.h"
#include "core/fs.h"
#include "fixture.h"
#include "org/org.h"
#include "store/store.h"
#include "vault/vault.h"

static void setup(void)
{
	fixture_setup("fixture");
}

TestSuite(fixture, .init = setup, .fini = fixture_teardown);

Test(fixture, the_folder_holds_a_migrated_database)
{
	int v = 0;

	cr_assert(fs_exists(fx.db));
	cr_assert_not(fs_exists(fx.keys), "keys are made only for the app");
	cr_assert_eq(store_version(fx.st, &v), 0);
	cr_assert_gt(v, 0);
}

Test(fixture, each_built_in_role_and_plain_staff_has_one_account)
{
	unsigned roles[FIXTURE_ACTORS] = { 0 };
	size_t i;

	for (i = 0; role_names[i]; i++)
		roles[i] = 1u << i;
	cr_assert_eq(i, FIXTURE_ACTORS - 1);
	for (i = 0; i < FIXTURE_ACTORS; i++) {
		const struct actor *a = fixture_actor(roles[i]);
		struct user u = { 0 };

		cr_assert_gt(a->user_id, 0);
		cr_assert_eq(a->roles, roles[i]);
		cr_assert_eq(org_user_load(fx.st, a->user_id, &u), 0);
		cr_assert_eq(u.roles, roles[i]);
		cr_assert_str_eq(u.username, a->username);
		user_release(&u);
		cr_assert_eq(fixture_actor(roles[i]), a, "made once");
	}
}

Test(fixture, the_app_opens_the_folder)
{
	struct app *a = fixture_app();

	cr_assert_str_eq(a->data_dir, fx.dir);
	cr_assert_not_null(app_store(a));
	cr_assert_not(vault_is_unsealed(a->vault));
	cr_assert_eq(fixture_app(), a);
}

Test(fixture, teardown_removes_the_folder)
{
	char dir[sizeof(fx.dir)];

	(void)fixture_app();
	memcpy(dir, fx.dir, sizeof(dir));
	fixture_teardown();
	cr_assert_not(fs_exists(dir));
	cr_assert_null(fx.st);
}
