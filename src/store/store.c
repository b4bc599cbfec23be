/*
 * store.c: SQLite connections, the per-connection statement cache, transactions and the
 * migration runner. Only this file and the <domain>_store.c files hold SQL text.
 */
#include "core/common.h"
#include "core/clock.h"
#include "core/embedded.h"
#include "core/log.h"
#include "store/store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

/* A prepared statement of one connection. The SQLite handle never leaves this file. */
struct stmt {
	sqlite3_stmt *s;
};

struct cached {
	const char *sql;
	struct stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	struct cached *cache;
	size_t cache_len, cache_cap; /* cap is a power of two; open addressing */
	bool in_tx;
	int depth; /* savepoints open inside the transaction */
	char errmsg[256];
};

/*
 * No "PRAGMA trusted_schema=OFF": SQLite 3.40 (Debian 12) does not mark the JSON functions
 * innocuous, so with it the generated columns of audit_log (json_extract) make every
 * statement on that table fail ("unsafe use of json_extract()"), the migration included.
 */
static const char *const open_pragmas[] = {
	"PRAGMA journal_mode=WAL",  "PRAGMA synchronous=FULL",    "PRAGMA foreign_keys=ON",
	"PRAGMA cache_size=-16384", "PRAGMA mmap_size=268435456",
};

/* Process-wide SQLite settings, before the first connection: no memory statistics (they
 * take a global mutex on every allocation). */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void configure(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(const char *path, bool create, struct store **ret_st)
{
	struct store *st = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int r;
	size_t i;

	pthread_once(&config_once, configure);
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	st->cache_cap = 64;
	st->cache = xcalloc(st->cache_cap, sizeof(*st->cache));
	r = sqlite3_open_v2(path, &st->db, flags, NULL);
	if (r != SQLITE_OK) {
		log_error("cannot open '%s': %s", path,
		          st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(r));
		r = r == SQLITE_CANTOPEN ? -ERR_NOT_FOUND : -ERR_INTERNAL;
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 10000);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	for (i = 0; i < ARRAY_SIZE(open_pragmas); i++) {
		r = sqlite3_exec(st->db, open_pragmas[i], NULL, NULL, NULL);
		if (r != SQLITE_OK) {
			log_error("cannot set up '%s': %s", path, sqlite3_errmsg(st->db));
			r = -ERR_INTERNAL;
			goto fail;
		}
	}
	*ret_st = st;
	return 0;
fail:
	store_free(st);
	return r;
}

void store_free(struct store *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->cache_cap; i++)
		if (st->cache[i].stmt) {
			sqlite3_finalize(st->cache[i].stmt->s);
			free(st->cache[i].stmt);
		}
	free(st->cache);
	if (st->db)
		sqlite3_close_v2(st->db);
	free(st->path);
	free(st);
}

const char *store_path(struct store *st)
{
	return st->path;
}

static size_t slot_of(const struct store *st, const char *sql)
{
	uintptr_t h = (uintptr_t)sql;

	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 7) & (st->cache_cap - 1);
}

static void cache_grow(struct store *st)
{
	struct cached *old = st->cache;
	size_t oldcap = st->cache_cap, i, j;

	st->cache_cap *= 2;
	st->cache = xcalloc(st->cache_cap, sizeof(*st->cache));
	for (i = 0; i < oldcap; i++) {
		if (!old[i].sql)
			continue;
		j = slot_of(st, old[i].sql);
		while (st->cache[j].sql)
			j = (j + 1) & (st->cache_cap - 1);
		st->cache[j] = old[i];
	}
	free(old);
}

/*
 * The statements are written with PostgreSQL's numbered parameters ($1, $2 …); SQLite reads
 * "$1" as a named parameter numbered by first appearance, so they become ?1, ?2 … here, once
 * per connection, outside string literals and quoted names.
 */
static char *dialect(const char *sql)
{
	char *out = xstrdup(sql), *o = out;
	char quote = 0;

	for (; *o; o++) {
		if (quote) {
			if (*o == quote)
				quote = 0;
		} else if (*o == '\'' || *o == '"') {
			quote = *o;
		} else if (*o == '$' && o[1] >= '0' && o[1] <= '9') {
			*o = '?';
		}
	}
	return out;
}

struct stmt *store_stmt(struct store *st, const char *sql)
{
	size_t j = slot_of(st, sql);
	sqlite3_stmt *s = NULL;
	struct stmt *h;
	char *text;
	int r;

