/*
 * test_audit.c: the audit trail against a real database (src/audit/audit.c,
 * audit_store.c, audit_verify.c): appends in transactions, checkpoints, the verifier
 * against each way of editing the SQLite file directly (SECURITY.md F6), proofs and the
 * search. Each test gets a fresh data folder under /tmp.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "audit/audit_int.h"
#include "audit/merkle.h"
#include "audit/note.h"
#include "core/actor.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/fs.h"
#include "core/util.h"
#include "fixture.h"
#include "store/store.h"

static const char *dir;
static const char *keys_dir;
static struct store *st;
static struct audit_signer *sg;

static const struct actor alice = { .user_id = 12, .username = "alice", .source = "10.0.0.1" };
static const struct actor bob = { .user_id = 13, .username = "bob", .source = "10.0.0.2" };

static void setup(void)
{
	fixture_setup("audit");
	st = fx.st;
	dir = fx.dir;
	keys_dir = fx.keys;
	cr_assert_eq(audit_keys_create(keys_dir, "isms.test/audit"), 0);
	cr_assert_eq(audit_signer_load(keys_dir, &sg), 0);
}

static void teardown(void)
{
	audit_signer_free(sg);
	fixture_teardown();
}

TestSuite(audit, .init = setup, .fini = teardown);

/* --- helpers -------------------------------------------------------------------------- */

static void exec(const char *sql)
{
	cr_assert_eq(store_exec_script(st, sql), 0, "%s: %s", sql, store_errmsg(st));
}

static void append_n(int n, int per_tx)
{
	static const char *const actions[] = { "user.create", "user.update", "login.success",
		                               "record.approve", "policy.update" };
	int i;

	for (i = 0; i < n; i++) {
		json_t *after = json_pack("{s:i, s:s}", "i", i, "note", "审计 \"quoted\"\n");
		struct audit_event ev = {
			.actor = i % 3 ? &alice : &bob,
			.action = actions[i % 5],
			.object = i % 2 ? "user:7" : "department:3",
			.outcome = i % 7 ? "success" : "denied",
			.after = after,
		};

		if (i % per_tx == 0)
			cr_assert_eq(store_begin(st), 0);
		cr_assert_eq(audit_append(st, &ev), 0);
		if (i % per_tx == per_tx - 1 || i == n - 1)
			cr_assert_eq(store_commit(st), 0);
		json_decref(after);
	}
}

static char *checkpoint(void)
{
	char *note = NULL;

	cr_assert_eq(audit_checkpoint(st, sg, &note), 0);
	return note;
}

static int verify(const char *external, struct audit_verify_result *res)
{
	return audit_verify(st, audit_signer_verifier(sg), external, res);
}

static void assert_intact(int64_t entries, int64_t checkpoints, const char *external)
{
	struct audit_verify_result res;
	int r = verify(external, &res);

	cr_assert_eq(r, 0, "verify: %d: %s", r, res.message);
	cr_assert_str_eq(res.message, "");
	cr_assert_eq(res.entries, entries);
	cr_assert_eq(res.checkpoints, checkpoints);
	cr_assert_eq(res.first_bad_seq, 0);
}

static void assert_damaged(const char *external, int64_t bad_seq, const char *message)
{
	struct audit_verify_result res;
	int r = verify(external, &res);

	cr_assert_eq(r, -ERR_CONFLICT, "verify returned %d: %s", r, res.message);
	cr_assert_str_eq(res.message, message);
	cr_assert_eq(res.first_bad_seq, bad_seq, "first bad %" PRId64, res.first_bad_seq);
}

static int64_t count(const char *sql)
{
	struct stmt *s = store_stmt(st, sql); /* sql: a literal, cached by its address */
	int64_t v;

	cr_assert_eq(store_step(st, s), 1);
	v = store_col_int(s, 0);
	store_reset(s);
	return v;
}

static char *entry_of(int64_t seq)
{
	char *e = NULL;
	size_t n = 0;

	cr_assert_eq(audit_store_entry_get(st, seq, &e, &n), 0);
	return e;
}

static int put_node(void *ctx, unsigned level, uint64_t idx, const unsigned char h[MERKLE_HASH_LEN])
{
	struct stmt *s = ctx;

	store_bind_int(s, 1, level);
	store_bind_int(s, 2, (int64_t)idx);
	store_bind_blob(s, 3, h, MERKLE_HASH_LEN);
	cr_assert_eq(store_exec_stmt(st, s), 0);
	return 0;
}

/* What an attacker with write access and our code would do after editing entries: rebuild
 * audit_tree from the (edited) entries so every stored hash matches them again. */
