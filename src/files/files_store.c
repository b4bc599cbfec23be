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
        "INSERT INTO files (sha256, size, content_type, name, created_by, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";

int files_store_insert(struct store *st, const char *sha, int64_t size, const char *type,
                       const char *name, int64_t by)
{
	struct stmt *s = store_stmt(st, SQL_INSERT);

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

static const char SQL_LOAD[] = "SELECT content_type, name, created_by FROM files WHERE sha256 = $1";

int files_store_load(struct store *st, const char *sha, char **ret_type, char **ret_name,
                     int64_t *ret_owner)
{
	struct stmt *s = store_stmt(st, SQL_LOAD);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, sha);
	r = store_step(st, s);
	if (r == 1) {
		*ret_type = xstrdup(store_col_text(s, 0));
		*ret_name = xstrdup(store_col_text(s, 1));
		*ret_owner = store_col_int(s, 2);
	}
	store_reset(s);
	return r == 1 ? 0 : r == 0 ? -ERR_NOT_FOUND : r;
}

static const char SQL_UPLOADER_ADD[] =
        "INSERT INTO file_uploads (sha256, user_id, at) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING";

int files_store_uploader_add(struct store *st, const char *sha, int64_t user_id)
{
	struct stmt *s = store_stmt(st, SQL_UPLOADER_ADD);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, sha);
	store_bind_int(s, 2, user_id);
	store_bind_int(s, 3, clock_now());
	return store_exec_stmt(st, s);
}

static const char SQL_UPLOADED_BY[] =
        "SELECT 1 FROM file_uploads WHERE sha256 = $1 AND user_id = $2";

bool files_store_uploaded_by(struct store *st, const char *sha, int64_t user_id)
{
	struct stmt *s = store_stmt(st, SQL_UPLOADED_BY);
	bool yes;

	if (!s)
		return false;
	store_bind_text(s, 1, sha);
	store_bind_int(s, 2, user_id);
	yes = store_step(st, s) == 1;
	store_reset(s);
	return yes;
}

static const char SQL_LINKS[] =
        "SELECT kind, object_id FROM file_links WHERE sha256 = $1 ORDER BY kind, object_id "
        "LIMIT 1000";

static json_t *link_row(struct stmt *s)
{
	return json_pack("{s:s, s:I}", "kind", store_col_text(s, 0), "id",
	                 (json_int_t)store_col_int(s, 1));
}

int files_store_links(struct store *st, const char *sha, json_t **ret)
{
	struct stmt *s = store_stmt(st, SQL_LINKS);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, sha);
	return store_rows(st, s, link_row, ret);
}

static const char SQL_LINK_ADD[] =
        "INSERT INTO file_links (sha256, kind, object_id) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING";

int files_store_link_add(struct store *st, const char *sha, const char *kind, int64_t id)
{
	struct stmt *s = store_stmt(st, SQL_LINK_ADD);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, sha);
	store_bind_text(s, 2, kind);
	store_bind_int(s, 3, id);
	return store_exec_stmt(st, s);
}
