/*
 * org_store.c: every SQL statement of the organization module.
 */
#include "core/common.h"
#include "core/actor.h"
#include "core/perm.h"
#include "core/clock.h"
#include "org/org_int.h"
#include "org/org_store.h"
#include "store/store.h"

void user_release(struct user *u)
{
	free(u->display_name);
	free(u->email);
	free(u->totp_secret);
	free(u->totp_pending);
	memset(u, 0, sizeof(*u));
}

static unsigned char *blob_dup(struct stmt *s, int i, size_t *ret_len)
{
	const void *p = store_col_blob(s, i);
	int n = store_col_bytes(s, i);
	unsigned char *out;

	*ret_len = 0;
	if (!p || n <= 0)
		return NULL;
	out = xmalloc((size_t)n);
	memcpy(out, p, (size_t)n);
	*ret_len = (size_t)n;
	return out;
}

static const char SQL_USER_BY_ID[] = "SELECT " ORG_USER_COLUMNS " FROM users WHERE id = $1";
static const char SQL_USER_BY_NAME[] = "SELECT " ORG_USER_COLUMNS " FROM users WHERE username = $1";

static void roles_from_csv(const char *csv, unsigned *ret)
{
	char name[64];
	size_t n = 0;

	*ret = 0;
	for (;; csv++) {
		if (*csv == ',' || *csv == '\0') {
			name[n] = '\0';
			*ret |= role_from_name(name);
			n = 0;
			if (*csv == '\0')
				break;
		} else if (n + 1 < sizeof(name)) {
			name[n++] = *csv;
		}
	}
}

void org_store_user_from_row(struct stmt *s, int c, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = store_col_int(s, c + 0);
	(void)snprintf(u->username, sizeof(u->username), "%s", store_col_text(s, c + 1));
	u->display_name = xstrdup(store_col_text(s, c + 2));
	u->department_id = store_col_int(s, c + 3);
	u->email = store_col_is_null(s, c + 4) ? NULL : xstrdup(store_col_text(s, c + 4));
	(void)snprintf(u->pw_hash, sizeof(u->pw_hash), "%s", store_col_text(s, c + 5));
	u->pw_changed_at = store_col_int(s, c + 6);
	u->must_change_pw = store_col_i32(s, c + 7) != 0;
	u->disabled = store_col_i32(s, c + 8) != 0;
	u->fail_reset_at = store_col_int(s, c + 9);
	u->fails_since_success = store_col_i32(s, c + 10);
	u->hard_locked = store_col_i32(s, c + 11) != 0;
	u->totp_secret = blob_dup(s, c + 12, &u->totp_secret_len);
	u->totp_pending = blob_dup(s, c + 13, &u->totp_pending_len);
	u->totp_last_counter = store_col_int(s, c + 14);
	u->last_login_at = store_col_int(s, c + 15);
	u->created_at = store_col_int(s, c + 16);
	u->version = store_col_int(s, c + 17);
	roles_from_csv(store_col_text(s, c + 18), &u->roles);
	u->expires_at = store_col_int(s, c + 19);
	(void)snprintf(u->locale, sizeof(u->locale), "%s", store_col_text(s, c + 20));
	u->heads_department = store_col_i32(s, c + 21) != 0;
	/* An account past its end (a vendor's temporary account, a departure's effective
	 * time) works like a disabled one everywhere: login, sessions, tokens, approvals. */
	if (u->expires_at > 0 && u->expires_at <= clock_now())
		u->disabled = true;
}

static int user_load(struct store *st, struct stmt *s, struct user *ret)
{
	int r = store_step(st, s);

	if (r == 1) {
		org_store_user_from_row(s, 0, ret);
		r = 0;
	} else if (r == 0) {
		r = -ERR_NOT_FOUND;
	}
	store_reset(s);
	return r;
}

int org_user_load(struct store *st, int64_t id, struct user *ret)
{
	struct stmt *s = store_stmt(st, SQL_USER_BY_ID);

	store_bind_int(s, 1, id);
	return user_load(st, s, ret);
}

