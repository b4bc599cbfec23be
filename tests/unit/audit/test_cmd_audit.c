/*
 * test_cmd_audit.c: `isms audit verify|checkpoint|proof` (src/cli/cmd_audit.c), run
 * in-process against a data folder under /tmp, with stdout and stderr captured.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "core/actor.h"
#include "core/fs.h"
#include "fixture.h"
#include "store/store.h"

static const char *dir;
static const char *db_path;

static const struct actor alice = { .user_id = 12, .username = "alice", .source = "cli" };

static void exec_sql(const char *sql)
{
	struct store *st = NULL;

	cr_assert_eq(store_open(db_path, false, &st), 0);
	cr_assert_eq(store_exec_script(st, sql), 0, "%s", store_errmsg(st));
	store_free(st);
}

static void append(int n)
{
	struct store *st = NULL;
	int i;

	cr_assert_eq(store_open(db_path, false, &st), 0);
	cr_assert_eq(store_begin(st), 0);
	for (i = 0; i < n; i++) {
		struct audit_event ev = { .actor = &alice,
			                  .action = "user.create",
			                  .object = "user:1" };

		cr_assert_eq(audit_append(st, &ev), 0);
	}
	cr_assert_eq(store_commit(st), 0);
	store_free(st);
}

static void setup(void)
{
	fixture_setup("cli");
	dir = fx.dir;
	db_path = fx.db;
	cr_assert_eq(audit_keys_create(fx.keys, "isms.test/cli"), 0);
	append(50);
}

TestSuite(cmd_audit, .init = setup, .fini = fixture_teardown);

static char *slurp(FILE *f)
{
	long n;
	char *s;

	(void)fflush(f);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)n + 1);
	cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return s;
}

/* Runs `isms audit ARGS...` (NULL-terminated); out and err receive what it printed. */
static int run(char **out, char **err, ...)
{
	char *argv[16];
	int argc = 0, rc, so, se;
	FILE *fo = tmpfile(), *fe = tmpfile();
	va_list ap;

	argv[argc++] = (char *)(uintptr_t) "audit";
	va_start(ap, err);
	for (;;) {
		const char *a = va_arg(ap, const char *);

		if (!a)
			break;
		argv[argc++] = (char *)(uintptr_t)a;
	}
	va_end(ap);
	argv[argc] = NULL;
	(void)fflush(stdout);
	(void)fflush(stderr);
	so = dup(1);
	se = dup(2);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	rc = cmd_audit(argc, argv);
	(void)fflush(stdout);
	(void)fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	*out = slurp(fo);
	*err = slurp(fe);
	return rc;
}

Test(cmd_audit, usage_errors_exit_2)
{
	char *o, *e;

	cr_assert_eq(run(&o, &e, NULL), 2);
	cr_assert_not_null(strstr(e, "usage: isms audit verify"));
	free(o), free(e);
	cr_assert_eq(run(&o, &e, "verify", NULL), 2, "no --data");
	free(o), free(e);
	cr_assert_eq(run(&o, &e, "frobnicate", "--data", dir, NULL), 2);
	free(o), free(e);
	cr_assert_eq(run(&o, &e, "verify", "--data", dir, "extra", NULL), 2);
	free(o), free(e);
	cr_assert_eq(run(&o, &e, "verify", "--data", dir, "--bogus", NULL), 2);
	free(o), free(e);
	cr_assert_eq(run(&o, &e, "proof", "--data", dir, NULL), 2, "no SEQ");
	free(o), free(e);
	cr_assert_eq(run(&o, &e, "proof", "--data", dir, "seven", NULL), 2);
	cr_assert_str_eq(e, "isms: 'seven' is not an entry number\n");
	free(o), free(e);
	cr_assert_eq(run(&o, &e, "--help", NULL), 0);
	cr_assert_not_null(strstr(o, "usage: isms audit verify"));
	free(o), free(e);
}