static void rebuild_tree(void)
{
	struct stmt *q, *ins;
	struct merkle_frontier f;
	unsigned char leaf[MERKLE_HASH_LEN];
	json_t *entries = json_array(), *e;
	size_t i;

	exec("DROP TRIGGER IF EXISTS audit_tree_no_delete; DELETE FROM audit_tree");
	/* the entries first: the tree is written while nothing else steps */
	q = store_stmt(st, "SELECT entry FROM audit_log ORDER BY seq");
	while (store_step(st, q) == 1)
		json_array_append_new(entries,
		                      json_stringn(store_col_blob(q, 0), store_col_bytes(q, 0)));
	store_reset(q);
	ins = store_stmt(st, "INSERT INTO audit_tree (level, idx, hash) VALUES ($1, $2, $3)");
	merkle_frontier_init(&f);
	json_array_foreach(entries, i, e) {
		merkle_leaf_hash(json_string_value(e), json_string_length(e), leaf);
		cr_assert_eq(merkle_frontier_push(&f, leaf, put_node, ins), 0);
	}
	json_decref(entries);
}

/* The root a checkpoint note carries, after checking its signature. */
static void note_root(const char *note, int64_t *size, unsigned char root[MERKLE_HASH_LEN])
{
	struct note_verifier v;
	struct note_checkpoint cp;
	size_t tl = 0;

	cr_assert_eq(note_verifier_parse(audit_signer_verifier(sg), &v), 0);
	cr_assert_eq(note_open(note, strlen(note), &v, &tl), 0);
	cr_assert_eq(note_checkpoint_parse(note, tl, &cp), 0);
	cr_assert_str_eq(cp.origin, "isms.test/audit");
	*size = (int64_t)cp.size;
	memcpy(root, cp.root, MERKLE_HASH_LEN);
}

static void b64_hash(json_t *j, unsigned char out[MERKLE_HASH_LEN])
{
	const char *s = json_string_value(j);

	cr_assert_not_null(s);
	cr_assert_eq(b64_decode(s, strlen(s), out, MERKLE_HASH_LEN), MERKLE_HASH_LEN);
}

static size_t b64_proof(json_t *a, unsigned char *out)
{
	size_t i;

	cr_assert(json_is_array(a));
	for (i = 0; i < json_array_size(a); i++)
		b64_hash(json_array_get(a, i), out + i * MERKLE_HASH_LEN);
	return json_array_size(a);
}

/* --- appending ------------------------------------------------------------------------ */

Test(audit, append_outside_a_transaction_is_refused)
{
	struct audit_event ev = { .actor = &alice, .action = "user.create" };
	int64_t size = -1;

	cr_assert_eq(audit_append(st, &ev), -ERR_INTERNAL);
	cr_assert_eq(audit_size(st, &size), 0);
	cr_assert_eq(size, 0);
}

Test(audit, F2_entry_records_who_what_when_where_result)
{
	json_t *before = json_pack("{s:s}", "name", "Bob"),
	       *after = json_pack("{s:s}", "name", "Robert");
	json_t *detail = json_pack("{s:b}", "forced", 1), *e;
	struct audit_event ev = { .actor = &alice,
		                  .action = "user.update",
		                  .object = "user:13",
		                  .outcome = "success",
		                  .before = before,
		                  .after = after,
		                  .detail = detail };
	char *text, *canon;
	int64_t t = 0;

	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(audit_append(st, &ev), 0);
	cr_assert_eq(store_commit(st), 0);
	text = entry_of(1);
	e = json_loads(text, 0, NULL);
	cr_assert_not_null(e);
	/* canonical: what json_dumps with sorted keys and no white space gives back */
	canon = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
	cr_assert_str_eq(text, canon);
	cr_assert_eq(
	        strncmp(text,
	                "{\"action\":\"user.update\",\"actor\":\"alice\",\"actor_id\":12,"
	                "\"after\":{\"name\":\"Robert\"},\"before\":{\"name\":\"Bob\"},"
	                "\"detail\":{\"forced\":true},\"object\":\"user:13\","
	                "\"outcome\":\"success\",\"seq\":1,\"source\":\"10.0.0.1\",\"time\":\"",
	                strlen("{\"action\":\"user.update\",\"actor\":\"alice\",\"actor_id\":12,"
	                       "\"after\":{\"name\":\"Robert\"},\"before\":{\"name\":\"Bob\"},"
	                       "\"detail\":{\"forced\":true},\"object\":\"user:13\","
	                       "\"outcome\":\"success\",\"seq\":1,\"source\":\"10.0.0.1\",\"time\":\"")),
	        0, "%s", text);
	cr_assert_eq(time_parse_rfc3339(json_string_value(json_object_get(e, "time")), &t), 0);
	cr_assert_lt(llabs(t - (int64_t)time(NULL)), 5);
	cr_assert_str_eq(json_string_value(json_object_get(e, "time")) + 19, "Z", "UTC");
	/* the borrowed values are still the caller's */
	cr_assert_eq(before->refcount, 1);
	json_decref(e);
	free(canon);
	free(text);
	json_decref(before);
	json_decref(after);
	json_decref(detail);
}

