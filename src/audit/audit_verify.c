/*
 * audit_verify.c: reading the audit trail back: the verifier, inclusion and consistency
 * proofs, and the search.
 *
 * The verifier streams the log once (SELECT seq, entry ORDER BY seq), hashes every entry
 * into a Merkle frontier and, as each perfect subtree completes, compares it with the
 * stored audit_tree node of that level, read by one cursor per level walking in step. At
 * each checkpoint size the frontier's root is compared with the signed root. So every
 * entry, every stored node and every checkpoint is checked in one pass, with one leaf
 * hash and on average one node hash per entry, and the first problem in log order is the
 * one reported.
 */
#include "core/common.h"
#include "core/util.h"
#include "audit/audit_int.h"
#include "store/store.h"

/* One root the log must reproduce: a stored checkpoint or the external one. */
struct expect {
	int64_t size;
	unsigned char root[MERKLE_HASH_LEN];
	bool external;
};

struct vstate {
	struct store *st;
	struct audit_verify_result *res;
	sqlite3_stmt *level[MERKLE_MAX_LEVELS];
	struct expect *exp;
	size_t nexp, cap;
	int64_t good_size; /* largest checkpoint size already matched */
};

static int fail(struct audit_verify_result *res, int r, int64_t bad_seq, const char *fmt, ...)
	PRINTF(4, 5);

static int fail(struct audit_verify_result *res, int r, int64_t bad_seq, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(res->message, sizeof(res->message), fmt, ap);
	va_end(ap);
	res->first_bad_seq = bad_seq;
	return r;
}

static const char *checkpoint_label(const struct expect *e, char *buf, size_t n)
{
	if (e->external)
		(void)snprintf(buf, n, "the given checkpoint (size %" PRId64 ")", e->size);
	else
		(void)snprintf(buf, n, "the stored checkpoint at size %" PRId64, e->size);
	return buf;
}

/* Compares a completed subtree with the stored node (level, idx). */
static int on_node(void *ctx, unsigned level, uint64_t idx, const unsigned char h[MERKLE_HASH_LEN])
{
	struct vstate *vs = ctx;
	int64_t first = (int64_t)(idx << level) + 1, last = (int64_t)((idx + 1) << level);
	sqlite3_stmt *s;
	int r;

	if (!vs->level[level])
		vs->level[level] = audit_store_scan_level(vs->st, level);
	s = vs->level[level];
	r = store_step(vs->st, s);
	if (r < 0)
		return r;
	if (r == 0 || sqlite3_column_int64(s, 0) != (int64_t)idx) {
		if (level == 0)
			return fail(vs->res, -ERR_CONFLICT, first,
				    "entry %" PRId64 ": missing from the audit tree", first);
		return fail(vs->res, -ERR_CONFLICT, 0,
			    "entries %" PRId64 "..%" PRId64 ": the audit tree node over them "
			    "(level %u, index %" PRIu64 ") is missing",
			    first, last, level, idx);
	}
	if (sqlite3_column_bytes(s, 1) != MERKLE_HASH_LEN ||
	    memcmp(sqlite3_column_blob(s, 1), h, MERKLE_HASH_LEN) != 0) {
		if (level == 0)
			return fail(vs->res, -ERR_CONFLICT, first,
				    "entry %" PRId64 ": hash does not match the audit tree (the entry "
				    "was altered)",
				    first);
		return fail(vs->res, -ERR_CONFLICT, 0,
			    "entries %" PRId64 "..%" PRId64 ": hash does not match the audit tree "
			    "node over them (level %u, index %" PRIu64 "; an entry and its hash, "
			    "or the tree, were altered)",
			    first, last, level, idx);
	}
	return 0;
}

static void expect_add(struct vstate *vs, int64_t size, const unsigned char root[MERKLE_HASH_LEN],
		       bool external)
{
	if (vs->nexp == vs->cap) {
		vs->cap = vs->cap ? vs->cap * 2 : 16;
		vs->exp = xrealloc(vs->exp, vs->cap * sizeof(*vs->exp));
	}
	vs->exp[vs->nexp].size = size;
	memcpy(vs->exp[vs->nexp].root, root, MERKLE_HASH_LEN);
	vs->exp[vs->nexp].external = external;
	vs->nexp++;
}

static int expect_cmp(const void *a, const void *b)
{
	const struct expect *x = a, *y = b;

	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return (int)x->external - (int)y->external;
}

/* Opens and parses a checkpoint note; *what names the problem on failure. */
static int open_checkpoint(const char *note, size_t len, const struct note_verifier *v,
			   struct note_checkpoint *cp, const char **what)
{
	size_t text_len = 0;
	int r;