Test(cmd_audit, verify_checkpoint_and_proof)
{
	char *o, *e, *note, *cp_path;
	json_t *j;

	cr_assert_eq(run(&o, &e, "verify", "--data", dir, NULL), 0, "%s", e);
	cr_assert_eq(strncmp(o, "ok: 50 entries, 0 checkpoints verified\n", 39), 0, "%s", o);
	/* Without an outside checkpoint it says so: consistency, not authenticity. */
	cr_assert_not_null(strstr(o, "\nconsistent, not proven authentic:"), "%s", o);
	free(o), free(e);
	cr_assert_eq(run(&note, &e, "checkpoint", "--data", dir, NULL), 0, "%s", e);
	cr_assert_eq(strncmp(note, "isms.test/cli\n50\n", 17), 0, "%s", note);
	free(e);
	cp_path = fs_join(dir, "checkpoint.txt");
	cr_assert_eq(fs_write_atomic(cp_path, note, strlen(note), 0644), 0);
	cr_assert_eq(run(&o, &e, "verify", "--data", dir, "--checkpoint", cp_path, NULL), 0, "%s",
	             e);
	cr_assert_str_eq(o, "ok: 50 entries, 2 checkpoints verified\n"
	                    "authentic since the given checkpoint: the log contains it unchanged "
	                    "and extends it\n");
	free(o), free(e);
	cr_assert_eq(run(&o, &e, "proof", "--data", dir, "7", NULL), 0, "%s", e);
	j = json_loads(o, 0, NULL);
	cr_assert_not_null(j);
	cr_assert_eq(json_integer_value(json_object_get(j, "seq")), 7);
	cr_assert_eq(json_integer_value(json_object_get(j, "tree_size")), 50);
	cr_assert_str_eq(json_string_value(json_object_get(j, "checkpoint")), note);
	json_decref(j);
	free(o), free(e);
	cr_assert_eq(run(&o, &e, "proof", "--data", dir, "51", NULL), 1);
	free(o), free(e);
	free(note);
	free(cp_path);
}

Test(cmd_audit, F6_direct_sqlite_edit_detected_by_isms_audit_verify)
{
	char *o, *e;

	exec_sql("DROP TRIGGER audit_log_no_update;"
	         "UPDATE audit_log SET entry = replace(entry, 'alice', 'mallory') WHERE seq = 7");
	cr_assert_eq(run(&o, &e, "verify", "--data", dir, NULL), 1);
	cr_assert_str_eq(o, "");
	cr_assert_str_eq(e, "isms: audit trail damaged: entry 7: hash does not match the audit "
	                    "tree (the entry was altered)\n");
	free(o), free(e);
}

Test(cmd_audit, F6_truncation_detected_with_the_exported_checkpoint)
{
	char *o, *e, *note, *cp_path = fs_join(dir, "cp");

	cr_assert_eq(run(&note, &e, "checkpoint", "--data", dir, NULL), 0);
	free(e);
	cr_assert_eq(fs_write_atomic(cp_path, note, strlen(note), 0644), 0);
	exec_sql("DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_tree_no_delete;"
	         "DROP TRIGGER audit_checkpoints_no_delete;"
	         "DELETE FROM audit_log WHERE seq > 40;"
	         "DELETE FROM audit_tree WHERE (idx + 1) << level > 40;"
	         "DELETE FROM audit_checkpoints");
	cr_assert_eq(run(&o, &e, "verify", "--data", dir, NULL), 0);
	free(o), free(e);
	cr_assert_eq(run(&o, &e, "verify", "--data", dir, "--checkpoint", cp_path, NULL), 1);
	cr_assert_str_eq(e, "isms: audit trail damaged: the log has 40 entries but the given "
	                    "checkpoint covers 50: entries 41..50 are missing\n");
	free(o), free(e);
	free(note);
	free(cp_path);
}

Test(cmd_audit, bad_inputs_fail_with_a_message)
{
	char *o, *e, *p = fs_join(dir, "junk");

	cr_assert_eq(run(&o, &e, "verify", "--data", "/nonexistent/isms", NULL), 1);
	cr_assert_str_eq(e, "isms: '/nonexistent/isms' is not an isms data folder (no isms.db)\n");
	free(o), free(e);
	cr_assert_eq(fs_write_atomic(p, "junk\n", 5, 0644), 0);
	cr_assert_eq(run(&o, &e, "verify", "--data", dir, "--checkpoint", p, NULL), 1);
	cr_assert_str_eq(e, "isms: cannot verify the audit trail: the given checkpoint is not a "
	                    "well-formed signed note\n");
	free(o), free(e);
	cr_assert_eq(run(&o, &e, "verify", "--data", dir, "--checkpoint", "/nonexistent", NULL), 1);
	free(o), free(e);
	cr_assert_eq(run(&o, &e, "verify", "--data", dir, "--key", p, NULL), 1);
	cr_assert_not_null(strstr(e, "is not a signed-note verifier key"));
	free(o), free(e);
	free(p);
}