Test(audit, F5_control_characters_cannot_forge_entries)
{
	struct audit_event ev = { .actor = &alice,
		                  .action = "login.failure",
		                  .object = "x\n{\"seq\":9}\r\t\x01" };
	char *text;

	cr_assert_eq(audit_record(st, &ev), 0);
	text = entry_of(1);
	cr_assert_null(strchr(text, '\n'));
	cr_assert_null(strchr(text, '\r'));
	cr_assert_not_null(strstr(text, "x\\n{\\\"seq\\\":9}\\r\\t\\u0001"));
	free(text);
}

Test(audit, defaults_and_invalid_events)
{
	struct audit_event ev = { .action = "system.start" };
	char *text;

	cr_assert_eq(audit_record(st, &ev), 0);
	text = entry_of(1);
	cr_assert_not_null(strstr(text, "\"actor\":\"system\",\"actor_id\":0,"));
	cr_assert_not_null(strstr(text, "\"object\":null,\"outcome\":\"success\""));
	cr_assert_not_null(strstr(text, "\"source\":\"system\""));
	free(text);
	ev.outcome = "maybe";
	cr_assert_eq(audit_record(st, &ev), -ERR_INVALID);
	ev.outcome = NULL;
	ev.action = "";
	cr_assert_eq(audit_record(st, &ev), -ERR_INVALID);
	ev.action = NULL;
	cr_assert_eq(audit_record(st, &ev), -ERR_INVALID);
	ev.action = "bad\xff";
	cr_assert_eq(audit_record(st, &ev), -ERR_INVALID);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit_log"), 1, "failed records leave nothing");
	cr_assert_eq(store_in_tx(st), false);
	assert_intact(1, 0, NULL);
}

Test(audit, rollback_leaves_no_entry_and_no_node)
{
	struct audit_event ev = { .actor = &alice, .action = "user.create" };

	append_n(3, 3);
	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(audit_append(st, &ev), 0);
	cr_assert_eq(audit_append(st, &ev), 0);
	store_rollback(st);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit_log"), 3);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit_tree"), 3 + 1);
	append_n(1, 1);
	assert_intact(4, 0, NULL);
}

Test(audit, tree_holds_every_perfect_subtree_and_no_more)
{
	append_n(1000, 100);
	/* n leaves + (n - popcount(n)) inner perfect subtrees: amortized two rows per entry */
	cr_assert_eq(count("SELECT COUNT(*) FROM audit_tree"), 2 * 1000 - __builtin_popcount(1000));
	cr_assert_eq(count("SELECT MAX(level) FROM audit_tree"), 9);
}

Test(audit, thousand_entries_checkpoint_and_verify)
{
	struct merkle_nodes src;
	unsigned char root[MERKLE_HASH_LEN], want[MERKLE_HASH_LEN];
	char *note, *again = NULL;
	int64_t size;

	append_n(1000, 100);
	note = checkpoint();
	note_root(note, &size, root);
	cr_assert_eq(size, 1000);
	/* the root equals the RFC 9162 root recomputed from the entries */
	rebuild_tree(); /* (a faithful rebuild changes nothing) */
	src = audit_store_nodes(st);
	cr_assert_eq(merkle_tree_root(&src, 1000, want), 0);
	cr_assert_arr_eq(root, want, MERKLE_HASH_LEN);
	assert_intact(1000, 1, NULL);
	assert_intact(1000, 2, note);
	cr_assert_eq(audit_checkpoint_latest(st, &again), 0);
	cr_assert_str_eq(again, note);
	free(again);
	free(note);
}

Test(audit, verify_reports_bytes_hashed)
{
	struct audit_verify_result res;
	int64_t bytes;

	append_n(100, 100);
	bytes = count("SELECT SUM(length(CAST(entry AS BLOB)) + 1) FROM audit_log");
	cr_assert_eq(verify(NULL, &res), 0);
	/* every leaf once, and each of the 100 - popcount(100) inner nodes once */
	cr_assert_eq(res.bytes_hashed, (uint64_t)bytes + 65 * (100 - 3));
}

/* --- checkpoints ---------------------------------------------------------------------- */

Test(audit, empty_log_checkpoint_has_the_empty_root)
{
	unsigned char root[MERKLE_HASH_LEN], empty[MERKLE_HASH_LEN];
	char *note, *n2;
	int64_t size = -1;

	cr_assert_eq(audit_checkpoint_latest(st, &note), -ERR_NOT_FOUND);
	note = checkpoint();
	note_root(note, &size, root);
	merkle_empty_root(empty);
	cr_assert_eq(size, 0);
	cr_assert_arr_eq(root, empty, MERKLE_HASH_LEN);
	cr_assert_not_null(strstr(
	        note,
	        "isms.test/audit\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n\xe2\x80\x94 isms.test/audit "));
	assert_intact(0, 2, note); /* stored and given */
	n2 = checkpoint();
	cr_assert_str_eq(n2, note, "no new checkpoint while the log has not grown");
	cr_assert_eq(count("SELECT COUNT(*) FROM audit_checkpoints"), 1);
	append_n(1, 1);
	free(n2);
	n2 = checkpoint();
	cr_assert_str_neq(n2, note);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit_checkpoints"), 2);
	assert_intact(1, 3, note);
	free(note);
	free(n2);
}

