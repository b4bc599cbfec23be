/*
 * audit_store.c: every SQL statement of the audit module. All are cached per connection
 * (store_stmt) and reset after use. Writes run inside the caller's transaction; the
 * triggers of migrations/0001_core.sql make the three tables append-only.
 */
#include "core/common.h"
#include "core/clock.h"
#include "audit/audit_int.h"
#include "store/store.h"

static const char SQL_SIZE[] = "SELECT COALESCE(MAX(seq), 0) FROM audit_log";

int audit_store_size(struct store *st, int64_t *ret_size)
{
	struct stmt *s = store_stmt(st, SQL_SIZE);
	int r;

	r = store_step(st, s);
	if (r == 0)
		r = -ERR_INTERNAL;
	if (r > 0) {
		*ret_size = store_col_int(s, 0);
		r = 0;
	}
	store_reset(s);
	return r;
}

static const char SQL_ENTRY_PUT[] = "INSERT INTO audit_log (seq, entry) VALUES ($1, $2)";

int audit_store_entry_put(struct store *st, int64_t seq, const char *entry, size_t len)
{
	struct stmt *s = store_stmt(st, SQL_ENTRY_PUT);

	store_bind_int(s, 1, seq);
	store_bind_text_n(s, 2, entry, len);
	return store_exec_stmt(st, s);
}

static const char SQL_ENTRY_GET[] = "SELECT entry FROM audit_log WHERE seq = $1";

int audit_store_entry_get(struct store *st, int64_t seq, char **ret_entry, size_t *ret_len)
{
	struct stmt *s = store_stmt(st, SQL_ENTRY_GET);
	int r;

	store_bind_int(s, 1, seq);
	r = store_step(st, s);
	if (r == 0)
		r = -ERR_NOT_FOUND;
	if (r > 0) {
		const char *t = store_col_text(s, 0);
		size_t n = store_col_bytes(s, 0);

		*ret_entry = xstrndup(t ? t : "", n);
		*ret_len = n;
		r = 0;
	}
	store_reset(s);
	return r;
}

static const char SQL_NODE_GET[] = "SELECT hash FROM audit_tree WHERE level = $1 AND idx = $2";

int audit_store_node_get(struct store *st, unsigned level, uint64_t idx,
                         unsigned char out[MERKLE_HASH_LEN])
{
	struct stmt *s = store_stmt(st, SQL_NODE_GET);
	int r;

	if (idx > (uint64_t)INT64_MAX)
		return -ERR_NOT_FOUND;
	store_bind_int(s, 1, (int64_t)level);
	store_bind_int(s, 2, (int64_t)idx);
	r = store_step(st, s);
	if (r == 0)
		r = -ERR_NOT_FOUND;
	if (r > 0) {
		/* A hash of the wrong size is damage, reported as a missing node. */
		if (store_col_bytes(s, 0) != MERKLE_HASH_LEN) {
			r = -ERR_NOT_FOUND;
		} else {
			memcpy(out, store_col_blob(s, 0), MERKLE_HASH_LEN);
			r = 0;
		}
	}
	store_reset(s);
	return r;
}

static const char SQL_NODE_PUT[] = "INSERT INTO audit_tree (level, idx, hash) VALUES ($1, $2, $3)";

int audit_store_node_put(struct store *st, unsigned level, uint64_t idx,
                         const unsigned char h[MERKLE_HASH_LEN])
{
	struct stmt *s = store_stmt(st, SQL_NODE_PUT);

	store_bind_int(s, 1, (int64_t)level);
	store_bind_int(s, 2, (int64_t)idx);
	store_bind_blob(s, 3, h, MERKLE_HASH_LEN);
	return store_exec_stmt(st, s);
}

static const char SQL_NODE_EXISTS_FROM[] =
        "SELECT 1 FROM audit_tree WHERE level = $1 AND idx >= $2 LIMIT 1";