	r = note_open(note, len, v, &text_len);
	if (r == -ERR_TOO_LARGE)
		*what = "is larger than 4 KiB";
	else if (r == -ERR_NOT_FOUND)
		*what = "is not signed by the audit key";
	else if (r == -ERR_UNAUTHENTICATED)
		*what = "has a signature that does not verify with the audit key";
	else if (r < 0)
		*what = "is not a well-formed signed note";
	if (r < 0)
		return r;
	r = note_checkpoint_parse(note, text_len, cp);
	if (r < 0) {
		*what = "is not a well-formed checkpoint";
		return r;
	}
	if (!STREQ(cp->origin, v->name)) {
		*what = "is for another log (its origin is not the audit key's name)";
		return -ERR_INVALID;
	}
	if (cp->size > (uint64_t)INT64_MAX) {
		*what = "has an impossible size";
		return -ERR_INVALID;
	}
	return 0;
}

static int load_checkpoints(struct vstate *vs, const struct note_verifier *v)
{
	sqlite3_stmt *s = audit_store_scan_checkpoints(vs->st);
	struct note_checkpoint cp;
	const char *what = NULL;
	int r;

	while ((r = store_step(vs->st, s)) == 1) {
		int64_t size = sqlite3_column_int64(s, 0);
		const char *note = (const char *)sqlite3_column_text(s, 2);
		size_t len = (size_t)sqlite3_column_bytes(s, 2);

		if (open_checkpoint(note ? note : "", len, v, &cp, &what) < 0) {
			r = fail(vs->res, -ERR_CONFLICT, 0,
				 "the stored checkpoint at size %" PRId64 " %s", size, what);
			break;
		}
		if ((int64_t)cp.size != size || sqlite3_column_bytes(s, 1) != MERKLE_HASH_LEN ||
		    memcmp(sqlite3_column_blob(s, 1), cp.root, MERKLE_HASH_LEN) != 0) {
			r = fail(vs->res, -ERR_CONFLICT, 0,
				 "the stored checkpoint at size %" PRId64 " does not match its "
				 "signed note (the checkpoint row was altered)",
				 size);
			break;
		}
		expect_add(vs, size, cp.root, false);
		vs->res->checkpoints++;
	}
	store_reset(s);
	return r;
}

static int load_external(struct vstate *vs, const struct note_verifier *v, const char *note)
{
	struct note_checkpoint cp;
	const char *what = NULL;
	int r;

	r = open_checkpoint(note, strlen(note), v, &cp, &what);
	if (r < 0)
		return fail(vs->res, r == -ERR_TOO_LARGE ? r : -ERR_INVALID, 0,
			    "the given checkpoint %s", what);
	expect_add(vs, (int64_t)cp.size, cp.root, true);
	vs->res->checkpoints++;
	return 0;
}

/* Compares the root at the frontier's size with every checkpoint of that size. */
static int check_roots(struct vstate *vs, struct merkle_frontier *fr, size_t *pos)
{
	unsigned char root[MERKLE_HASH_LEN];
	bool have = false;
	char label[96];

	while (*pos < vs->nexp && vs->exp[*pos].size == (int64_t)fr->size) {
		const struct expect *e = &vs->exp[*pos];

		if (!have) {
			merkle_frontier_root(fr, root);
			have = true;
		}
		if (memcmp(root, e->root, MERKLE_HASH_LEN) != 0) {
			int64_t from = vs->good_size + 1;

			if (e->size == 0)
				return fail(vs->res, -ERR_CONFLICT, 0,
					    "%s does not have the root of the empty log",
					    checkpoint_label(e, label, sizeof(label)));
			return fail(vs->res, -ERR_CONFLICT, from == e->size ? from : 0,
				    "%s does not match entries %" PRId64 "..%" PRId64
				    ": one of them was altered together with the audit tree",
				    checkpoint_label(e, label, sizeof(label)), from, e->size);
		}
		vs->good_size = e->size;
		(*pos)++;
	}
	return 0;
}