Test(audit, checkpoint_refuses_to_sign_over_damage)
{
	char *note, *n2 = NULL;

	append_n(20, 20);
	note = checkpoint();
	append_n(5, 5);
	/* rewrite the tree under entry 3: the log no longer extends the signed checkpoint */
	exec("DROP TRIGGER audit_log_no_update;"
	     "UPDATE audit_log SET entry = replace(entry, 'alice', 'mallory') WHERE seq = 3");
	rebuild_tree();
	cr_assert_eq(audit_checkpoint(st, sg, &n2), -ERR_CONFLICT);
	cr_assert_null(n2);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit_checkpoints"), 1, "nothing signed");
	cr_assert_eq(store_in_tx(st), false);
	/* a log shorter than its last checkpoint is refused too */
	exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > 10");
	cr_assert_eq(audit_checkpoint(st, sg, &n2), -ERR_CONFLICT);
	free(note);
}

Test(audit, checkpoint_inside_a_transaction_is_refused)
{
	char *note = NULL;

	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(audit_checkpoint(st, sg, &note), -ERR_INTERNAL);
	store_rollback(st);
}

/* --- F6: a direct edit of the SQLite file is detected ---------------------------------- */

Test(audit, F6_direct_sqlite_edit_detected)
{
	char *note;

	append_n(1000, 100);
	note = checkpoint();
	exec("DROP TRIGGER audit_log_no_update;"
	     "UPDATE audit_log SET entry = replace(entry, '\"outcome\":\"denied\"',"
	     " '\"outcome\":\"success\"') WHERE seq = 43");
	cr_assert_eq(count("SELECT outcome = 'success' FROM audit_log WHERE seq = 43"), 1);
	assert_damaged(NULL, 43,
	               "entry 43: hash does not match the audit tree (the entry was altered)");
	assert_damaged(note, 43,
	               "entry 43: hash does not match the audit tree (the entry was altered)");
	free(note);
}

Test(audit, F6_edit_with_recomputed_leaf_hash_detected_by_the_tree)
{
	append_n(100, 100);
	exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_tree_no_update;"
	     "UPDATE audit_log SET entry = replace(entry, 'alice', 'mallory') WHERE seq = 42");
	{
		/* recompute leaf 41's stored hash from the edited entry */
		unsigned char h[MERKLE_HASH_LEN];
		char *e = entry_of(42);
		struct stmt *s = store_stmt(
		        st, "UPDATE audit_tree SET hash = $1 WHERE level = 0 AND idx = 41");

		merkle_leaf_hash(e, strlen(e), h);
		store_bind_blob(s, 1, h, sizeof(h));
		cr_assert_eq(store_exec_stmt(st, s), 0);
		free(e);
	}
	assert_damaged(
	        NULL, 0,
	        "entries 41..42: hash does not match the audit tree node over them (level 1, "
	        "index 20; an entry and its hash, or the tree, were altered)");
}

Test(audit, F6_rewritten_tree_detected_by_the_signed_checkpoint)
{
	char *note;

	append_n(500, 100);
	note = checkpoint();
	append_n(10, 10);
	exec("DROP TRIGGER audit_log_no_update;"
	     "UPDATE audit_log SET entry = replace(entry, 'alice', 'mallory') WHERE seq = 77");
	rebuild_tree();
	assert_damaged(
	        NULL, 0,
	        "the stored checkpoint at size 500 does not match entries 1..500: one of them "
	        "was altered together with the audit tree");
	free(note);
}

Test(audit, F6_deleted_entry_detected)
{
	append_n(600, 100);
	exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 500");
	assert_damaged(NULL, 500, "entry 500 is missing (the log goes from 499 to 501)");
	exec("DELETE FROM audit_log WHERE seq = 501");
	assert_damaged(NULL, 500, "entries 500..501 are missing");
	exec("DELETE FROM audit_log WHERE seq = 1");
	assert_damaged(NULL, 1, "entry 1 is missing (the log goes from 0 to 2)");
}

