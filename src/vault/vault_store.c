/*
 * vault_store.c: every SQL statement of the credential vault (tables vault_meta,
 * vault_entries and vault_reveals, migrations/0007_vault.sql). Secrets arrive here only
 * sealed; nothing in this file ever sees clear text.
 */
#include "core/common.h"
#include "core/actor.h"
#include "store/store.h"
#include "vault/vault_int.h"

#include <sodium.h>

/* --- vault_meta ---------------------------------------------------------------------- */

static const char SQL_META_LOAD[] =
        "SELECT key_id, created_at, failures, last_failure_at, locked_until FROM vault_meta "
        "WHERE id = 1";

int vault_store_meta_load(struct store *st, struct vault_meta *ret)
{
	struct stmt *s = store_stmt(st, SQL_META_LOAD);
	int r = store_step(st, s);

	if (r == 0)
		r = -ERR_NOT_FOUND;
	if (r > 0) {
		memset(ret, 0, sizeof(*ret));
		(void)snprintf(ret->key_id, sizeof(ret->key_id), "%s", store_col_text(s, 0));
		ret->created_at = store_col_int(s, 1);
		ret->failures = store_col_i32(s, 2);
		ret->last_failure_at = store_col_int(s, 3);
		ret->locked_until = store_col_int(s, 4);
		r = 0;
	}
	store_reset(s);
	return r;
}

static const char SQL_META_INSERT[] =
        "INSERT INTO vault_meta (id, key_id, created_at, created_by) VALUES (1, $1, $2, $3)";

int vault_store_meta_insert(struct store *st, const char *key_id, int64_t now,
                            const char *created_by)
{
	struct stmt *s = store_stmt(st, SQL_META_INSERT);

	store_bind_text(s, 1, key_id);
	store_bind_int(s, 2, now);
	store_bind_text(s, 3, created_by);
	return store_exec_stmt(st, s);
}

static const char SQL_META_FAILURES[] =
        "UPDATE vault_meta SET failures = $1, last_failure_at = $2, locked_until = $3, "
        "version = version + 1 WHERE id = 1";

int vault_store_meta_failures(struct store *st, int failures, int64_t last_failure_at,
                              int64_t locked_until)
{
	struct stmt *s = store_stmt(st, SQL_META_FAILURES);

	store_bind_int(s, 1, failures);
	store_bind_id(s, 2, last_failure_at);
	store_bind_id(s, 3, locked_until);
	return store_exec_stmt(st, s);
}

static const char SQL_ENTRY_COUNT[] = "SELECT count(*) FROM vault_entries WHERE $1 = $1";

int vault_store_entry_count(struct store *st, int64_t *ret)
{
	int r = store_query_int(st, SQL_ENTRY_COUNT, 0, ret);

	return r < 0 ? r : 0;
}

/* --- entries ------------------------------------------------------------------------- */

void vault_entry_release(struct vault_entry *e)
{
	json_decref(e->row);
	free(e->secret);
	memset(e, 0, sizeof(*e));
}

#define ENTRY_COLUMNS                                                                              \
 "id, name, kind, system, host, username, reveal_roles, notes, rotated_at, rotate_due_at, "        \
 "rotate_reason, vendor_access_at, vendor, vendor_note, remind_level, next_remind_at, "            \
 "created_at, version"

static json_t *int_or_null(struct stmt *s, int i)
{
	return store_col_is_null(s, i) ? json_null() : json_integer(store_col_int(s, i));
}

/* The raw row of ENTRY_COLUMNS. */
static json_t *entry_row(struct stmt *s)
{
	json_t *roles = json_loads(store_col_text(s, 6), JSON_REJECT_DUPLICATES, NULL);

	if (!json_is_array(roles)) {
		json_decref(roles);
		roles = json_array();
	}
	return json_pack(
	        "{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:I, s:I, s:s, s:o, s:o, s:o, "
	        "s:i, s:I, s:I, s:I}",
	        "id", (json_int_t)store_col_int(s, 0), "name", store_col_text(s, 1), "kind",
	        store_col_text(s, 2), "system", store_col_text(s, 3), "host", store_col_text(s, 4),
	        "username", store_col_text(s, 5), "reveal_roles", roles, "notes",
	        store_col_text(s, 7), "rotated_at", (json_int_t)store_col_int(s, 8),
	        "rotate_due_at", (json_int_t)store_col_int(s, 9), "rotate_reason",
	        store_col_text(s, 10), "vendor_access_at", int_or_null(s, 11), "vendor",
	        store_col_json_text(s, 12), "vendor_note", store_col_json_text(s, 13),
	        "remind_level", store_col_i32(s, 14), "next_remind_at",
	        (json_int_t)store_col_int(s, 15), "created_at", (json_int_t)store_col_int(s, 16),
	        "version", (json_int_t)store_col_int(s, 17));
}