static int stream(struct vstate *vs)
{
	struct audit_verify_result *res = vs->res;
	sqlite3_stmt *es = audit_store_scan_entries(vs->st);
	struct merkle_frontier fr;
	unsigned char leaf[MERKLE_HASH_LEN];
	int64_t expected = 1, n;
	size_t pos = 0;
	unsigned l;
	int r;

	merkle_frontier_init(&fr);
	r = check_roots(vs, &fr, &pos);
	if (r < 0)
		goto out;
	while ((r = store_step(vs->st, es)) == 1) {
		int64_t seq = sqlite3_column_int64(es, 0);
		const void *p = sqlite3_column_blob(es, 1);
		size_t len = (size_t)sqlite3_column_bytes(es, 1);

		if (seq != expected) {
			if (seq < expected)
				r = fail(res, -ERR_CONFLICT, seq,
					 "entry %" PRId64 ": invalid sequence number", seq);
			else if (seq == expected + 1)
				r = fail(res, -ERR_CONFLICT, expected,
					 "entry %" PRId64 " is missing (the log goes from %" PRId64
					 " to %" PRId64 ")",
					 expected, expected - 1, seq);
			else
				r = fail(res, -ERR_CONFLICT, expected,
					 "entries %" PRId64 "..%" PRId64 " are missing", expected,
					 seq - 1);
			goto out;
		}
		merkle_leaf_hash(p ? p : "", len, leaf);
		res->bytes_hashed += 1 + len;
		r = merkle_frontier_push(&fr, leaf, on_node, vs);
		if (r < 0)
			goto out;
		res->entries++;
		expected++;
		if (pos < vs->nexp && vs->exp[pos].size == seq) {
			r = check_roots(vs, &fr, &pos);
			if (r < 0)
				goto out;
		}
	}
	if (r < 0)
		goto out;
	n = expected - 1;
	if (pos < vs->nexp) {
		const struct expect *e = &vs->exp[vs->nexp - 1];

		r = fail(res, -ERR_CONFLICT, n + 1,
			 "the log has %" PRId64 " %s but the %s checkpoint covers %" PRId64
			 ": entries %" PRId64 "..%" PRId64 " are missing",
			 n, n == 1 ? "entry" : "entries", e->external ? "given" : "stored", e->size,
			 n + 1, e->size);
		goto out;
	}
	/* Nodes past the log's end mean its newest entries were removed. */
	for (l = 0; l < MERKLE_MAX_LEVELS; l++) {
		r = audit_store_node_exists_from(vs->st, l, (uint64_t)n >> l);
		if (r < 0)
			goto out;
		if (r > 0) {
			r = fail(res, -ERR_CONFLICT, n + 1,
				 "the audit tree covers entries after %" PRId64
				 ", the last in the log: entries from %" PRId64 " on were removed",
				 n, n + 1);
			goto out;
		}
	}
	r = 0;
out:
	res->bytes_hashed += fr.nodes_hashed * (1 + 2 * MERKLE_HASH_LEN);
	store_reset(es);
	return r;
}

int audit_verify(struct store *st, const char *verifier, const char *external_note,
		 struct audit_verify_result *res)
{
	struct vstate vs = { .st = st, .res = res };
	struct note_verifier v;
	bool own_tx = false;
	unsigned l;
	int r;

	memset(res, 0, sizeof(*res));
	if (!verifier || note_verifier_parse(verifier, &v) < 0)
		return fail(res, -ERR_INVALID, 0, "the audit verifier key is not valid");
	if (!store_in_tx(st)) {
		r = store_begin_read(st); /* one snapshot for the whole pass */
		if (r < 0)
			return r;
		own_tx = true;
	}
	r = load_checkpoints(&vs, &v);
	if (r < 0)
		goto out;
	if (external_note) {
		r = load_external(&vs, &v, external_note);
		if (r < 0)
			goto out;
	}
	if (vs.nexp > 1)
		qsort(vs.exp, vs.nexp, sizeof(*vs.exp), expect_cmp);
	r = stream(&vs);
out:
	for (l = 0; l < MERKLE_MAX_LEVELS; l++)
		store_reset(vs.level[l]);
	if (own_tx)
		store_rollback(st);
	free(vs.exp);
	return r;
}

/* --- proofs ------------------------------------------------------------------------ */

static json_t *b64_json(const unsigned char *p, size_t n)
{
	char *s = b64_encode(p, n);
	json_t *j = json_string(s);

	free(s);
	return j;
}

static json_t *proof_json(const unsigned char *proof, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, b64_json(proof + MERKLE_HASH_LEN * i, MERKLE_HASH_LEN));
	return a;
}

static int begin_read(struct store *st, bool *own)
{
	int r = 0;

	*own = false;
	if (!store_in_tx(st)) {
		r = store_begin_read(st);
		*own = r == 0;
	}
	return r;
}

