/*
 * store.h: the only code that opens the database. One struct store is one SQLite
 * connection, used by one thread at a time (the HTTP server keeps one per worker thread).
 *
 * On open: journal_mode=WAL, synchronous=FULL, foreign_keys=ON, a busy timeout and
 * SQLITE_DBCONFIG_DEFENSIVE. Statements are prepared once per connection and cached by the
 * address of their static SQL text (store_stmt); callers bind, step and store_reset().
 * Writes run between store_begin() (BEGIN IMMEDIATE) and store_commit(); the change and its
 * audit entry share that transaction.
 */
#ifndef ISMS_STORE_STORE_H
#define ISMS_STORE_STORE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct embedded_file;

/* Opens (creating when create is true) the database at path. */
int store_open(const char *path, bool create, struct store **ret_st);
void store_free(struct store *st);
sqlite3 *store_db(struct store *st);
const char *store_path(struct store *st);

/* The cached prepared statement for sql (a static string: cached by its address).
 * Never NULL: a statement that fails to prepare is a programming error and aborts. */
sqlite3_stmt *store_stmt(struct store *st, const char *sql);
/* Steps s: 1 = a row, 0 = done, -ERR_CONFLICT on a constraint (UNIQUE, trigger RAISE),
 * -ERR_INTERNAL otherwise (logged once, with sqlite3_errmsg). */
int store_step(struct store *st, sqlite3_stmt *s);
/* Resets s and clears its bindings. */
void store_reset(sqlite3_stmt *s);
/* Runs a cached statement that returns no rows, then resets it. */
int store_exec_stmt(struct store *st, sqlite3_stmt *s);

/* Binding helpers that treat NULL text as SQL NULL. */
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
void store_bind_int(sqlite3_stmt *s, int i, int64_t v);
void store_bind_blob(sqlite3_stmt *s, int i, const void *p, size_t n);
/* Column text as a borrowed C string ("" for NULL). */
const char *store_col_text(sqlite3_stmt *s, int i);
/* An optional id: v, or NULL when v <= 0. */
void store_bind_id(sqlite3_stmt *s, int i, int64_t v);
/* A JSON value as compact text, or NULL when v is NULL. */
void store_bind_json(sqlite3_stmt *s, int i, json_t *v);
/* The JSON of a text column (new reference); NULL for SQL NULL or text that is not JSON. */
json_t *store_col_json(sqlite3_stmt *s, int i);
/* A text column as a JSON string, or null for SQL NULL. */
json_t *store_col_json_text(sqlite3_stmt *s, int i);
/* Steps s (bound by the caller) to its end: *ret = the array of row(s) of each row. Resets
 * s; on an error returns it and *ret is untouched. */
int store_rows(struct store *st, sqlite3_stmt *s, json_t *(*row)(sqlite3_stmt *s), json_t **ret);
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