static const char SQL_ENTRY_LOAD[] =
        "SELECT " ENTRY_COLUMNS ", secret FROM vault_entries WHERE id = $1";

int vault_store_entry_load(struct store *st, int64_t id, struct vault_entry *ret)
{
	struct stmt *s = store_stmt(st, SQL_ENTRY_LOAD);
	struct vault_entry e = { 0 };
	json_t *v;
	size_t i, n;
	int r;

	store_bind_int(s, 1, id);
	r = store_step(st, s);
	if (r == 0)
		r = -ERR_NOT_FOUND;
	if (r < 0)
		goto out;
	e.row = entry_row(s);
	if (!e.row) {
		r = -ERR_INTERNAL;
		goto out;
	}
	e.id = id;
	e.version = store_col_int(s, 17);
	e.rotate_due_at = store_col_int(s, 9);
	e.remind_level = store_col_i32(s, 14);
	e.next_remind_at = store_col_int(s, 15);
	json_array_foreach(json_object_get(e.row, "reveal_roles"), i, v) {
		e.roles |= role_from_name(json_string_value(v));
	}
	n = store_col_bytes(s, 18);
	e.secret = xmalloc(n + 1);
	if (n > 0)
		memcpy(e.secret, store_col_blob(s, 18), n);
	e.secret_len = n;
	*ret = e;
	memset(&e, 0, sizeof(e));
	r = 0;
out:
	store_reset(s);
	vault_entry_release(&e);
	return r;
}

static const char SQL_ENTRY_INSERT[] =
        "INSERT INTO vault_entries (name, kind, system, host, username, reveal_roles, notes, "
        "secret, secret_mac, rotated_at, rotate_due_at, rotate_reason, next_remind_at, "
        "created_at, created_by) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, x'', $8, $9, $10, 'yearly', $11, $9, $12)";

int vault_store_entry_insert(struct store *st, const struct vault_entry_fields *f,
                             const unsigned char mac[VAULT_MAC_LEN], int64_t now, int64_t due,
                             int64_t next_remind_at, int64_t created_by, int64_t *ret_id)
{
	struct stmt *s = store_stmt(st, SQL_ENTRY_INSERT);
	int r;

	store_bind_text(s, 1, f->name);
	store_bind_text(s, 2, f->kind);
	store_bind_text(s, 3, f->system ? f->system : "");
	store_bind_text(s, 4, f->host ? f->host : "");
	store_bind_text(s, 5, f->username ? f->username : "");
	store_bind_text(s, 6, f->reveal_roles);
	store_bind_text(s, 7, f->notes ? f->notes : "");
	store_bind_blob(s, 8, mac, VAULT_MAC_LEN);
	store_bind_int(s, 9, now);
	store_bind_int(s, 10, due);
	store_bind_int(s, 11, next_remind_at);
	store_bind_id(s, 12, created_by);
	r = store_exec_stmt(st, s);
	if (r == 0)
		*ret_id = store_last_id(st);
	return r;
}

static const char SQL_ENTRY_SET_SECRET[] = "UPDATE vault_entries SET secret = $2 WHERE id = $1";

int vault_store_entry_set_secret(struct store *st, int64_t id, const unsigned char *blob,
                                 size_t len)
{
	struct stmt *s = store_stmt(st, SQL_ENTRY_SET_SECRET);

	store_bind_int(s, 1, id);
	store_bind_blob(s, 2, blob, len);
	return store_exec_stmt(st, s);
}

