/*
 * test_migrate.c: the store's migration runner: numbered, transactional, a copy taken
 * first, and a failed upgrade leaves the data exactly as it was.
 */
#include <criterion/criterion.h>
#include <unistd.h>

#include "core/common.h"
#include "core/embedded.h"
#include "fixture.h"
#include "store/store.h"

static const char *dir;

static void setup(void)
{
	fixture_folder("migrate");
	dir = fx.dir;
}

TestSuite(store, .fini = fixture_teardown);

static char *path(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

#define MIG1                                                                                       \
 {                                                                                                 \
  "0001_a.sql",                                                                                    \
	  "CREATE TABLE t (x INTEGER) STRICT; INSERT INTO t VALUES (1); "                          \
	  "PRAGMA user_version = 1;",                                                              \
	  0                                                                                        \
 }
#define MIG2                                                                                       \
 {                                                                                                 \
  "0002_b.sql", "INSERT INTO t VALUES (2); PRAGMA user_version = 2;", 0                            \
 }

static const struct embedded_file good[] = { MIG1, MIG2 };
static const struct embedded_file broken[] = {
	MIG1,
	MIG2,
	/* Changes data, then fails: everything of this step must roll back. */
	{ "0003_c.sql",
	  "INSERT INTO t VALUES (3); DELETE FROM t WHERE x = 1; "
	  "INSERT INTO no_such_table VALUES (1); PRAGMA user_version = 3;",
	  0 },
};

static const struct embedded_file forgetful[] = {
	MIG1,
	MIG2,
	{ "0003_c.sql", "INSERT INTO t VALUES (3);", 0 },
};

static int count_rows(struct store *st)
{
	static const char SQL[] = "SELECT count(*), sum(x) FROM t";
	struct stmt *s = store_stmt(st, SQL);
	int n;

	cr_assert_eq(store_step(st, s), 1);
	n = store_col_i32(s, 0) * 100 + store_col_i32(s, 1);
	store_reset(s);
	return n;
}

Test(store, migrations_apply_in_order, .init = setup)
{
	char *db = path("a.db");
	struct store *st;
	int v;

	cr_assert_eq(store_open(db, true, &st), 0);
	cr_assert_eq(store_migrate(st, good, 2), 2);
	cr_assert_eq(store_version(st, &v), 0);
	cr_assert_eq(v, 2);
	cr_assert_eq(store_migrate(st, good, 2), 0, "a second run applies nothing");
	cr_assert_eq(count_rows(st), 203);
	store_free(st);
	free(db);
}

Test(store, failed_migration_leaves_data_unchanged, .init = setup)
{
	char *db = path("b.db"), *copy = path("b.db.pre-0003");
	struct store *st;
	int v;

	cr_assert_eq(store_open(db, true, &st), 0);
	cr_assert_eq(store_migrate(st, good, 2), 2);
	cr_assert_lt(store_migrate(st, broken, 3), 0);
	cr_assert_eq(store_version(st, &v), 0);
	cr_assert_eq(v, 2);
	cr_assert_eq(count_rows(st), 203, "rows of the failed step must be rolled back");
	cr_assert_eq(access(copy, F_OK), 0, "a copy is taken before upgrading");
	store_free(st);
	free(db);
	free(copy);
}

Test(store, copy_removed_once_the_upgrade_checks_sound, .init = setup)
{
	static const struct embedded_file one[] = { MIG1 };
	char *db = path("e.db"), *copy = path("e.db.pre-0002");
	struct store *st;

	cr_assert_eq(store_open(db, true, &st), 0);
	cr_assert_eq(store_migrate(st, one, 1), 1);
	cr_assert_eq(store_migrate(st, good, 2), 1);
	cr_assert_neq(access(copy, F_OK), 0, "no unencrypted copy is left in the data folder");
	cr_assert_eq(count_rows(st), 203);
	store_free(st);
	free(db);
	free(copy);
}

Test(store, migration_must_set_its_version, .init = setup)
{
	char *db = path("c.db");
	struct store *st;
	int v;

	cr_assert_eq(store_open(db, true, &st), 0);
	cr_assert_eq(store_migrate(st, good, 2), 2);
	cr_assert_lt(store_migrate(st, forgetful, 3), 0);
	cr_assert_eq(store_version(st, &v), 0);
	cr_assert_eq(v, 2);
	cr_assert_eq(count_rows(st), 203);
	store_free(st);
	free(db);
}

Test(store, pragmas_on_open, .init = setup)
{
	static const char SQL_JM[] = "PRAGMA journal_mode";
	static const char SQL_SYNC[] = "PRAGMA synchronous";
	static const char SQL_FK[] = "PRAGMA foreign_keys";
	char *db = path("d.db");
	struct store *st;
	struct stmt *s;

	cr_assert_eq(store_open(db, true, &st), 0);
	s = store_stmt(st, SQL_JM);
	cr_assert_eq(store_step(st, s), 1);
	cr_assert_str_eq(store_col_text(s, 0), "wal");
	store_reset(s);
	s = store_stmt(st, SQL_SYNC);
	cr_assert_eq(store_step(st, s), 1);
	cr_assert_eq(store_col_i32(s, 0), 2, "synchronous=FULL");
	store_reset(s);
	s = store_stmt(st, SQL_FK);
	cr_assert_eq(store_step(st, s), 1);
	cr_assert_eq(store_col_i32(s, 0), 1);
	store_reset(s);
	store_free(st);
	free(db);
}

Test(store, shipped_schema_is_strict_and_applies, .init = setup)
{
	static const char SQL_NONSTRICT[] =
	        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
	        "AND strict = 0 AND name NOT LIKE 'sqlite_%'";
	char *db = path("e.db");
	struct store *st;
	struct stmt *s;

	cr_assert_eq(store_open(db, true, &st), 0);
	cr_assert_gt(store_migrate(st, embedded_migrations, embedded_migrations_count), 0);
	s = store_stmt(st, SQL_NONSTRICT);
	cr_assert_eq(store_step(st, s), 0, "every table is STRICT");
	store_reset(s);
	store_free(st);
	free(db);
}