int org_user_load_by_name(struct store *st, const char *username, struct user *ret)
{
	struct stmt *s = store_stmt(st, SQL_USER_BY_NAME);

	store_bind_text(s, 1, username);
	return user_load(st, s, ret);
}

static const char SQL_NEXT_ADMIN[] =
        "SELECT " ORG_USER_COLUMNS " FROM users WHERE id > $1 AND EXISTS (SELECT 1 FROM "
        "user_roles ur JOIN roles ro ON ro.name = ur.role WHERE ur.user_id = users.id AND "
        "ro.admin_class = 1) ORDER BY id LIMIT 1";

int org_store_next_admin(struct store *st, int64_t after, struct user *ret)
{
	struct stmt *s = store_stmt(st, SQL_NEXT_ADMIN);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, after);
	r = user_load(st, s, ret);
	return r == 0 ? 1 : r == -ERR_NOT_FOUND ? 0 : r;
}

static const char SQL_USER_INSERT[] =
        "INSERT INTO users (username, display_name, department_id, email, pw_hash, "
        "pw_changed_at, must_change_pw, created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $6)";
static const char SQL_PW_HISTORY_INSERT[] =
        "INSERT INTO password_history (user_id, pw_hash, created_at) VALUES ($1, $2, $3)";

int org_store_user_insert(struct store *st, const struct user_input *in, const char *pw_hash,
                          int64_t now, int64_t *ret_id)
{
	struct stmt *s = store_stmt(st, SQL_USER_INSERT);
	int64_t id;
	int r;

	store_bind_text(s, 1, in->username);
	store_bind_text(s, 2, in->display_name);
	if (in->department_id > 0)
		store_bind_int(s, 3, in->department_id);
	store_bind_text(s, 4, in->email);
	store_bind_text(s, 5, pw_hash);
	store_bind_int(s, 6, now);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	id = store_last_id(st);
	s = store_stmt(st, SQL_PW_HISTORY_INSERT);
	store_bind_int(s, 1, id);
	store_bind_text(s, 2, pw_hash);
	store_bind_int(s, 3, now);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	*ret_id = id;
	return 0;
}

static const char SQL_USER_UPDATE[] =
        "UPDATE users SET display_name = $2, department_id = $3, email = $4, locale = $6, "
        "version = version + 1 WHERE id = $1 AND version = $5";

int org_store_user_update(struct store *st, const struct user *u)
{
	struct stmt *s = store_stmt(st, SQL_USER_UPDATE);
	int r;

	store_bind_int(s, 1, u->id);
	store_bind_text(s, 2, u->display_name);
	if (u->department_id > 0)
		store_bind_int(s, 3, u->department_id);
	store_bind_text(s, 4, u->email);
	store_bind_int(s, 5, u->version);
	store_bind_text(s, 6, *u->locale ? u->locale : "zh-CN");
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 0 : -ERR_CONFLICT;
}

static const char SQL_USER_DISABLE[] =
        "UPDATE users SET disabled = $2, version = version + 1, "
        "expires_at = CASE WHEN $2 = 0 THEN NULL ELSE expires_at END WHERE id = $1";

int org_store_user_set_disabled(struct store *st, int64_t id, bool disabled)
{
	struct stmt *s = store_stmt(st, SQL_USER_DISABLE);

	store_bind_int(s, 1, id);
	store_bind_int(s, 2, disabled);
	return store_exec_stmt(st, s);
}

static const char SQL_USER_EXPIRY[] =
        "UPDATE users SET expires_at = $2, version = version + 1 WHERE id = $1";

int org_store_user_set_expiry(struct store *st, int64_t id, int64_t expires_at)
{
	struct stmt *s = store_stmt(st, SQL_USER_EXPIRY);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, id);
	if (expires_at > 0)
		store_bind_int(s, 2, expires_at);
	else
		store_bind_null(s, 2);
	return store_exec_stmt(st, s);
}

