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

#include <pthread.h>

/* One root the log must reproduce: a stored checkpoint or the external one. */
struct expect {
	int64_t size;
	unsigned char root[MERKLE_HASH_LEN];
	bool external;
};

struct vstate {
	struct store *st;
	struct audit_verify_result *res;
	struct stmt *level[MERKLE_MAX_LEVELS];
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
	struct stmt *s;
	int r;

	if (!vs->level[level])
		vs->level[level] = audit_store_scan_level(vs->st, level);
	s = vs->level[level];
	r = store_step(vs->st, s);
	if (r < 0)
		return r;
	if (r == 0 || store_col_int(s, 0) != (int64_t)idx) {
		if (level == 0)
			return fail(vs->res, -ERR_CONFLICT, first,
			            "entry %" PRId64 ": missing from the audit tree", first);
		return fail(vs->res, -ERR_CONFLICT, 0,
		            "entries %" PRId64 "..%" PRId64 ": the audit tree node over them "
		            "(level %u, index %" PRIu64 ") is missing",
		            first, last, level, idx);
	}
	if (store_col_bytes(s, 1) != MERKLE_HASH_LEN ||
	    memcmp(store_col_blob(s, 1), h, MERKLE_HASH_LEN) != 0) {
		if (level == 0)
			return fail(vs->res, -ERR_CONFLICT, first,
			            "entry %" PRId64 ": hash does not match the audit tree "
			            "(the entry was altered)",
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
	return 0; /* note_checkpoint_parse keeps sizes within INT64_MAX */
}

static int load_checkpoints(struct vstate *vs, const struct note_verifier *v)
{
	struct stmt *s = audit_store_scan_checkpoints(vs->st);
	struct note_checkpoint cp;
	const char *what = NULL;
	int r;

	for (;;) {
		int64_t size;
		const char *note;
		size_t len;

		r = store_step(vs->st, s);
		if (r <= 0)
			break;
		size = store_col_int(s, 0);
		note = store_col_text(s, 2);
		len = store_col_bytes(s, 2);
		if (open_checkpoint(note ? note : "", len, v, &cp, &what) < 0) {
			r = fail(vs->res, -ERR_CONFLICT, 0,
			         "the stored checkpoint at size %" PRId64 " %s", size, what);
			break;
		}
		if ((int64_t)cp.size != size || store_col_bytes(s, 1) != MERKLE_HASH_LEN ||
		    memcmp(store_col_blob(s, 1), cp.root, MERKLE_HASH_LEN) != 0) {
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
			/* Another checkpoint of this size matched already: this one disagrees
			 * with it, not with entries past it. */
			if (from > e->size)
				return fail(
				        vs->res, -ERR_CONFLICT, 0,
				        e->external
				                ? "%s does not match the first %" PRId64
				                  " entries, although the stored checkpoints do: "
				                  "the log and its checkpoints were rewritten "
				                  "after it was taken"
				                : "%s does not match the first %" PRId64
				                  " entries, which another checkpoint of the same "
				                  "size confirms: the checkpoints disagree",
				        checkpoint_label(e, label, sizeof(label)), e->size);
			if (from == e->size)
				return fail(vs->res, -ERR_CONFLICT, from,
				            "%s does not match entry %" PRId64
				            ": it was altered together with the audit tree",
				            checkpoint_label(e, label, sizeof(label)), from);
			return fail(vs->res, -ERR_CONFLICT, 0,
			            "%s does not match entries %" PRId64 "..%" PRId64
			            ": one of them was altered together with the audit tree",
			            checkpoint_label(e, label, sizeof(label)), from, e->size);
		}
		vs->good_size = e->size;
		(*pos)++;
	}
	return 0;
}

/*
 * Leaf hashing runs on a second thread, a batch behind the reader: while this thread steps
 * SQLite and copies the next batch of entries, the other hashes the previous one; this
 * thread then walks the hashes through the frontier and the level cursors. Without a
 * second thread (pthread_create failed) the same batches are hashed in line.
 */
#define BATCH_ENTRIES 2048
#define BATCH_BYTES   (1u << 20)

enum batch_state { BATCH_FREE, BATCH_SUBMITTED, BATCH_HASHED };

struct batch {
	enum batch_state state;
	size_t n;      /* entries */
	int64_t first; /* seq of entry 0 */
	size_t *off;   /* BATCH_ENTRIES + 1: entry i is data[off[i]..off[i + 1]) */
	unsigned char *data;
	size_t cap;
	unsigned char *leaf; /* BATCH_ENTRIES hashes */
};

struct hasher {
	struct batch b[2];
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool threaded, quit;
};

static void batch_hash(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		merkle_leaf_hash(b->data + b->off[i], b->off[i + 1] - b->off[i],
		                 b->leaf + i * MERKLE_HASH_LEN);
}

static struct batch *next_submitted(struct hasher *h)
{
	struct batch *a = &h->b[0], *b = &h->b[1];

	if (a->state == BATCH_SUBMITTED && (b->state != BATCH_SUBMITTED || a->first < b->first))
		return a;
	return b->state == BATCH_SUBMITTED ? b : NULL;
}

static void *hasher_main(void *arg)
{
	struct hasher *h = arg;
	struct batch *b;

	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (!h->quit && !(b = next_submitted(h)))
			pthread_cond_wait(&h->cv, &h->mu);
		if (h->quit)
			break;
		pthread_mutex_unlock(&h->mu);
		batch_hash(b);
		pthread_mutex_lock(&h->mu);
		b->state = BATCH_HASHED;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static void hasher_start(struct hasher *h)
{
	int i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < 2; i++) {
		h->b[i].off = xcalloc(BATCH_ENTRIES + 1, sizeof(*h->b[i].off));
		h->b[i].leaf = xcalloc(BATCH_ENTRIES, MERKLE_HASH_LEN);
	}
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	h->threaded = pthread_create(&h->thread, NULL, hasher_main, h) == 0;
}

static void hasher_stop(struct hasher *h)
{
	int i;

	if (h->threaded) {
		pthread_mutex_lock(&h->mu);
		h->quit = true;
		pthread_cond_broadcast(&h->cv);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->thread, NULL);
	}
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
	for (i = 0; i < 2; i++) {
		free(h->b[i].off);
		free(h->b[i].leaf);
		free(h->b[i].data);
	}
}

static void hasher_submit(struct hasher *h, struct batch *b)
{
	if (!h->threaded) {
		batch_hash(b);
		b->state = BATCH_HASHED;
		return;
	}
	pthread_mutex_lock(&h->mu);
	b->state = BATCH_SUBMITTED;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

static void hasher_wait(struct hasher *h, struct batch *b)
{
	if (!h->threaded)
		return;
	pthread_mutex_lock(&h->mu);
	while (b->state != BATCH_HASHED)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

static void hasher_release(struct hasher *h, struct batch *b)
{
	if (h->threaded)
		pthread_mutex_lock(&h->mu);
	b->state = BATCH_FREE;
	if (h->threaded)
		pthread_mutex_unlock(&h->mu);
}

/* Where the reader is: the next seq it expects, and why it stopped. */
struct reader {
	struct stmt *es;
	int64_t expected;
	bool done;
	int64_t gap_seq; /* the seq found where `expected` was due; 0 = no gap */
};

/* Copies the next entries into b, up to a full batch, the end of the log or a gap. */
static int batch_fill(struct vstate *vs, struct reader *rd, struct batch *b)
{
	size_t len = 0;
	int r;

	b->n = 0;
	b->first = rd->expected;
	b->off[0] = 0;
	while (!rd->done && b->n < BATCH_ENTRIES && len < BATCH_BYTES) {
		int64_t seq;
		size_t n;

		r = store_step(vs->st, rd->es);
		if (r < 0)
			return r;
		if (r == 0) {
			rd->done = true;
			break;
		}
		seq = store_col_int(rd->es, 0);
		if (seq != rd->expected) {
			rd->gap_seq = seq;
			rd->done = true;
			break;
		}
		n = store_col_bytes(rd->es, 1);
		if (len + n > b->cap) {
			b->cap = (len + n) * 2 > BATCH_BYTES ? (len + n) * 2 : BATCH_BYTES;
			b->data = xrealloc(b->data, b->cap);
		}
		if (n > 0)
			memcpy(b->data + len, store_col_blob(rd->es, 1), n);
		len += n;
		b->off[++b->n] = len;
		vs->res->bytes_hashed += 1 + n;
		rd->expected++;
	}
	return 0;
}

/* Pushes a hashed batch through the frontier (which checks the stored tree) and checks
 * the checkpoints it reaches. */
static int batch_process(struct vstate *vs, struct batch *b, struct merkle_frontier *fr,
                         size_t *pos)
{
	size_t i;
	int r;

	for (i = 0; i < b->n; i++) {
		r = merkle_frontier_push(fr, b->leaf + i * MERKLE_HASH_LEN, on_node, vs);
		if (r < 0)
			return r;
		vs->res->entries++;
		if (*pos < vs->nexp && vs->exp[*pos].size == (int64_t)fr->size) {
			r = check_roots(vs, fr, pos);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int gap_fail(struct audit_verify_result *res, int64_t expected, int64_t seq)
{
	if (seq < expected)
		return fail(res, -ERR_CONFLICT, seq, "entry %" PRId64 ": invalid sequence number",
		            seq);
	if (seq == expected + 1)
		return fail(res, -ERR_CONFLICT, expected,
		            "entry %" PRId64 " is missing (the log goes from %" PRId64
		            " to %" PRId64 ")",
		            expected, expected - 1, seq);
	return fail(res, -ERR_CONFLICT, expected, "entries %" PRId64 "..%" PRId64 " are missing",
	            expected, seq - 1);
}

static int stream(struct vstate *vs)
{
	struct audit_verify_result *res = vs->res;
	struct reader rd = { .es = audit_store_scan_entries(vs->st), .expected = 1 };
	struct merkle_frontier fr;
	struct hasher h;
	struct batch *cur, *nxt, *tmp;
	int64_t n;
	size_t pos = 0;
	unsigned l;
	int r;

	merkle_frontier_init(&fr);
	hasher_start(&h);
	r = check_roots(vs, &fr, &pos);
	if (r < 0)
		goto out;
	cur = &h.b[0];
	nxt = &h.b[1];
	r = batch_fill(vs, &rd, cur);
	if (r < 0)
		goto out;
	hasher_submit(&h, cur);
	while (cur->n > 0) {
		nxt->n = 0;
		if (!rd.done) {
			r = batch_fill(vs, &rd, nxt);
			if (r < 0)
				goto out;
			if (nxt->n > 0)
				hasher_submit(&h, nxt);
		}
		hasher_wait(&h, cur);
		r = batch_process(vs, cur, &fr, &pos);
		if (r < 0)
			goto out;
		hasher_release(&h, cur);
		tmp = cur;
		cur = nxt;
		nxt = tmp;
	}
	if (rd.gap_seq != 0) {
		r = gap_fail(res, rd.expected, rd.gap_seq);
		goto out;
	}
	n = rd.expected - 1;
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
	hasher_stop(&h);
	res->bytes_hashed += fr.nodes_hashed * (1 + 2 * MERKLE_HASH_LEN);
	store_reset(rd.es);
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
	                 "leaf_hash", b64_json(leaf, sizeof(leaf)), "root",
	                 b64_json(root, sizeof(root)), "proof", proof_json(proof, n), "checkpoint",
	                 note ? json_string(note) : json_null(), "entry", entry);
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
	                 "second_root", b64_json(root2, sizeof(root2)), "proof",
	                 proof_json(proof, n));
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
	struct stmt *s = NULL;
	json_t *items = NULL;
	int64_t next = 0, last = 0;
	int count = 0, r;

	if (f->limit < 1 || f->limit > 500 || f->after < 0 || f->from < 0 || f->to < 0)
		return -ERR_INVALID;
	r = audit_store_list(st, f, &s);
	if (r < 0)
		return r;
	items = json_array();
	for (;;) {
		const char *text;
		json_t *item;
		int64_t seq;

		r = store_step(st, s);
		if (r <= 0)
			break;
		if (count == f->limit) { /* one row more than asked: there is a next page */
			next = last;
			break;
		}
		seq = store_col_int(s, 0);
		text = store_col_text(s, 1);
		item = json_loadb(text ? text : "", store_col_bytes(s, 1), JSON_REJECT_DUPLICATES,
		                  NULL);
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