static const char SQL_ENTRY_UPDATE[] =
        "UPDATE vault_entries SET name = $3, kind = $4, system = $5, host = $6, username = $7, "
        "reveal_roles = $8, notes = $9, version = version + 1 WHERE id = $1 AND version = $2";

int vault_store_entry_update(struct store *st, int64_t id, int64_t version,
                             const struct vault_entry_fields *f)
{
	struct stmt *s = store_stmt(st, SQL_ENTRY_UPDATE);
	int r;

	store_bind_int(s, 1, id);
	store_bind_int(s, 2, version);
	store_bind_text(s, 3, f->name);
	store_bind_text(s, 4, f->kind);
	store_bind_text(s, 5, f->system);
	store_bind_text(s, 6, f->host);
	store_bind_text(s, 7, f->username);
	store_bind_text(s, 8, f->reveal_roles);
	store_bind_text(s, 9, f->notes);
	r = store_exec_stmt(st, s);
	if (r == 0 && store_changes(st) != 1)
		r = -ERR_CONFLICT;
	return r;
}

static const char SQL_ENTRY_ROTATE[] =
        "UPDATE vault_entries SET secret = $3, secret_mac = $4, rotated_at = $5, "
        "rotate_due_at = $6, rotate_reason = 'yearly', remind_level = 0, next_remind_at = $7, "
        "version = version + 1 WHERE id = $1 AND version = $2";

int vault_store_entry_rotate(struct store *st, int64_t id, int64_t version,
                             const unsigned char *blob, size_t len,
                             const unsigned char mac[VAULT_MAC_LEN], int64_t now, int64_t due,
                             int64_t next_remind_at)
{
	struct stmt *s = store_stmt(st, SQL_ENTRY_ROTATE);
	int r;

	store_bind_int(s, 1, id);
	store_bind_int(s, 2, version);
	store_bind_blob(s, 3, blob, len);
	store_bind_blob(s, 4, mac, VAULT_MAC_LEN);
	store_bind_int(s, 5, now);
	store_bind_int(s, 6, due);
	store_bind_int(s, 7, next_remind_at);
	r = store_exec_stmt(st, s);
	if (r == 0 && store_changes(st) != 1)
		r = -ERR_CONFLICT;
	return r;
}

static const char SQL_ENTRY_VENDOR[] =
        "UPDATE vault_entries SET vendor = $2, vendor_note = $3, vendor_access_at = $4, "
        "rotate_due_at = $5, rotate_reason = $6, remind_level = $7, next_remind_at = $8, "
        "version = version + 1 WHERE id = $1";

int vault_store_entry_vendor(struct store *st, int64_t id, const char *vendor, const char *note,
                             int64_t at, int64_t due, const char *reason, int remind_level,
                             int64_t next_remind_at)
{
	struct stmt *s = store_stmt(st, SQL_ENTRY_VENDOR);

	store_bind_int(s, 1, id);
	store_bind_text(s, 2, vendor);
	store_bind_text(s, 3, note);
	store_bind_int(s, 4, at);
	store_bind_int(s, 5, due);
	store_bind_text(s, 6, reason);
	store_bind_int(s, 7, remind_level);
	store_bind_int(s, 8, next_remind_at);
	return store_exec_stmt(st, s);
}

static const char SQL_MAC_OWNER[] = "SELECT id FROM vault_entries WHERE secret_mac = $1";

int vault_store_mac_owner(struct store *st, const unsigned char mac[VAULT_MAC_LEN], int64_t *ret_id)
{
	struct stmt *s = store_stmt(st, SQL_MAC_OWNER);
	int r;

	store_bind_blob(s, 1, mac, VAULT_MAC_LEN);
	r = store_step(st, s);
	if (r > 0)
		*ret_id = store_col_int(s, 0);
	store_reset(s);
	return r;
}

static const char SQL_NAME_OWNER[] = "SELECT id FROM vault_entries WHERE name = $1";

int vault_store_name_owner(struct store *st, const char *name, int64_t *ret_id)
{
	struct stmt *s = store_stmt(st, SQL_NAME_OWNER);
	int r;

	store_bind_text(s, 1, name);
	r = store_step(st, s);
	if (r > 0)
		*ret_id = store_col_int(s, 0);
	store_reset(s);
	return r;
}