static const char SQL_ROLES_CLEAR[] = "DELETE FROM user_roles WHERE user_id = $1";
static const char SQL_ROLE_ADD[] =
        "INSERT INTO user_roles (user_id, role, granted_by, granted_at) VALUES ($1, $2, $3, $4)";
static const char SQL_USER_TOUCH[] = "UPDATE users SET version = version + 1 WHERE id = $1";

int org_store_roles_replace(struct store *st, int64_t id, unsigned roles, int64_t by, int64_t now)
{
	struct stmt *s = store_stmt(st, SQL_ROLES_CLEAR);
	unsigned i;
	int r;

	store_bind_int(s, 1, id);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	for (i = 0; role_names[i]; i++) {
		if (!(roles & (1u << i)))
			continue;
		s = store_stmt(st, SQL_ROLE_ADD);
		store_bind_int(s, 1, id);
		store_bind_text(s, 2, role_names[i]);
		if (by > 0)
			store_bind_int(s, 3, by);
		store_bind_int(s, 4, now);
		r = store_exec_stmt(st, s);
		if (r < 0)
			return r;
	}
	s = store_stmt(st, SQL_USER_TOUCH);
	store_bind_int(s, 1, id);
	return store_exec_stmt(st, s);
}

static const char SQL_SESSIONS_END[] = "DELETE FROM sessions WHERE user_id = $1";

int org_store_sessions_end(struct store *st, int64_t user_id)
{
	struct stmt *s = store_stmt(st, SQL_SESSIONS_END);

	store_bind_int(s, 1, user_id);
	return store_exec_stmt(st, s);
}

static int exists(struct store *st, const char *sql, int64_t id)
{
	int64_t one;

	return store_query_int(st, sql, id, &one);
}

static const char SQL_DEPT_EXISTS[] = "SELECT 1 FROM departments WHERE id = $1";

int org_store_department_exists(struct store *st, int64_t id)
{
	return exists(st, SQL_DEPT_EXISTS, id);
}

static const char SQL_USER_LIST[] = "SELECT " ORG_USER_COLUMNS " FROM users WHERE id > $1 "
                                    "AND ($2 = 0 OR department_id = $2) "
                                    "AND ($3 IS NULL OR instr(lower(username), lower($3)) > 0 "
                                    "     OR instr(display_name, $3) > 0) "
                                    "ORDER BY id LIMIT $4";

/* An entry of the people directory: enough to pick and name a person, nothing more. */
static json_t *directory_json(const struct user *u)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:b}", "id", (json_int_t)u->id, "username",
	                 u->username, "display_name", u->display_name, "department_id",
	                 u->department_id ? json_integer(u->department_id) : json_null(),
	                 "disabled",
	                 u->disabled || (u->expires_at > 0 && u->expires_at <= clock_now()));
}

static int user_page(struct store *st, const struct user_filter *f,
                     json_t *(*view)(const struct user *), json_t **ret_items, int64_t *ret_next)
{
	struct stmt *s = store_stmt(st, SQL_USER_LIST);
	json_t *items;
	int r, n = 0;
	int64_t last = 0;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, f->after);
	store_bind_int(s, 2, f->department_id);
	store_bind_text(s, 3, f->q);
	store_bind_int(s, 4, f->limit + 1);
	items = json_array();
	while ((r = store_step(st, s)) == 1) {
		struct user u;

		if (n == f->limit)
			break;
		org_store_user_from_row(s, 0, &u);
		json_array_append_new(items, view(&u));
		last = u.id;
		user_release(&u);
		n++;
	}
	store_reset(s);
	if (r < 0) {
		json_decref(items);
		return r;
	}
	*ret_items = items;
	*ret_next = r == 1 ? last : 0;
	return 0;
}

int org_user_list(struct store *st, const struct actor *a, const struct user_filter *f,
                  json_t **ret_items, int64_t *ret_next, struct problem *p)
{
	if (!perm_check(a, "users.read", 0))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	return user_page(st, f, org_user_json, ret_items, ret_next);
}