int audit_inclusion_proof(struct store *st, int64_t seq, int64_t tree_size, json_t **ret)
{
	unsigned char proof[MERKLE_MAX_PROOF * MERKLE_HASH_LEN];
	unsigned char leaf[MERKLE_HASH_LEN], root[MERKLE_HASH_LEN];
	struct merkle_nodes src = audit_store_nodes(st);
	char *note = NULL, *entry = NULL;
	size_t n = 0, len = 0;
	int64_t size;
	bool own;
	int r;

	if (tree_size < 0)
		return -ERR_INVALID;
	r = begin_read(st, &own);
	if (r < 0)
		return r;
	r = audit_store_size(st, &size);
	if (r < 0)
		goto out;
	if (tree_size == 0) {
		r = audit_store_checkpoint_latest(st, &tree_size, NULL, &note);
		if (r == -ERR_NOT_FOUND) {
			tree_size = size;
			r = 0;
		}
		if (r < 0)
			goto out;
	} else if (tree_size <= size) {
		r = audit_store_checkpoint_at(st, tree_size, &note);
		if (r == -ERR_NOT_FOUND)
			r = 0;
		if (r < 0)
			goto out;
	}
	if (seq < 1 || seq > tree_size || tree_size > size) {
		r = -ERR_NOT_FOUND;
		goto out;
	}
	r = audit_store_entry_get(st, seq, &entry, &len);
	if (r < 0)
		goto out;
	merkle_leaf_hash(entry, len, leaf);
	r = merkle_inclusion_proof(&src, (uint64_t)seq - 1, (uint64_t)tree_size, proof, &n);
	if (r == 0)
		r = merkle_tree_root(&src, (uint64_t)tree_size, root);
	if (r == -ERR_NOT_FOUND || r == -ERR_INVALID)
		r = -ERR_CONFLICT; /* a node of the stored tree is missing */
	if (r < 0)
		goto out;
	*ret = json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:s}", "seq", (json_int_t)seq,
			 "leaf_index", (json_int_t)(seq - 1), "tree_size", (json_int_t)tree_size,
			 "leaf_hash", b64_json(leaf, sizeof(leaf)), "root", b64_json(root, sizeof(root)),
			 "proof", proof_json(proof, n), "checkpoint", note ? json_string(note) : json_null(),
			 "entry", entry);
	if (!*ret)
		r = -ERR_INTERNAL;
out:
	if (own)
		store_rollback(st);
	free(note);
	free(entry);
	return r;
}

int audit_consistency_proof(struct store *st, int64_t first, int64_t second, json_t **ret)
{
	unsigned char proof[MERKLE_MAX_PROOF * MERKLE_HASH_LEN];
	unsigned char root1[MERKLE_HASH_LEN], root2[MERKLE_HASH_LEN];
	struct merkle_nodes src = audit_store_nodes(st);
	size_t n = 0;
	int64_t size;
	bool own;
	int r;

	if (first < 0 || first > second)
		return -ERR_INVALID;
	r = begin_read(st, &own);
	if (r < 0)
		return r;
	r = audit_store_size(st, &size);
	if (r < 0)
		goto out;
	if (second > size) {
		r = -ERR_NOT_FOUND;
		goto out;
	}
	r = merkle_consistency_proof(&src, (uint64_t)first, (uint64_t)second, proof, &n);
	if (r == 0)
		r = merkle_tree_root(&src, (uint64_t)first, root1);
	if (r == 0)
		r = merkle_tree_root(&src, (uint64_t)second, root2);
	if (r == -ERR_NOT_FOUND || r == -ERR_INVALID)
		r = -ERR_CONFLICT;
	if (r < 0)
		goto out;
	*ret = json_pack("{s:I, s:I, s:o, s:o, s:o}", "first", (json_int_t)first, "second",
			 (json_int_t)second, "first_root", b64_json(root1, sizeof(root1)),
			 "second_root", b64_json(root2, sizeof(root2)), "proof", proof_json(proof, n));
	if (!*ret)
		r = -ERR_INTERNAL;
out:
	if (own)
		store_rollback(st);
	return r;
}

/* --- search ------------------------------------------------------------------------ */

int audit_list(struct store *st, const struct audit_filter *f, json_t **ret_items,
	       int64_t *ret_next)
{
	sqlite3_stmt *s = NULL;
	json_t *items = NULL;
	int64_t next = 0, last = 0;
	int count = 0, r;

	if (f->limit < 1 || f->limit > 500 || f->after < 0 || f->from < 0 || f->to < 0)
		return -ERR_INVALID;
	r = audit_store_list(st, f, &s);
	if (r < 0)
		return r;
	items = json_array();
	while ((r = store_step(st, s)) == 1) {
		int64_t seq = sqlite3_column_int64(s, 0);
		const char *text = (const char *)sqlite3_column_text(s, 1);
		size_t len = (size_t)sqlite3_column_bytes(s, 1);
		json_t *item;

		if (count == f->limit) {
			next = last;
			break;
		}
		item = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, NULL);
		if (!json_is_object(item)) {
			/* Shown, not hidden: the verifier will name it. */
			json_decref(item);
			item = json_pack("{s:I, s:b}", "seq", (json_int_t)seq, "damaged", 1);
		}
		json_array_append_new(items, item);
		last = seq;
		count++;
	}
	store_reset(s);
	if (r < 0) {
		json_decref(items);
		return r;
	}
	*ret_items = items;
	*ret_next = next;
	return 0;
}