Test(audit, F6_truncation_detected_by_exported_checkpoint)
{
	char *exported;

	append_n(1000, 100);
	exported = checkpoint(); /* the operator keeps this outside the server */
	/* the attacker removes the newest entries, their tree nodes and every checkpoint */
	exec("DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_tree_no_delete;"
	     "DROP TRIGGER audit_checkpoints_no_delete;"
	     "DELETE FROM audit_log WHERE seq > 900;"
	     "DELETE FROM audit_tree WHERE (idx + 1) << level > 900;"
	     "DELETE FROM audit_checkpoints");
	assert_intact(900, 0, NULL); /* consistent on its own: that is why checkpoints leave */
	assert_damaged(exported, 901,
	               "the log has 900 entries but the given checkpoint covers 1000: entries "
	               "901..1000 are missing");
	free(exported);
}

Test(audit, F6_truncation_with_stored_checkpoint_or_tree_left_detected)
{
	char *note;

	append_n(300, 100);
	note = checkpoint();
	exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > 250");
	assert_damaged(NULL, 251,
	               "the log has 250 entries but the stored checkpoint covers 300: entries "
	               "251..300 are missing");
	exec("DROP TRIGGER audit_checkpoints_no_delete; DELETE FROM audit_checkpoints");
	assert_damaged(NULL, 251,
	               "the audit tree covers entries after 250, the last in the log: entries from "
	               "251 on were removed");
	/* even with only the inner nodes left behind */
	exec("DROP TRIGGER audit_tree_no_delete; DELETE FROM audit_tree WHERE level = 0 AND idx >= 250");
	assert_damaged(NULL, 251,
	               "the audit tree covers entries after 250, the last in the log: entries from "
	               "251 on were removed");
	free(note);
}

Test(audit, F6_missing_tree_node_detected)
{
	append_n(64, 64);
	exec("DROP TRIGGER audit_tree_no_delete; DELETE FROM audit_tree WHERE level = 0 AND idx = 9");
	assert_damaged(NULL, 10, "entry 10: missing from the audit tree");
	exec("INSERT INTO audit_tree VALUES (0, 9, zeroblob(32))");
	assert_damaged(NULL, 10,
	               "entry 10: hash does not match the audit tree (the entry was altered)");
	rebuild_tree();
	exec("DELETE FROM audit_tree WHERE level = 3 AND idx = 2");
	assert_damaged(
	        NULL, 0,
	        "entries 17..24: the audit tree node over them (level 3, index 2) is missing");
}

Test(audit, F6_forged_checkpoints_detected)
{
	char *note;

	append_n(10, 10);
	note = checkpoint();
	exec("DROP TRIGGER audit_checkpoints_no_update;"
	     "UPDATE audit_checkpoints SET note = replace(note, '\n10\n', '\n11\n')");
	assert_damaged(NULL, 0,
	               "the stored checkpoint at size 10 has a signature that does not verify with "
	               "the audit key");
	exec("UPDATE audit_checkpoints SET note = 'junk'");
	assert_damaged(NULL, 0,
	               "the stored checkpoint at size 10 is not a well-formed signed note");
	{
		struct stmt *s = store_stmt(
		        st, "UPDATE audit_checkpoints SET note = $1, root = zeroblob(32)");

		store_bind_text(s, 1, note);
		cr_assert_eq(store_exec_stmt(st, s), 0);
	}
	assert_damaged(NULL, 0,
	               "the stored checkpoint at size 10 does not match its signed note (the "
	               "checkpoint row was altered)");
	free(note);
}

Test(audit, checkpoint_signed_by_another_key_is_damage_when_stored)
{
	struct audit_signer *other = NULL;
	char *other_dir = fs_join(dir, "other"), *note = NULL;
	struct audit_verify_result res;

	append_n(10, 10);
	cr_assert_eq(audit_keys_create(other_dir, "isms.test/audit"), 0);
	cr_assert_eq(audit_signer_load(other_dir, &other), 0);
	cr_assert_eq(audit_checkpoint(st, other, &note), 0);
	assert_damaged(NULL, 0, "the stored checkpoint at size 10 is not signed by the audit key");
	/* and as an external checkpoint it is refused as input */
	exec("DROP TRIGGER audit_checkpoints_no_delete; DELETE FROM audit_checkpoints");
	cr_assert_eq(verify(note, &res), -ERR_INVALID);
	cr_assert_str_eq(res.message, "the given checkpoint is not signed by the audit key");
	audit_signer_free(other);
	free(other_dir);
	free(note);
}

Test(audit, external_checkpoint_with_another_root_is_damage)
{
	unsigned char root[MERKLE_HASH_LEN];
	char *text, *fake = NULL;

	append_n(600, 100);
	/* a genuine signature over a different history of the first 500 entries */
	memset(root, 0x42, sizeof(root));
	text = note_checkpoint_text("isms.test/audit", 500, root);
	cr_assert_eq(note_sign(&sg->key, text, &fake), 0);
	assert_damaged(fake, 0,
	               "the given checkpoint (size 500) does not match entries 1..500: one of them "
	               "was altered together with the audit tree");
	free(text);
	free(fake);
	/* size 1 names the entry */
	text = note_checkpoint_text("isms.test/audit", 1, root);
	cr_assert_eq(note_sign(&sg->key, text, &fake), 0);
	assert_damaged(fake, 1,
	               "the given checkpoint (size 1) does not match entry 1: it was altered "
	               "together with the audit tree");
	free(text);
	free(fake);
}