int org_directory(struct store *st, const struct user_filter *f, json_t **ret_items,
                  int64_t *ret_next)
{
	return user_page(st, f, directory_json, ret_items, ret_next);
}

static const char SQL_DEPT_COLUMNS_BY_ID[] =
        "SELECT id, name, parent_id, head_user_id, created_at, version FROM departments "
        "WHERE id = $1";
static const char SQL_DEPT_LIST[] =
        "SELECT id, name, parent_id, head_user_id, created_at, version FROM departments "
        "WHERE id > $1 ORDER BY id LIMIT $2";

static json_t *dept_from_row(struct stmt *s)
{
	char created[RFC3339_LEN];
	json_t *o;

	/* DESIGN: times are RFC 3339 UTC on the wire (the column holds unix seconds). */
	time_format_rfc3339(store_col_int(s, 4), created);
	o = json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)store_col_int(s, 0), "name",
	              store_col_text(s, 1), "created_at", created, "version",
	              (json_int_t)store_col_int(s, 5));

	json_object_set_new(o, "parent_id",
	                    store_col_is_null(s, 2) ? json_null()
	                                            : json_integer(store_col_int(s, 2)));
	json_object_set_new(o, "head_user_id",
	                    store_col_is_null(s, 3) ? json_null()
	                                            : json_integer(store_col_int(s, 3)));
	return o;
}

int org_store_department_load(struct store *st, int64_t id, json_t **ret)
{
	struct stmt *s = store_stmt(st, SQL_DEPT_COLUMNS_BY_ID);
	int r;

	store_bind_int(s, 1, id);
	r = store_step(st, s);
	if (r == 1) {
		*ret = dept_from_row(s);
		r = 0;
	} else if (r == 0) {
		r = -ERR_NOT_FOUND;
	}
	store_reset(s);
	return r;
}

int org_department_get(struct store *st, int64_t id, json_t **ret)
{
	return org_store_department_load(st, id, ret);
}

int org_department_list(struct store *st, int64_t after, int limit, json_t **ret_items,
                        int64_t *ret_next)
{
	struct stmt *s = store_stmt(st, SQL_DEPT_LIST);
	json_t *items = json_array();
	int64_t last = 0;
	int r, n = 0;

	store_bind_int(s, 1, after);
	store_bind_int(s, 2, limit + 1);
	while ((r = store_step(st, s)) == 1) {
		if (n == limit)
			break;
		last = store_col_int(s, 0);
		json_array_append_new(items, dept_from_row(s));
		n++;
	}
	store_reset(s);
	if (r < 0) {
		json_decref(items);
		return r;
	}
	*ret_items = items;
	*ret_next = r == 1 ? last : 0;
	return 0;
}

static const char SQL_DEPT_INSERT[] =
        "INSERT INTO departments (name, parent_id, head_user_id, created_at) "
        "VALUES ($1, $2, $3, $4)";

int org_store_department_insert(struct store *st, const char *name, int64_t parent, int64_t head,
                                int64_t now, int64_t *ret_id)
{
	struct stmt *s = store_stmt(st, SQL_DEPT_INSERT);
	int r;

	store_bind_text(s, 1, name);
	store_bind_id(s, 2, parent);
	store_bind_id(s, 3, head);
	store_bind_int(s, 4, now);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	*ret_id = store_last_id(st);
	return 0;
}

static const char SQL_DEPT_UPDATE[] =
        "UPDATE departments SET name = $2, parent_id = $3, head_user_id = $4, "
        "version = version + 1 WHERE id = $1 AND version = $5";

int org_store_department_update(struct store *st, int64_t id, const char *name, int64_t parent,
                                int64_t head, int64_t version)
{
	struct stmt *s = store_stmt(st, SQL_DEPT_UPDATE);
	int r;

	store_bind_int(s, 1, id);
	store_bind_text(s, 2, name);
	store_bind_id(s, 3, parent);
	store_bind_id(s, 4, head);
	store_bind_int(s, 5, version);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 0 : -ERR_CONFLICT;
}

