/*
 * files_store.c: the SQL of table files.
 */
#include "core/common.h"

#include "core/alloc.h"
#include "core/clock.h"
#include "files/files.h"
#include "files/files_int.h"
#include "store/store.h"

static const char SQL_INSERT[] =
        "INSERT OR IGNORE INTO files (sha256, size, content_type, name, created_by, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

int files_store_insert(struct store *st, const char *sha, int64_t size, const char *type,
                       const char *name, int64_t by)
{
	sqlite3_stmt *s = store_stmt(st, SQL_INSERT);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, sha);
	store_bind_int(s, 2, size);
	store_bind_text(s, 3, type);
	store_bind_text(s, 4, name);
	store_bind_id(s, 5, by);
	store_bind_int(s, 6, clock_now());
	return store_exec_stmt(st, s);
}

static const char SQL_LOAD[] = "SELECT content_type, name, created_by FROM files WHERE sha256 = ?1";

int files_store_load(struct store *st, const char *sha, char **ret_type, char **ret_name,
                     int64_t *ret_owner)
{
	sqlite3_stmt *s = store_stmt(st, SQL_LOAD);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, sha);
	r = store_step(st, s);
	if (r == 1) {
		*ret_type = xstrdup(store_col_text(s, 0));
		*ret_name = xstrdup(store_col_text(s, 1));
		*ret_owner = sqlite3_column_int64(s, 2);
	}
	store_reset(s);
	return r == 1 ? 0 : r == 0 ? -ERR_NOT_FOUND : r;
}

static const char SQL_EXISTS[] = "SELECT 1 FROM files WHERE sha256 = ?1";

bool file_exists(struct store *st, const char *sha)
{
	sqlite3_stmt *s = store_stmt(st, SQL_EXISTS);
	bool yes;

	if (!s)
		return false;
	store_bind_text(s, 1, sha);
	yes = store_step(st, s) == 1;
	store_reset(s);
	return yes;
}

static const char SQL_SHARED[] =
        "SELECT 1 FROM request_events e JOIN requests r ON r.id = e.request_id "
        "WHERE e.attachments IS NOT NULL AND instr(e.attachments, ?1) > 0 AND "
        "(r.applicant_id = ?2 OR EXISTS (SELECT 1 FROM step_assignees a WHERE "
        "a.request_id = r.id AND a.user_id = ?2)) LIMIT 1";

bool files_store_shared_with(struct store *st, const char *sha, int64_t user_id)
{
	sqlite3_stmt *s = store_stmt(st, SQL_SHARED);
	bool yes;

	if (!s)
		return false;
	store_bind_text(s, 1, sha);
	store_bind_int(s, 2, user_id);
	yes = store_step(st, s) == 1;
	store_reset(s);
	return yes;
}