Test(audit, malformed_external_checkpoints_and_keys_are_invalid_input)
{
	struct audit_verify_result res;
	char *note, *big, *other;
	unsigned char root[MERKLE_HASH_LEN] = { 0 };

	append_n(5, 5);
	note = checkpoint();
	cr_assert_eq(verify("junk", &res), -ERR_INVALID);
	cr_assert_str_eq(res.message, "the given checkpoint is not a well-formed signed note");
	big = xcalloc(1, NOTE_MAX + 10);
	memset(big, 'a', NOTE_MAX + 5);
	cr_assert_eq(verify(big, &res), -ERR_TOO_LARGE);
	cr_assert_str_eq(res.message, "the given checkpoint is larger than 4 KiB");
	free(big);
	/* a note that is signed but whose text is not a checkpoint */
	cr_assert_eq(note_sign(&sg->key, "hello\n", &big), 0);
	cr_assert_eq(verify(big, &res), -ERR_INVALID);
	cr_assert_str_eq(res.message, "the given checkpoint is not a well-formed checkpoint");
	free(big);
	/* a checkpoint of another origin */
	other = note_checkpoint_text("other.log", 1, root);
	cr_assert_eq(note_sign(&sg->key, other, &big), 0);
	cr_assert_eq(verify(big, &res), -ERR_INVALID);
	cr_assert_str_eq(
	        res.message,
	        "the given checkpoint is for another log (its origin is not the audit key's name)");
	free(big);
	free(other);
	cr_assert_eq(audit_verify(st, "not a key", NULL, &res), -ERR_INVALID);
	cr_assert_eq(audit_verify(st, NULL, NULL, &res), -ERR_INVALID);
	cr_assert_eq(store_in_tx(st), false);
	free(note);
}

/* --- proofs --------------------------------------------------------------------------- */

Test(audit, inclusion_proof_from_the_db_verifies_against_the_checkpoint_root)
{
	unsigned char root[MERKLE_HASH_LEN], jroot[MERKLE_HASH_LEN], leaf[MERKLE_HASH_LEN],
	        want_leaf[MERKLE_HASH_LEN], proof[MERKLE_MAX_PROOF * MERKLE_HASH_LEN];
	json_t *j = NULL;
	char *note;
	int64_t size, seq;
	size_t n;

	append_n(777, 100);
	note = checkpoint();
	append_n(10, 10); /* proofs are for the checkpoint's tree, not the newest one */
	note_root(note, &size, root);
	for (seq = 1; seq <= 777; seq += 37) {
		cr_assert_eq(audit_inclusion_proof(st, seq, 0, &j), 0);
		cr_assert_eq(json_integer_value(json_object_get(j, "seq")), seq);
		cr_assert_eq(json_integer_value(json_object_get(j, "leaf_index")), seq - 1);
		cr_assert_eq(json_integer_value(json_object_get(j, "tree_size")), 777);
		cr_assert_str_eq(json_string_value(json_object_get(j, "checkpoint")), note);
		b64_hash(json_object_get(j, "root"), jroot);
		cr_assert_arr_eq(jroot, root, MERKLE_HASH_LEN);
		b64_hash(json_object_get(j, "leaf_hash"), leaf);
		merkle_leaf_hash(json_string_value(json_object_get(j, "entry")),
		                 strlen(json_string_value(json_object_get(j, "entry"))), want_leaf);
		cr_assert_arr_eq(leaf, want_leaf, MERKLE_HASH_LEN);
		n = b64_proof(json_object_get(j, "proof"), proof);
		cr_assert(merkle_verify_inclusion(leaf, (uint64_t)seq - 1, 777, proof, n, root),
		          "entry %" PRId64, seq);
		json_decref(j);
	}
	/* an explicit size, with no checkpoint there */
	cr_assert_eq(audit_inclusion_proof(st, 787, 787, &j), 0);
	cr_assert(json_is_null(json_object_get(j, "checkpoint")));
	json_decref(j);
	cr_assert_eq(audit_inclusion_proof(st, 778, 0, &j), -ERR_NOT_FOUND);
	cr_assert_eq(audit_inclusion_proof(st, 0, 0, &j), -ERR_NOT_FOUND);
	cr_assert_eq(audit_inclusion_proof(st, 1, 788, &j), -ERR_NOT_FOUND);
	cr_assert_eq(audit_inclusion_proof(st, 1, -1, &j), -ERR_INVALID);
	cr_assert_eq(store_in_tx(st), false);
	free(note);
}