static const char SQL_ROLE_LIST[] =
        "SELECT name, admin_class, title_zh, title_en FROM roles ORDER BY admin_class DESC, name";

int org_role_list(struct store *st, json_t **ret_items)
{
	struct stmt *s = store_stmt(st, SQL_ROLE_LIST);
	json_t *items = json_array();
	int r;

	while ((r = store_step(st, s)) == 1)
		json_array_append_new(
		        items, json_pack("{s:s, s:b, s:s, s:s}", "name", store_col_text(s, 0),
		                         "administrator", store_col_i32(s, 1), "title_zh",
		                         store_col_text(s, 2), "title_en", store_col_text(s, 3)));
	store_reset(s);
	if (r < 0) {
		json_decref(items);
		return r;
	}
	*ret_items = items;
	return 0;
}

static const char SQL_ROLE_UPSERT[] =
        "INSERT INTO roles (name, admin_class, title_zh, title_en) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (name) DO UPDATE SET admin_class = excluded.admin_class, "
        "title_zh = excluded.title_zh, title_en = excluded.title_en";

int org_role_upsert(struct store *st, const char *name, bool admin, const char *title_zh,
                    const char *title_en)
{
	struct stmt *s = store_stmt(st, SQL_ROLE_UPSERT);

	store_bind_text(s, 1, name);
	store_bind_int(s, 2, admin ? 1 : 0);
	store_bind_text(s, 3, title_zh);
	store_bind_text(s, 4, title_en);
	return store_exec_stmt(st, s);
}

static const char SQL_NOTIFY[] =
        "INSERT INTO notifications (user_id, kind, params, created_at) VALUES ($1, $2, $3, $4)";

static org_notify_hook notify_hook;

void org_set_notify_hook(org_notify_hook hook)
{
	notify_hook = hook;
}

int org_notify(struct store *st, int64_t user_id, const char *kind, json_t *params)
{
	struct stmt *s = store_stmt(st, SQL_NOTIFY);
	char *text = params ? json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int r;

	store_bind_int(s, 1, user_id);
	store_bind_text(s, 2, kind);
	store_bind_text(s, 3, text ? text : "{}");
	store_bind_int(s, 4, clock_now());
	r = store_exec_stmt(st, s);
	free(text);
	if (r == 0 && notify_hook)
		r = notify_hook(st, store_last_id(st), user_id, kind, params);
	return r;
}

static const char SQL_ROLE_HOLDERS[] =
        "SELECT u.id FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE ur.role = $1 "
        "AND u.disabled = 0 AND (u.expires_at IS NULL OR u.expires_at > $2) ORDER BY u.id";

static json_t *holder_row(struct stmt *s)
{
	return json_integer(store_col_int(s, 0));
}

int org_role_holders(struct store *st, unsigned role, int64_t now, json_t **ret_ids)
{
	struct stmt *s = store_stmt(st, SQL_ROLE_HOLDERS);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, role_name(role));
	store_bind_int(s, 2, now);
	return store_rows(st, s, holder_row, ret_ids);
}

int org_notify_role(struct store *st, unsigned roles, const char *kind, json_t *params)
{
	json_t *ids = NULL, *v;
	unsigned b;
	size_t i;
	int r = 0;

	for (b = 0; r == 0 && role_names[b]; b++) {
		if (!(roles & (1u << b)))
			continue;
		r = org_role_holders(st, 1u << b, clock_now(), &ids);
		json_array_foreach(ids, i, v) {
			if (r == 0)
				r = org_notify(st, json_integer_value(v), kind, params);
		}
		json_decref(ids);
		ids = NULL;
	}
	return r;
}

static const char SQL_DEPARTMENT_PARENT[] =
        "SELECT coalesce(parent_id, 0) FROM departments WHERE id = $1";

int org_store_department_parent(struct store *st, int64_t id, int64_t *ret)
{
	int r = store_query_int(st, SQL_DEPARTMENT_PARENT, id, ret);

	return r < 0 ? r : r == 1 ? 0 : -ERR_NOT_FOUND;
}