int audit_store_node_exists_from(struct store *st, unsigned level, uint64_t idx)
{
	struct stmt *s = store_stmt(st, SQL_NODE_EXISTS_FROM);
	int r;

	if (idx > (uint64_t)INT64_MAX)
		return 0;
	store_bind_int(s, 1, (int64_t)level);
	store_bind_int(s, 2, (int64_t)idx);
	r = store_step(st, s);
	store_reset(s);
	return r;
}

static int nodes_get(void *ctx, unsigned level, uint64_t idx, unsigned char out[MERKLE_HASH_LEN])
{
	return audit_store_node_get(ctx, level, idx, out);
}

struct merkle_nodes audit_store_nodes(struct store *st)
{
	return (struct merkle_nodes){ .get = nodes_get, .ctx = st };
}

static const char SQL_CHECKPOINT_LATEST[] =
        "SELECT size, root, note FROM audit_checkpoints ORDER BY size DESC LIMIT 1";

int audit_store_checkpoint_latest(struct store *st, int64_t *ret_size,
                                  unsigned char ret_root[MERKLE_HASH_LEN], char **ret_note)
{
	struct stmt *s = store_stmt(st, SQL_CHECKPOINT_LATEST);
	int r;

	r = store_step(st, s);
	if (r == 0)
		r = -ERR_NOT_FOUND;
	if (r < 0)
		goto out;
	if (store_col_bytes(s, 1) != MERKLE_HASH_LEN) {
		r = -ERR_CONFLICT;
		goto out;
	}
	if (ret_size)
		*ret_size = store_col_int(s, 0);
	if (ret_root)
		memcpy(ret_root, store_col_blob(s, 1), MERKLE_HASH_LEN);
	if (ret_note)
		*ret_note = xstrdup(store_col_text(s, 2));
	r = 0;
out:
	store_reset(s);
	return r;
}

static const char SQL_CHECKPOINT_AT[] = "SELECT note FROM audit_checkpoints WHERE size = $1";

int audit_store_checkpoint_at(struct store *st, int64_t size, char **ret_note)
{
	struct stmt *s = store_stmt(st, SQL_CHECKPOINT_AT);
	int r;

	store_bind_int(s, 1, size);
	r = store_step(st, s);
	if (r == 0)
		r = -ERR_NOT_FOUND;
	if (r > 0) {
		*ret_note = xstrdup(store_col_text(s, 0));
		r = 0;
	}
	store_reset(s);
	return r;
}

static const char SQL_CHECKPOINT_PUT[] =
        "INSERT INTO audit_checkpoints (size, root, note, created_at) VALUES ($1, $2, $3, $4)";

int audit_store_checkpoint_put(struct store *st, int64_t size,
                               const unsigned char root[MERKLE_HASH_LEN], const char *note,
                               int64_t created_at)
{
	struct stmt *s = store_stmt(st, SQL_CHECKPOINT_PUT);

	store_bind_int(s, 1, size);
	store_bind_blob(s, 2, root, MERKLE_HASH_LEN);
	store_bind_text(s, 3, note);
	store_bind_int(s, 4, created_at);
	return store_exec_stmt(st, s);
}

static const char SQL_SCAN_ENTRIES[] = "SELECT seq, entry FROM audit_log ORDER BY seq";

struct stmt *audit_store_scan_entries(struct store *st)
{
	return store_stmt(st, SQL_SCAN_ENTRIES);
}

/*
 * One statement per level, so that the verifier can walk every level of the tree side by
 * side with the log (the statement cache is keyed by the address of the text).
 */
static const char sql_scan_level[MERKLE_MAX_LEVELS][72] = {
	"SELECT idx, hash FROM audit_tree WHERE level = 0 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 1 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 2 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 3 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 4 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 5 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 6 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 7 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 8 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 9 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 10 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 11 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 12 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 13 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 14 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 15 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 16 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 17 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 18 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 19 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 20 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 21 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 22 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 23 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 24 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 25 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 26 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 27 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 28 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 29 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 30 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 31 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 32 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 33 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 34 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 35 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 36 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 37 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 38 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 39 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 40 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 41 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 42 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 43 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 44 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 45 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 46 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 47 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 48 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 49 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 50 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 51 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 52 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 53 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 54 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 55 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 56 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 57 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 58 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 59 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 60 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 61 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 62 ORDER BY idx",
	"SELECT idx, hash FROM audit_tree WHERE level = 63 ORDER BY idx",
};