Test(audit, inclusion_proof_without_checkpoint_uses_the_current_tree)
{
	json_t *j = NULL;

	append_n(3, 3);
	cr_assert_eq(audit_inclusion_proof(st, 2, 0, &j), 0);
	cr_assert_eq(json_integer_value(json_object_get(j, "tree_size")), 3);
	cr_assert(json_is_null(json_object_get(j, "checkpoint")));
	json_decref(j);
}

Test(audit, consistency_proof_between_checkpoints_verifies)
{
	unsigned char r1[MERKLE_HASH_LEN], r2[MERKLE_HASH_LEN],
	        proof[MERKLE_MAX_PROOF * MERKLE_HASH_LEN], jr[MERKLE_HASH_LEN];
	char *n1, *n2;
	int64_t s1, s2;
	json_t *j = NULL;
	size_t n;

	append_n(333, 100);
	n1 = checkpoint();
	append_n(444, 100);
	n2 = checkpoint();
	note_root(n1, &s1, r1);
	note_root(n2, &s2, r2);
	cr_assert_eq(audit_consistency_proof(st, s1, s2, &j), 0);
	cr_assert_eq(json_integer_value(json_object_get(j, "first")), 333);
	cr_assert_eq(json_integer_value(json_object_get(j, "second")), 777);
	b64_hash(json_object_get(j, "first_root"), jr);
	cr_assert_arr_eq(jr, r1, MERKLE_HASH_LEN);
	b64_hash(json_object_get(j, "second_root"), jr);
	cr_assert_arr_eq(jr, r2, MERKLE_HASH_LEN);
	n = b64_proof(json_object_get(j, "proof"), proof);
	cr_assert(merkle_verify_consistency(333, 777, r1, r2, proof, n));
	json_decref(j);
	cr_assert_eq(audit_consistency_proof(st, 0, 777, &j), 0);
	cr_assert_eq(json_array_size(json_object_get(j, "proof")), 0);
	json_decref(j);
	cr_assert_eq(audit_consistency_proof(st, 5, 4, &j), -ERR_INVALID);
	cr_assert_eq(audit_consistency_proof(st, 1, 778, &j), -ERR_NOT_FOUND);
	assert_intact(777, 3, n1);
	free(n1);
	free(n2);
}

/* --- search --------------------------------------------------------------------------- */

static json_t *list(struct audit_filter f, int64_t *next)
{
	json_t *items = NULL;

	cr_assert_eq(audit_list(st, &f, &items, next), 0);
	return items;
}

Test(audit, list_filters_and_pages_newest_first)
{
	json_t *items, *it;
	int64_t next = -1, prev = INT64_MAX, total = 0;
	size_t i;

	append_n(100, 50);
	items = list((struct audit_filter){ .limit = 10 }, &next);
	cr_assert_eq(json_array_size(items), 10);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 0), "seq")), 100);
	cr_assert_eq(next, 91);
	json_decref(items);
	/* page through everything bob did: the pages join without gaps or repeats */
	next = 0;
	do {
		items = list((struct audit_filter){ .actor = "bob", .after = next, .limit = 7 },
		             &next);
		json_array_foreach(items, i, it) {
			int64_t seq = json_integer_value(json_object_get(it, "seq"));

			cr_assert_lt(seq, prev);
			cr_assert_eq((seq - 1) % 3, 0, "bob acts when i %% 3 == 0");
			cr_assert_str_eq(json_string_value(json_object_get(it, "actor")), "bob");
			prev = seq;
			total++;
		}
		json_decref(items);
	} while (next != 0);
	cr_assert_eq(total, 34);
	items = list((struct audit_filter){ .action = "user.create", .limit = 500 }, &next);
	cr_assert_eq(json_array_size(items), 20);
	cr_assert_eq(next, 0);
	json_decref(items);
	items = list((struct audit_filter){ .action = "user.", .limit = 500 }, &next);
	cr_assert_eq(json_array_size(items), 40, "prefix");
	json_decref(items);
	items = list((struct audit_filter){ .action = "user", .limit = 500 }, &next);
	cr_assert_eq(json_array_size(items), 0, "without the dot it is an exact match");
	json_decref(items);
	items = list((struct audit_filter){ .object = "user:7", .outcome = "denied", .limit = 500 },
	             &next);
	json_array_foreach(items, i, it) {
		cr_assert_str_eq(json_string_value(json_object_get(it, "object")), "user:7");
		cr_assert_str_eq(json_string_value(json_object_get(it, "outcome")), "denied");
	}
	/* i odd and i % 7 == 0 for i < 100: 7, 21, 35, 49, 63, 77, 91 */
	cr_assert_eq(json_array_size(items), 7);
	json_decref(items);
	items = list(
	        (struct audit_filter){ .actor = "alice", .action = "login.success", .limit = 500 },
	        &next);
	cr_assert_gt(json_array_size(items), 0);
	json_array_foreach(items, i, it) {
		cr_assert_str_eq(json_string_value(json_object_get(it, "action")), "login.success");
	}
	json_decref(items);
}