static const char SQL_USER_DEPARTMENT[] = "SELECT department_id FROM users WHERE id = $1";
static const char SQL_DEPARTMENT_HEAD[] = "SELECT head_user_id FROM departments WHERE id = $1";

int64_t org_user_department(struct store *st, int64_t user_id)
{
	int64_t d;

	return store_query_int(st, SQL_USER_DEPARTMENT, user_id, &d) == 1 ? d : 0;
}

int64_t org_department_head(struct store *st, int64_t department_id)
{
	int64_t h;

	if (department_id <= 0)
		return 0;
	return store_query_int(st, SQL_DEPARTMENT_HEAD, department_id, &h) == 1 ? h : 0;
}

static const char SQL_DEPT_HEADS[] = "SELECT DISTINCT d.head_user_id FROM departments d JOIN "
                                     "users u ON u.id = d.head_user_id WHERE u.disabled = 0";

int org_notify_department_heads(struct store *st, const char *kind, json_t *params)
{
	struct stmt *s = store_stmt(st, SQL_DEPT_HEADS);
	json_t *ids = json_array(), *v;
	size_t i;
	int r;

	if (!s) {
		json_decref(ids);
		return -ERR_INTERNAL;
	}
	while ((r = store_step(st, s)) == 1)
		json_array_append_new(ids, json_integer(store_col_int(s, 0)));
	store_reset(s);
	json_array_foreach(ids, i, v) {
		if (r < 0)
			break;
		r = org_notify(st, json_integer_value(v), kind, params);
	}
	json_decref(ids);
	return r < 0 ? r : 0;
}

static const char SQL_NOTIFICATIONS[] =
        "SELECT id, kind, params, created_at, read_at FROM notifications "
        "WHERE user_id = $1 AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3";

int org_notifications(struct store *st, int64_t user_id, int64_t after, int limit,
                      json_t **ret_items, int64_t *ret_next)
{
	struct stmt *s = store_stmt(st, SQL_NOTIFICATIONS);
	json_t *items = json_array();
	int64_t last = 0;
	int r, n = 0;

	store_bind_int(s, 1, user_id);
	store_bind_int(s, 2, after);
	store_bind_int(s, 3, limit + 1);
	while ((r = store_step(st, s)) == 1) {
		char at[RFC3339_LEN], rd[RFC3339_LEN];
		json_t *params;

		if (n == limit)
			break;
		last = store_col_int(s, 0);
		params = json_loads(store_col_text(s, 2), 0, NULL);
		time_format_rfc3339(store_col_int(s, 3), at);
		time_format_rfc3339(store_col_int(s, 4), rd);
		json_array_append_new(
		        items,
		        json_pack("{s:I, s:s, s:o, s:s, s:o}", "id", (json_int_t)last, "kind",
		                  store_col_text(s, 1), "params", params ? params : json_object(),
		                  "created_at", at, "read_at",
		                  store_col_is_null(s, 4) ? json_null() : json_string(rd)));
		n++;
	}
	store_reset(s);
	if (r < 0) {
		json_decref(items);
		return r;
	}
	*ret_items = items;
	*ret_next = r == 1 ? last : 0;
	return 0;
}

static const char SQL_NOTIFICATION_READ[] =
        "UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at IS NULL";
static const char SQL_NOTIFICATION_EXISTS[] =
        "SELECT 1 FROM notifications WHERE id = $1 AND user_id = $2";

int org_notification_read(struct store *st, int64_t user_id, int64_t id)
{
	struct stmt *s = store_stmt(st, SQL_NOTIFICATION_EXISTS);
	int r;

	store_bind_int(s, 1, id);
	store_bind_int(s, 2, user_id);
	r = store_step(st, s);
	store_reset(s);
	if (r <= 0)
		return r == 0 ? -ERR_NOT_FOUND : r;
	s = store_stmt(st, SQL_NOTIFICATION_READ);
	store_bind_int(s, 1, id);
	store_bind_int(s, 2, user_id);
	store_bind_int(s, 3, clock_now());
	return store_exec_stmt(st, s);
}
