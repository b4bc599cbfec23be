/*
 * fixture.h: the setup that the unit tests of a data folder share. Criterion runs each test
 * in a process of its own, so one fixture per process serves it:
 *
 *	static void setup(void)
 *	{
 *		fixture_setup("org");
 *	}
 *
 *	TestSuite(org, .init = setup, .fini = fixture_teardown);
 *
 * The folder starts with its migrated database only. The opened struct app and the accounts
 * of the built-in roles are made on first use, so a test sees only what it asked for: no
 * keys, no people and no audit entries it did not make.
 */
#ifndef ISMS_TESTS_UNIT_FIXTURE_H
#define ISMS_TESTS_UNIT_FIXTURE_H

#include "core/actor.h"

struct app;
struct store;

#define FIXTURE_ACTORS 9 /* the eight built-in roles of core/actor.h, then plain staff */

struct fixture {
	char dir[64];                        /* the data folder: /tmp/isms-<name>-XXXXXX */
	char *db;                            /* dir/isms.db */
	char *keys;                          /* dir/keys (made by fixture_app or by the test) */
	struct store *st;                    /* dir/isms.db, migrated (fixture_setup) */
	struct app *app;                     /* fixture_app() */
	struct actor actors[FIXTURE_ACTORS]; /* fixture_actor() */
};

extern struct fixture fx;

/* A new empty folder /tmp/isms-<name>-XXXXXX, for tests that make their own files. */
void fixture_folder(const char *name);
/* A new folder with its database created and migrated, open in fx.st; libsodium ready and
 * fast password hashes (their cost is tested in auth). */
void fixture_setup(const char *name);
/* The folder opened as isms serve opens it (after fixture_setup; its keys are made first).
 * Opening it also brings the pack's backup jobs into the database and installs the app's
 * hooks (notifications, deadlines), which is why it waits to be asked for. */
struct app *fixture_app(void);
/* A new account holding roles (0: none), made by the local operator, as the actor of a
 * verb; username is borrowed. */
struct actor fixture_user(const char *username, unsigned roles);
/* The account of one built-in role (ROLE_*), or of plain staff for 0, named after its role
 * ("sys_admin", …, "staff"); made on first use, the same one afterwards. */
const struct actor *fixture_actor(unsigned role);
/* Frees the app and the connection and removes the folder with all it holds. */
void fixture_teardown(void);

#endif