static const char SQL_ENTRY_LIST[] = "SELECT " ENTRY_COLUMNS " FROM vault_entries "
                                     "WHERE id > $1 AND ($2 IS NULL OR kind = $2) "
                                     "ORDER BY id LIMIT $3";

int vault_store_entry_list(struct store *st, const char *kind, int64_t after, int limit,
                           json_t **ret_rows)
{
	struct stmt *s = store_stmt(st, SQL_ENTRY_LIST);

	store_bind_int(s, 1, after);
	store_bind_text(s, 2, kind);
	store_bind_int(s, 3, limit);
	return store_rows(st, s, entry_row, ret_rows);
}

/* --- reveals ------------------------------------------------------------------------- */

static const char SQL_REVEAL_INSERT[] =
        "INSERT INTO vault_reveals (entry_id, user_id, username, reason, source, at) "
        "VALUES ($1, $2, $3, $4, $5, $6)";

int vault_store_reveal_insert(struct store *st, int64_t entry_id, int64_t user_id,
                              const char *username, const char *reason, const char *source,
                              int64_t at)
{
	struct stmt *s = store_stmt(st, SQL_REVEAL_INSERT);

	store_bind_int(s, 1, entry_id);
	store_bind_id(s, 2, user_id);
	store_bind_text(s, 3, username ? username : "");
	store_bind_text(s, 4, reason);
	store_bind_text(s, 5, source ? source : "");
	store_bind_int(s, 6, at);
	return store_exec_stmt(st, s);
}

static json_t *reveal_row(struct stmt *s)
{
	return json_pack("{s:I, s:I, s:s, s:o, s:s, s:s, s:s, s:I}", "id",
	                 (json_int_t)store_col_int(s, 0), "entry_id",
	                 (json_int_t)store_col_int(s, 1), "entry_name", store_col_text(s, 2),
	                 "user_id", int_or_null(s, 3), "username", store_col_text(s, 4), "reason",
	                 store_col_text(s, 5), "source", store_col_text(s, 6), "at",
	                 (json_int_t)store_col_int(s, 7));
}

static const char SQL_REVEAL_LIST[] =
        "SELECT r.id, r.entry_id, e.name, r.user_id, r.username, r.reason, r.source, r.at "
        "FROM vault_reveals r JOIN vault_entries e ON e.id = r.entry_id "
        "WHERE ($1 = 0 OR r.entry_id = $1) AND ($2 = 0 OR r.id < $2) ORDER BY r.id DESC LIMIT $3";

int vault_store_reveal_list(struct store *st, int64_t entry_id, int64_t after, int limit,
                            json_t **ret_rows)
{
	struct stmt *s = store_stmt(st, SQL_REVEAL_LIST);

	store_bind_int(s, 1, entry_id);
	store_bind_int(s, 2, after);
	store_bind_int(s, 3, limit);
	return store_rows(st, s, reveal_row, ret_rows);
}

/* --- reminders ----------------------------------------------------------------------- */

static json_t *id_row(struct stmt *s)
{
	return json_integer(store_col_int(s, 0));
}

static const char SQL_REMIND_DUE[] = "SELECT id FROM vault_entries WHERE next_remind_at <= $1 "
                                     "ORDER BY next_remind_at, id LIMIT $2";

int vault_store_remind_due(struct store *st, int64_t now, int limit, json_t **ret_ids)
{
	struct stmt *s = store_stmt(st, SQL_REMIND_DUE);

	store_bind_int(s, 1, now);
	store_bind_int(s, 2, limit);
	return store_rows(st, s, id_row, ret_ids);
}

static const char SQL_REMIND_SET[] =
        "UPDATE vault_entries SET remind_level = $3, next_remind_at = $4 "
        "WHERE id = $1 AND next_remind_at = $2";

int vault_store_remind_set(struct store *st, int64_t id, int64_t old_next, int level,
                           int64_t next_at)
{
	struct stmt *s = store_stmt(st, SQL_REMIND_SET);
	int r;

	store_bind_int(s, 1, id);
	store_bind_int(s, 2, old_next);
	store_bind_int(s, 3, level);
	store_bind_int(s, 4, next_at);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 1 : 0;
}