	while (st->cache[j].sql) {
		if (st->cache[j].sql == sql)
			return st->cache[j].stmt;
		j = (j + 1) & (st->cache_cap - 1);
	}
	text = dialect(sql);
	r = sqlite3_prepare_v3(st->db, text, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	free(text);
	if (r != SQLITE_OK || !s) {
		log_error("cannot prepare statement: %s: %s", sqlite3_errmsg(st->db), sql);
		abort();
	}
	if ((st->cache_len + 1) * 2 > st->cache_cap) {
		cache_grow(st);
		j = slot_of(st, sql);
		while (st->cache[j].sql)
			j = (j + 1) & (st->cache_cap - 1);
	}
	h = xmalloc(sizeof(*h));
	h->s = s;
	st->cache[j].sql = sql;
	st->cache[j].stmt = h;
	st->cache_len++;
	return h;
}

int store_step(struct store *st, struct stmt *h)
{
	int r = sqlite3_step(h->s);

	if (r == SQLITE_ROW)
		return 1;
	if (r == SQLITE_DONE)
		return 0;
	(void)snprintf(st->errmsg, sizeof(st->errmsg), "%s", sqlite3_errmsg(st->db));
	if ((r & 0xff) == SQLITE_CONSTRAINT)
		return -ERR_CONFLICT;
	log_error("database error in '%s': %s", st->path, st->errmsg);
	return -ERR_INTERNAL;
}

void store_reset(struct stmt *h)
{
	if (!h)
		return;
	sqlite3_reset(h->s);
	sqlite3_clear_bindings(h->s);
}

int store_exec_stmt(struct store *st, struct stmt *h)
{
	int r = store_step(st, h);

	store_reset(h);
	return r < 0 ? r : 0;
}

void store_bind_null(struct stmt *h, int i)
{
	sqlite3_bind_null(h->s, i);
}

void store_bind_text(struct stmt *h, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(h->s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(h->s, i);
}

void store_bind_text_n(struct stmt *h, int i, const char *v, size_t n)
{
	if (v)
		sqlite3_bind_text64(h->s, i, v, n, SQLITE_TRANSIENT, SQLITE_UTF8);
	else
		sqlite3_bind_null(h->s, i);
}

void store_bind_int(struct stmt *h, int i, int64_t v)
{
	sqlite3_bind_int64(h->s, i, v);
}

void store_bind_double(struct stmt *h, int i, double v)
{
	sqlite3_bind_double(h->s, i, v);
}

void store_bind_blob(struct stmt *h, int i, const void *p, size_t n)
{
	if (p)
		sqlite3_bind_blob64(h->s, i, p, n, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(h->s, i);
}

void store_bind_id(struct stmt *h, int i, int64_t v)
{
	if (v > 0)
		store_bind_int(h, i, v);
	else
		sqlite3_bind_null(h->s, i);
}

void store_bind_json(struct stmt *h, int i, json_t *v)
{
	char *t;

	if (!v) {
		sqlite3_bind_null(h->s, i);
		return;
	}
	t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	store_bind_text(h, i, t);
	free(t);
}

bool store_col_is_null(struct stmt *h, int i)
{
	return sqlite3_column_type(h->s, i) == SQLITE_NULL;
}

int64_t store_col_int(struct stmt *h, int i)
{
	return sqlite3_column_int64(h->s, i);
}

int store_col_i32(struct stmt *h, int i)
{
	return sqlite3_column_int(h->s, i);
}

double store_col_double(struct stmt *h, int i)
{
	return sqlite3_column_double(h->s, i);
}

const void *store_col_blob(struct stmt *h, int i)
{
	return sqlite3_column_blob(h->s, i);
}

size_t store_col_bytes(struct stmt *h, int i)
{
	int n = sqlite3_column_bytes(h->s, i);

	return n > 0 ? (size_t)n : 0;
}

const char *store_col_text(struct stmt *h, int i)
{
	const unsigned char *t = sqlite3_column_text(h->s, i);

	return t ? (const char *)t : "";
}

json_t *store_col_json(struct stmt *h, int i)
{
	if (store_col_is_null(h, i))
		return NULL;
	return json_loads(store_col_text(h, i), JSON_DECODE_ANY, NULL);
}

int store_query_int(struct store *st, const char *sql, int64_t arg, int64_t *ret)
{
	struct stmt *s = store_stmt(st, sql);
	int r;

	*ret = 0;
	store_bind_int(s, 1, arg);
	r = store_step(st, s);
	if (r == 1)
		*ret = store_col_int(s, 0);
	store_reset(s);
	return r;
}

json_t *store_col_json_text(struct stmt *h, int i)
{
	return store_col_is_null(h, i) ? json_null() : json_string(store_col_text(h, i));
}

int store_rows(struct store *st, struct stmt *s, json_t *(*row)(struct stmt *s), json_t **ret)
{
	json_t *out = json_array();
	int r;

	while ((r = store_step(st, s)) == 1)
		json_array_append_new(out, row(s));
	store_reset(s);
	if (r < 0) {
		json_decref(out);
		return r;
	}
	*ret = out;
	return 0;
}

int store_exec_script(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	(void)snprintf(st->errmsg, sizeof(st->errmsg), "%s", msg ? msg : sqlite3_errmsg(st->db));
	sqlite3_free(msg);
	return -ERR_INTERNAL;
}

int64_t json_page_trim(json_t *rows, int limit)
{
	if (json_array_size(rows) <= (size_t)limit)
		return 0;
	json_array_remove(rows, (size_t)limit);
	return json_integer_value(json_object_get(json_array_get(rows, (size_t)limit - 1), "id"));
}

json_t *json_id_or_null(int64_t v)
{
	return v > 0 ? json_integer(v) : json_null();
}

json_t *json_time_or_null(int64_t t)
{
	char out[RFC3339_LEN];

	if (t <= 0)
		return json_null();
	time_format_rfc3339(t, out);
	return json_string(out);
}

static const char SQL_BEGIN_IMMEDIATE[] = "BEGIN IMMEDIATE";
static const char SQL_BEGIN_DEFERRED[] = "BEGIN";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_SAVEPOINT[] = "SAVEPOINT nested";
static const char SQL_RELEASE[] = "RELEASE nested";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO nested";

static int begin(struct store *st, const char *sql)
{
	int r;

	if (st->in_tx) {
		/* A verb called from inside another verb's write transaction (an approved
		 * request executing org verbs): a savepoint, so its own failure undoes only its
		 * part and the outer transaction decides. Reads never nest. */
		if (sql != SQL_BEGIN_IMMEDIATE) {
			log_error("nested read transaction on '%s'", st->path);
			return -ERR_INTERNAL;
		}
		r = store_exec_stmt(st, store_stmt(st, SQL_SAVEPOINT));
		if (r == 0)
			st->depth++;
		return r;
	}
	r = store_exec_stmt(st, store_stmt(st, sql));
	if (r == 0)
		st->in_tx = true;
	return r;
}

int store_begin(struct store *st)
{
	return begin(st, SQL_BEGIN_IMMEDIATE);
}

int store_begin_read(struct store *st)
{
	return begin(st, SQL_BEGIN_DEFERRED);
}

int store_commit(struct store *st)
{
	int r;

	if (st->depth > 0) {
		st->depth--;
		return store_exec_stmt(st, store_stmt(st, SQL_RELEASE));
	}
	r = store_exec_stmt(st, store_stmt(st, SQL_COMMIT));

	if (r < 0) {
		store_rollback(st);
		return r;
	}
	st->in_tx = false;
	return 0;
}

void store_rollback(struct store *st)
{
	if (st->depth > 0) {
		st->depth--;
		(void)store_exec_stmt(st, store_stmt(st, SQL_ROLLBACK_TO));
		(void)store_exec_stmt(st, store_stmt(st, SQL_RELEASE));
		return;
	}
	if (!sqlite3_get_autocommit(st->db))
		(void)store_exec_stmt(st, store_stmt(st, SQL_ROLLBACK));
	st->in_tx = false;
}

int store_end(struct store *st, int r)
{
	if (r < 0) {
		store_rollback(st);
		return r;
	}
	return store_commit(st);
}

bool store_in_tx(struct store *st)
{
	return st->in_tx;
}

int64_t store_last_id(struct store *st)
{
	return (int64_t)sqlite3_last_insert_rowid(st->db);
}

int store_changes(struct store *st)
{
	return sqlite3_changes(st->db);
}

const char *store_errmsg(struct store *st)
{
	return st->errmsg;
}

static const char SQL_USER_VERSION[] = "PRAGMA user_version";

int store_version(struct store *st, int *ret_v)
{
	struct stmt *s = store_stmt(st, SQL_USER_VERSION);
	int r = store_step(st, s);

	if (r == 1) {
		*ret_v = store_col_i32(s, 0);
		r = 0;
	} else if (r == 0) {
		r = -ERR_INTERNAL;
	}
	store_reset(s);
	return r;
}

static int copy_to(struct store *st, const char *path, bool durable)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	int r;

	r = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (r != SQLITE_OK)
		goto out;
	/* A scratch copy needs neither a journal nor syncs: it is thrown away on any failure. */
	if (!durable) {
		r = sqlite3_exec(dst, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL,
		                 NULL, NULL);
		if (r != SQLITE_OK)
			goto out;
	}
	b = sqlite3_backup_init(dst, "main", st->db, "main");
	if (!b) {
		r = sqlite3_errcode(dst);
		goto out;
	}
	/* All pages in one step: one read transaction, so the copy is one consistent snapshot
	 * however busy the writers are (WAL lets them go on meanwhile). */
	do {
		r = sqlite3_backup_step(b, -1);
		if (r == SQLITE_BUSY || r == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (r == SQLITE_OK || r == SQLITE_BUSY || r == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (r == SQLITE_DONE)
		r = SQLITE_OK;
out:
	if (r != SQLITE_OK)
		log_error("cannot copy '%s' to '%s': %s", st->path, path,
		          dst ? sqlite3_errmsg(dst) : sqlite3_errstr(r));
	if (dst)
		sqlite3_close_v2(dst);
	return r == SQLITE_OK ? 0 : -ERR_INTERNAL;
}

int store_copy_to(struct store *st, const char *path)
{
	return copy_to(st, path, true);
}

int store_snapshot_to(struct store *st, const char *path)
{
	return copy_to(st, path, false);
}

/* PRAGMA quick_check answers one row "ok" on a sound database. */
static bool quick_check_ok(struct store *st)
{
	sqlite3_stmt *s = NULL;
	bool ok = false;

	if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 0);

		ok = t && strcmp((const char *)t, "ok") == 0;
	}
	sqlite3_finalize(s);
	return ok;
}

/* "0007_name.sql" -> 7; -1 when the name does not start with four digits and '_'. */
static int migration_number(const char *name)
{
	int i, v = 0;

	for (i = 0; i < 4; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return name[4] == '_' ? v : -1;
}

int store_migrate(struct store *st, const struct embedded_file *migs, size_t n)
{
	int have, want, applied = 0, r;
	char *copy = NULL;
	size_t i;

	r = store_version(st, &have);
	if (r < 0)
		return r;
	for (i = 0; i < n; i++) {
		int num = migration_number(migs[i].name);
		char *msg = NULL;

		if (num <= 0 || (i > 0 && num != migration_number(migs[i - 1].name) + 1)) {
			log_error("migration '%s' is misnumbered", migs[i].name);
			r = -ERR_INTERNAL;
			goto out;
		}
		if (num <= have)
			continue;
		if (!copy && have > 0) {
			copy = xasprintf("%s.pre-%04d", st->path, num);
			(void)unlink(copy);
			r = store_copy_to(st, copy);
			if (r < 0)
				goto out;
		}
		r = store_begin(st);
		if (r < 0)
			goto out;
		if (sqlite3_exec(st->db, migs[i].data, NULL, NULL, &msg) != SQLITE_OK) {
			log_error("migration '%s' failed: %s; the database is unchanged",
			          migs[i].name, msg ? msg : sqlite3_errmsg(st->db));
			sqlite3_free(msg);
			store_rollback(st);
			r = -ERR_INTERNAL;
			goto out;
		}
		r = store_version(st, &want);
		if (r < 0 || want != num) {
			log_error("migration '%s' did not set user_version to %d; the database is "
			          "unchanged",
			          migs[i].name, num);
			store_rollback(st);
			r = -ERR_INTERNAL;
			goto out;
		}
		r = store_commit(st);
		if (r < 0)
			goto out;
		have = num;
		applied++;
	}
	r = applied;
	/* The copy is the way back from a migration that went wrong; once every step committed
	 * and the database checks sound it has done its job, and an unencrypted copy of the
	 * whole database must not linger beside it. */
	if (copy) {
		if (quick_check_ok(st))
			(void)unlink(copy);
		else
			log_error("the database fails its check after the migration: the copy "
			          "taken before it is kept as '%s'",
			          copy);
	}
out:
	free(copy);
	return r;
}