struct stmt *audit_store_scan_level(struct store *st, unsigned level)
{
	if (level >= MERKLE_MAX_LEVELS)
		abort();
	return store_stmt(st, sql_scan_level[level]);
}

static const char SQL_SCAN_CHECKPOINTS[] =
        "SELECT size, root, note FROM audit_checkpoints ORDER BY size";

struct stmt *audit_store_scan_checkpoints(struct store *st)
{
	return store_stmt(st, SQL_SCAN_CHECKPOINTS);
}

/*
 * audit_list: the optional filters are bound as NULL when absent. The leading predicate
 * picks an index on (column, seq), so a page costs O(limit) rows when filtering by actor,
 * object or action; otherwise the rowid is walked newest first. Times compare as RFC 3339
 * text ("at" is generated from the entry), both bounds inclusive.
 */
#define SQL_LIST_TAIL                                                                              \
 " AND ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR action = $2)"                                 \
 " AND ($3 IS NULL OR substr(action, 1, length($3)) = $3)"                                         \
 " AND ($4 IS NULL OR object = $4) AND ($5 IS NULL OR outcome = $5)"                               \
 " AND ($6 IS NULL OR at >= $6) AND ($7 IS NULL OR at <= $7)"                                      \
 " ORDER BY seq DESC LIMIT $9"

static const char SQL_LIST_ALL[] = "SELECT seq, entry FROM audit_log WHERE seq < $8" SQL_LIST_TAIL;
static const char SQL_LIST_ACTOR[] = "SELECT seq, entry FROM audit_log INDEXED BY audit_log_actor"
                                     " WHERE actor = $1 AND seq < $8" SQL_LIST_TAIL;
static const char SQL_LIST_OBJECT[] = "SELECT seq, entry FROM audit_log INDEXED BY audit_log_object"
                                      " WHERE object = $4 AND seq < $8" SQL_LIST_TAIL;
static const char SQL_LIST_ACTION[] = "SELECT seq, entry FROM audit_log INDEXED BY audit_log_action"
                                      " WHERE action = $2 AND seq < $8" SQL_LIST_TAIL;

int audit_store_list(struct store *st, const struct audit_filter *f, struct stmt **ret_stmt)
{
	const char *action = NULL, *prefix = NULL;
	char from[RFC3339_LEN], to[RFC3339_LEN];
	struct stmt *s;
	size_t alen;

	if (f->action) {
		alen = strlen(f->action);
		if (alen > 0 && f->action[alen - 1] == '.')
			prefix = f->action;
		else
			action = f->action;
	}
	if (f->actor)
		s = store_stmt(st, SQL_LIST_ACTOR);
	else if (f->object)
		s = store_stmt(st, SQL_LIST_OBJECT);
	else if (action)
		s = store_stmt(st, SQL_LIST_ACTION);
	else
		s = store_stmt(st, SQL_LIST_ALL);
	store_bind_text(s, 1, f->actor);
	store_bind_text(s, 2, action);
	store_bind_text(s, 3, prefix);
	store_bind_text(s, 4, f->object);
	store_bind_text(s, 5, f->outcome);
	if (f->from > 0) {
		time_format_rfc3339(f->from, from);
		store_bind_text(s, 6, from);
	}
	if (f->to > 0) {
		time_format_rfc3339(f->to, to);
		store_bind_text(s, 7, to);
	}
	store_bind_int(s, 8, f->after > 0 ? f->after : INT64_MAX);
	store_bind_int(s, 9, (int64_t)f->limit + 1);
	*ret_stmt = s;
	return 0;
}