Test(audit, list_filters_by_time)
{
	json_t *items = NULL;
	int64_t next, now = (int64_t)time(NULL);

	append_n(5, 5);
	items = list((struct audit_filter){ .from = now - 60, .to = now + 60, .limit = 100 },
	             &next);
	cr_assert_eq(json_array_size(items), 5);
	json_decref(items);
	items = list((struct audit_filter){ .to = now - 3600, .limit = 100 }, &next);
	cr_assert_eq(json_array_size(items), 0);
	json_decref(items);
	items = list((struct audit_filter){ .from = now + 3600, .limit = 100 }, &next);
	cr_assert_eq(json_array_size(items), 0);
	json_decref(items);
}

Test(audit, list_rejects_bad_limits_and_shows_damaged_entries)
{
	json_t *items = NULL;
	int64_t next;

	cr_assert_eq(audit_list(st, &(struct audit_filter){ .limit = 0 }, &items, &next),
	             -ERR_INVALID);
	cr_assert_eq(audit_list(st, &(struct audit_filter){ .limit = 501 }, &items, &next),
	             -ERR_INVALID);
	cr_assert_eq(
	        audit_list(st, &(struct audit_filter){ .limit = 5, .after = -1 }, &items, &next),
	        -ERR_INVALID);
	append_n(3, 3);
	exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET entry = '[\"not an object\"]' WHERE seq = 2");
	items = list((struct audit_filter){ .limit = 5 }, &next);
	cr_assert_eq(json_array_size(items), 3);
	cr_assert(json_is_true(json_object_get(json_array_get(items, 1), "damaged")));
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 1), "seq")), 2);
	json_decref(items);
}

/* --- keys ----------------------------------------------------------------------------- */

Test(audit, E6_keys_are_private_files)
{
	struct buf b = BUF_INIT(1024);
	struct audit_signer *s2 = NULL;
	char *key = fs_join(keys_dir, "audit.key"), *pub = fs_join(keys_dir, "audit.pub");
	struct note_verifier v;
	struct stat sb;

	cr_assert_eq(stat(keys_dir, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0700);
	cr_assert_eq(stat(key, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600);
	cr_assert_eq(stat(pub, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600);
	cr_assert_eq(fs_read(pub, 1024, &b), 0);
	cr_assert_eq(b.data[b.len - 1], '\n');
	b.data[b.len - 1] = '\0';
	cr_assert_str_eq(b.data, audit_signer_verifier(sg));
	cr_assert_eq(note_verifier_parse(b.data, &v), 0);
	cr_assert_str_eq(v.name, "isms.test/audit");
	buf_release(&b);
	cr_assert_eq(fs_read(key, 1024, &b), 0);
	cr_assert_eq(strncmp(b.data, "PRIVATE+KEY+isms.test/audit+", 28), 0);
	buf_release_secret(&b);
	/* never overwritten */
	cr_assert_eq(audit_keys_create(keys_dir, "isms.test/audit"), -ERR_CONFLICT);
	cr_assert_eq(audit_keys_create(keys_dir, "bad name"), -ERR_INVALID);
	/* a key others can read is refused */
	cr_assert_eq(chmod(key, 0640), 0);
	cr_assert_eq(audit_signer_load(keys_dir, &s2), -ERR_FORBIDDEN);
	cr_assert_eq(chmod(key, 0600), 0);
	cr_assert_eq(audit_signer_load(keys_dir, &s2), 0);
	cr_assert_str_eq(audit_signer_verifier(s2), audit_signer_verifier(sg));
	audit_signer_free(s2);
	cr_assert_eq(audit_signer_load(dir, &s2), -ERR_NOT_FOUND);
	free(key);
	free(pub);
}

/* The attack the signing key beside the log allows: rewrite an entry, rebuild the tree, drop
 * the stored checkpoints and sign new ones. The log is consistent on its own again; only a
 * checkpoint kept outside shows it, and the message names the range sensibly. */
Test(audit, F6_resigned_rewrite_detected_only_by_an_outside_checkpoint)
{
	char *exported, *resigned;

	append_n(500, 100);
	exported = checkpoint();
	exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_checkpoints_no_delete;"
	     "UPDATE audit_log SET entry = replace(entry, 'alice', 'mallory') WHERE seq = 77;"
	     "DELETE FROM audit_checkpoints");
	rebuild_tree();
	resigned = checkpoint();
	assert_intact(500, 1, NULL);
	assert_damaged(exported, 0,
	               "the given checkpoint (size 500) does not match the first 500 entries, "
	               "although the stored checkpoints do: the log and its checkpoints were "
	               "rewritten after it was taken");
	free(exported);
	free(resigned);
}
