/*
 * store.h: the database seam. Only src/store names the engine (SQLite now; libpq later,
 * SPEC OPS-3): the rest of isms sees struct store (one connection, used by one thread at a
 * time; the HTTP server keeps one per worker thread), struct stmt (a prepared statement of
 * that connection) and transactions.
 *
 * On open: journal_mode=WAL, synchronous=FULL, foreign_keys=ON, a busy timeout and
 * SQLITE_DBCONFIG_DEFENSIVE. Statements are prepared once per connection and cached by the
 * address of their static SQL text (store_stmt); callers bind by position, step, read typed
 * columns and store_reset(). Writes run between store_begin() (BEGIN IMMEDIATE) and
 * store_commit(); the change and its audit entry share that transaction. Waiting for another
 * writer is the store's business (busy timeout), never the caller's.
 *
 * The SQL of the *_store.c files is written in what PostgreSQL also reads where that costs
 * nothing: numbered parameters $1, $2 … (rewritten to ?1 … for SQLite at prepare time),
 * ON CONFLICT … DO NOTHING / DO UPDATE (never INSERT OR IGNORE / OR REPLACE), explicit
 * casts, standard joins. What still differs, for the PostgreSQL backend to translate or to
 * carry as a second dialect:
 *   - STRICT tables, INTEGER PRIMARY KEY rowids and store_last_id() (PostgreSQL: identity
 *     columns and RETURNING id);
 *   - JSON in TEXT columns read with json_extract, json_each, json_group_array,
 *     json_object, json_insert and json() (PostgreSQL: jsonb operators and functions);
 *   - group_concat (string_agg), instr (strpos), strftime('%Y-%m-%dT%H:%M:%SZ', t,
 *     'unixepoch') (to_char(to_timestamp(t) …)), the bitwise << of the audit tree queries;
 *   - the FTS-free search (instr on lower()) and COLLATE NOCASE of login names (citext);
 *   - PRAGMA user_version, integrity_check and quick_check, the triggers' RAISE(ABORT, …),
 *     the backup API behind store_copy_to / store_snapshot_to (pg_dump);
 *   - BEGIN IMMEDIATE and savepoints (PostgreSQL: SERIALIZABLE or advisory locks).
 */
#ifndef ISMS_STORE_STORE_H
#define ISMS_STORE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct stmt;
struct embedded_file;

/* Opens (creating when create is true) the database at path. */
int store_open(const char *path, bool create, struct store **ret_st);
void store_free(struct store *st);
const char *store_path(struct store *st);

/* The cached prepared statement for sql (a static string: cached by its address).
 * Never NULL: a statement that fails to prepare is a programming error and aborts. */
struct stmt *store_stmt(struct store *st, const char *sql);
/* Steps s: 1 = a row, 0 = done, -ERR_CONFLICT on a constraint (UNIQUE, trigger RAISE),
 * -ERR_INTERNAL otherwise (logged once, with the engine's message). */
int store_step(struct store *st, struct stmt *s);
/* Resets s and clears its bindings. */
void store_reset(struct stmt *s);
/* Runs a cached statement that returns no rows, then resets it. */
int store_exec_stmt(struct store *st, struct stmt *s);
/* Runs SQL text of several statements without results (migrations, test fixtures). */
int store_exec_script(struct store *st, const char *sql);

/* Binding by position (1 = $1). NULL text or blob binds SQL NULL. */
void store_bind_null(struct stmt *s, int i);
void store_bind_text(struct stmt *s, int i, const char *v);
void store_bind_text_n(struct stmt *s, int i, const char *v, size_t n);
void store_bind_int(struct stmt *s, int i, int64_t v);
void store_bind_double(struct stmt *s, int i, double v);
void store_bind_blob(struct stmt *s, int i, const void *p, size_t n);
/* An optional id: v, or NULL when v <= 0. */
void store_bind_id(struct stmt *s, int i, int64_t v);
/* A JSON value as compact text, or NULL when v is NULL. */
void store_bind_json(struct stmt *s, int i, json_t *v);

/* Typed columns of the current row (0 = the first). Text and blobs are borrowed until the
 * next step or reset; text is "" for SQL NULL. */
bool store_col_is_null(struct stmt *s, int i);
int64_t store_col_int(struct stmt *s, int i);
int store_col_i32(struct stmt *s, int i);
double store_col_double(struct stmt *s, int i);
const char *store_col_text(struct stmt *s, int i);
const void *store_col_blob(struct stmt *s, int i);
size_t store_col_bytes(struct stmt *s, int i);
/* The JSON of a text column (new reference); NULL for SQL NULL or text that is not JSON. */
json_t *store_col_json(struct stmt *s, int i);
/* A text column as a JSON string, or null for SQL NULL. */
json_t *store_col_json_text(struct stmt *s, int i);
/* Steps s (bound by the caller) to its end: *ret = the array of row(s) of each row. Resets
 * s; on an error returns it and *ret is untouched. */
int store_rows(struct store *st, struct stmt *s, json_t *(*row)(struct stmt *s), json_t **ret);
/* A query of one integer parameter: the first column of its first row in *ret. Returns 1
 * with a row, 0 without one (*ret = 0), < 0 on error. */
int store_query_int(struct store *st, const char *sql, int64_t arg, int64_t *ret);
/* The API's views of optional columns: an id (> 0) or null, a time (> 0, RFC 3339) or null. */
json_t *json_id_or_null(int64_t v);
/* A list read with limit + 1 rows: drops the extra row and gives the cursor of the next page
 * (the "id" of the last row kept), or 0 when there is none. */
int64_t json_page_trim(json_t *rows, int limit);
json_t *json_time_or_null(int64_t t);

int store_begin(struct store *st);      /* BEGIN IMMEDIATE; inside a transaction: a savepoint */
int store_begin_read(struct store *st); /* BEGIN (a consistent snapshot for reads) */
int store_commit(struct store *st);
void store_rollback(struct store *st);
bool store_in_tx(struct store *st);
/* Ends the transaction by outcome: commits when r >= 0 (returning the commit's result),
 * rolls back and returns r when r < 0. `r = store_end(st, r);` closes every write verb. */
int store_end(struct store *st, int r);

int64_t store_last_id(struct store *st);
int store_changes(struct store *st);
/* The message of the last constraint failure (e.g. a trigger's RAISE text). */
const char *store_errmsg(struct store *st);

/* The schema version (PRAGMA user_version). */
int store_version(struct store *st, int *ret_v);
/*
 * Brings the schema up to the newest of migs[0..n): files named NNNN_name.sql, applied in
 * order. Before the first pending one it copies the database to "<path>.pre-NNNN" with the
 * backup API; each migration runs in one transaction and must end by setting
 * PRAGMA user_version to its number, or it is rolled back and the data stays exactly as
 * it was. Returns the number applied, or -ERR_*.
 */
int store_migrate(struct store *st, const struct embedded_file *migs, size_t n);
/* Online copy of the database into a new file (SQLite backup API): one consistent snapshot
 * taken in one read transaction while writers go on. */
int store_copy_to(struct store *st, const char *path);
/* The same into a scratch file that needs no durability (no journal, no fsync): the snapshot
 * a backup archives, removed afterwards. */
int store_snapshot_to(struct store *st, const char *path);

#endif
