/*
 * routes_org.c: users, their roles and administrator actions, and departments.
 */
#include "core/common.h"
#include "core/clock.h"
#include "core/util.h"
#include "app/app.h"
#include "auth/auth.h"
#include "core/spec.h"
#include "http/http.h"
#include "http/routes.h"
#include "cli/cli.h"
#include "org/org.h"

#include <sodium.h>

/* The public view of a user plus its lock state (auth knows the failures). */
static json_t *user_view(struct req *rq, const struct user *u)
{
	struct lockout_status ls;
	json_t *o = org_user_json(u);
	char t[RFC3339_LEN];

	if (auth_lock_status(rq->app, rq->st, u, &ls) == 0) {
		json_object_set_new(o, "locked", json_boolean(ls.state != LOCKOUT_OPEN));
		time_format_rfc3339(ls.until, t);
		json_object_set_new(o, "locked_until",
		                    ls.state == LOCKOUT_LOCKED ? json_string(t) : json_null());
	}
	return o;
}

static int reply_user(struct req *rq, unsigned status, int64_t id, const char *password)
{
	struct user u = { 0 };
	json_t *body;
	int r = org_user_load(rq->st, id, &u);

	if (r < 0)
		return r;
	body = json_pack("{s:o}", "user", user_view(rq, &u));
	if (password)
		json_object_set_new(body, "initial_password", json_string(password));
	user_release(&u);
	return reply_json(rq, status, body);
}

/* The filter of the account lists: ?department_id, ?q and the page. */
static int user_filter_of(struct req *rq, struct user_filter *f)
{
	const char *dept = req_query(rq, "department_id");
	uint64_t v;
	int r;

	r = req_page(rq, &f->limit, &f->after);
	if (r < 0)
		return r;
	if (dept) {
		if (parse_uint(dept, INT64_MAX, &v) < 0)
			return problem_setf(&rq->problem, ERR_INVALID, "invalid", "department_id",
			                    "a department id");
		f->department_id = (int64_t)v;
	}
	f->q = req_query(rq, "q");
	if (f->q && (strlen(f->q) > 64 || !utf8_valid(f->q, strlen(f->q), false)))
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "q", "at most 64 bytes");
	return 0;
}

/* Each account of a list page gets its lock state, as one account's answer has it. */
static void add_lock_states(struct req *rq, json_t *items)
{
	json_t *o, *v;
	size_t i;

	json_array_foreach(items, i, o) {
		struct user u = { 0 };

		if (org_user_load(rq->st, json_integer_value(json_object_get(o, "id")), &u) == 0) {
			v = user_view(rq, &u);
			json_object_set(o, "locked", json_object_get(v, "locked"));
			json_object_set(o, "locked_until", json_object_get(v, "locked_until"));
			json_decref(v);
		}
		user_release(&u);
	}
}

int h_users_list(struct req *rq)
{
	struct user_filter f = { 0 };
	json_t *items = NULL;
	int64_t next = 0;
	int r = user_filter_of(rq, &f);

	if (r == 0)
		r = org_user_list(rq->st, &rq->actor, &f, &items, &next, &rq->problem);
	if (r < 0)
		return r;
	add_lock_states(rq, items);
	return reply_json(rq, 200, page_json(items, next));
}

int h_directory(struct req *rq)
{
	struct user_filter f = { 0 };
	json_t *items = NULL;
	int64_t next = 0;
	int r = user_filter_of(rq, &f);

	if (r == 0)
		r = org_directory(rq->st, &f, &items, &next);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

static unsigned roles_of(json_t *arr, int *bad)
{
	unsigned roles = 0, bit;
	size_t i;
	json_t *e;

	*bad = -1;
	json_array_foreach(arr, i, e) {
		bit = json_is_string(e) ? role_from_name(json_string_value(e)) : 0;
		if (!bit) {
			*bad = (int)i;
			return 0;
		}
		roles |= bit;
	}
	return roles;
}

static const struct spec_field user_create_fields[] = {
	{ .name = "username",
	  .type = SPEC_TEXT,
	  .flags = SPEC_REQUIRED,
	  .max_len = 256,
	  .zh = "登录名",
	  .en = "the login name" },
	{ .name = "display_name",
	  .type = SPEC_TEXT,
	  .flags = SPEC_REQUIRED,
	  .max_len = 1024,
	  .zh = "姓名",
	  .en = "the name" },
	{ .name = "department_id",
	  .type = SPEC_ID,
	  .flags = SPEC_NULLABLE,
	  .zh = "部门",
	  .en = "the department" },
	{ .name = "email",
	  .type = SPEC_TEXT,
	  .flags = SPEC_NULLABLE,
	  .max_len = 254,
	  .zh = "电子邮件",
	  .en = "the e-mail address" },
	{ .name = NULL },
};
static const struct spec user_create = { .fields = user_create_fields };

int h_users_create(struct req *rq)
{
	struct user_input in = { 0 };
	json_t *body;
	char *pw = NULL;
	int64_t id = 0;
	int r = req_spec(rq, &user_create, false, &body);

	if (r < 0)
		return r;
	in.username = json_string_value(json_object_get(body, "username"));
	in.display_name = json_string_value(json_object_get(body, "display_name"));
	in.email = json_string_value(json_object_get(body, "email"));
	in.department_id = json_integer_value(json_object_get(body, "department_id"));
	r = org_user_create(rq->st, &rq->actor, &in, 0, &id, &pw, &rq->problem);
	if (r < 0)
		return r;
	r = reply_user(rq, 201, id, pw);
	sodium_memzero(pw, strlen(pw));
	free(pw);
	return r;
}

int h_user_get(struct req *rq)
{
	if (!org_may_read_user(&rq->actor, rq->params[0]))
		return problem_set(&rq->problem, ERR_FORBIDDEN, "forbidden", NULL);
	return reply_user(rq, 200, rq->params[0], NULL);
}

int h_user_patch(struct req *rq)
{
	json_t *body;
	int r = req_body(rq, &body);

	if (r == 0)
		r = org_user_update(rq->st, &rq->actor, rq->params[0], body, &rq->problem);
	if (r < 0)
		return r;
	return reply_user(rq, 200, rq->params[0], NULL);
}

int h_user_unlock(struct req *rq)
{
	int r = auth_admin_unlock(rq->app, rq->st, &rq->actor, rq->params[0], &rq->problem);

	if (r < 0)
		return r;
	return reply_user(rq, 200, rq->params[0], NULL);
}

int h_user_disable(struct req *rq)
{
	int r = org_user_set_disabled(rq->st, &rq->actor, rq->params[0], true, &rq->problem);

	if (r < 0)
		return r;
	return reply_user(rq, 200, rq->params[0], NULL);
}

int h_user_enable(struct req *rq)
{
	int r = org_user_set_disabled(rq->st, &rq->actor, rq->params[0], false, &rq->problem);

	if (r < 0)
		return r;
	return reply_user(rq, 200, rq->params[0], NULL);
}

int h_user_reset_password(struct req *rq)
{
	char *pw = NULL;
	int r = auth_admin_reset_password(rq->app, rq->st, &rq->actor, rq->params[0], &pw,
	                                  &rq->problem);

	if (r < 0)
		return r;
	r = reply_user(rq, 200, rq->params[0], pw);
	sodium_memzero(pw, strlen(pw));
	free(pw);
	return r;
}

int h_user_reset_totp(struct req *rq)
{
	int r = auth_admin_reset_totp(rq->app, rq->st, &rq->actor, rq->params[0], &rq->problem);

	if (r < 0)
		return r;
	return reply_user(rq, 200, rq->params[0], NULL);
}

static const struct spec_field user_roles_fields[] = {
	{ .name = "roles",
	  .type = SPEC_ARRAY,
	  .flags = SPEC_REQUIRED,
	  .max_len = 32,
	  .zh = "角色",
	  .en = "the roles" }, /* each name: roles_of below */
	{ .name = NULL },
};
static const struct spec user_roles = { .fields = user_roles_fields };

int h_user_roles(struct req *rq)
{
	json_t *body, *arr;
	unsigned roles;
	int r, bad;

	r = req_spec(rq, &user_roles, false, &body);
	if (r < 0)
		return r;
	arr = json_object_get(body, "roles");
	if (!json_is_array(arr))
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "roles",
		                    "a list of role names");
	roles = roles_of(arr, &bad);
	if (bad >= 0)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "roles",
		                    "unknown role at position %d", bad);
	r = org_user_set_roles(rq->st, &rq->actor, rq->params[0], roles, &rq->problem);
	if (r < 0)
		return r;
	return reply_user(rq, 200, rq->params[0], NULL);
}

/* The API tokens of an account, for the security administrator (ASVS B5: administrators
 * can end anyone's logins). */
int h_user_tokens(struct req *rq)
{
	struct user u = { 0 };
	json_t *items = NULL;
	int r = org_user_load(rq->st, rq->params[0], &u);

	user_release(&u);
	if (r == 0)
		r = auth_token_list(rq->st, &rq->actor, rq->params[0], &items, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, json_pack("{s:o}", "items", items));
}

int h_user_token_revoke(struct req *rq)
{
	int r = auth_token_revoke(rq->st, &rq->actor, rq->params[0], rq->params[1], &rq->problem);

	if (r < 0)
		return r;
	return reply_json(rq, 200, json_pack("{s:b}", "ok", 1));
}

int h_departments_list(struct req *rq)
{
	json_t *items = NULL;
	int64_t after, next = 0;
	int limit, r;

	r = req_page(rq, &limit, &after);
	if (r < 0)
		return r;
	r = org_department_list(rq->st, after, limit, &items, &next);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

static int reply_department(struct req *rq, unsigned status, int64_t id)
{
	json_t *d = NULL;
	int r = org_department_get(rq->st, id, &d);

	if (r < 0)
		return r;
	return reply_json(rq, status, json_pack("{s:o}", "department", d));
}

int h_departments_create(struct req *rq)
{
	json_t *body;
	int64_t id = 0;
	int r = req_body(rq, &body);

	if (r == 0)
		r = org_department_create(rq->st, &rq->actor, body, &id, &rq->problem);
	if (r < 0)
		return r;
	return reply_department(rq, 201, id);
}

int h_department_get(struct req *rq)
{
	return reply_department(rq, 200, rq->params[0]);
}

int h_department_patch(struct req *rq)
{
	json_t *body;
	int r = req_body(rq, &body);

	if (r == 0)
		r = org_department_update(rq->st, &rq->actor, rq->params[0], body, &rq->problem);
	if (r < 0)
		return r;
	return reply_department(rq, 200, rq->params[0]);
}

/* --- the module (app/module.h) ---------------------------------------------------- */

static const struct permission org_perms[] = {
	{ "users.read", PERM_OVERSIGHT, "查看全部账号", "See every account" },
	{ "users.manage", PERM_SYSTEM, "开设、修改、停用、启用、解锁账号和重置密码",
	  "Open, change, disable, enable and unlock accounts, reset passwords" },
	{ "users.grant", PERM_SECURITY, "授予和撤销角色，重置双因素登录，查看和撤销他人的 API 令牌",
	  "Grant and revoke roles, reset two-factor login, see and revoke others' API tokens" },
	{ "directory.read", PERM_COMMON, "查看通讯录、部门和角色",
	  "See the directory, departments and roles" },
	{ "departments.manage", PERM_SYSTEM, "设立和修改部门及其负责人",
	  "Create and change departments and their heads" },
};

static const struct route org_routes[] = {
	{ "GET", "/api/v1/users", h_users_list, 0, "users.read" },
	{ "POST", "/api/v1/users", h_users_create, 0, "users.manage" },
	{ "GET", "/api/v1/users/{id}", h_user_get, 0, "directory.read" },
	{ "GET", "/api/v1/directory", h_directory, 0, "directory.read" },
	{ "PATCH", "/api/v1/users/{id}", h_user_patch, 0, "users.manage" },
	{ "POST", "/api/v1/users/{id}/unlock", h_user_unlock, 0, "users.manage" },
	{ "POST", "/api/v1/users/{id}/disable", h_user_disable, 0, "users.manage" },
	{ "POST", "/api/v1/users/{id}/enable", h_user_enable, 0, "users.manage" },
	{ "POST", "/api/v1/users/{id}/reset-password", h_user_reset_password, 0, "users.manage" },
	{ "POST", "/api/v1/users/{id}/reset-totp", h_user_reset_totp, 0, "users.grant" },
	{ "POST", "/api/v1/users/{id}/roles", h_user_roles, 0, "users.grant" },
	{ "GET", "/api/v1/users/{id}/tokens", h_user_tokens, 0, "users.grant" },
	{ "DELETE", "/api/v1/users/{id}/tokens/{token}", h_user_token_revoke, 0, "users.grant" },
	{ "GET", "/api/v1/departments", h_departments_list, 0, "directory.read" },
	{ "POST", "/api/v1/departments", h_departments_create, 0, "departments.manage" },
	{ "GET", "/api/v1/departments/{id}", h_department_get, 0, "directory.read" },
	{ "PATCH", "/api/v1/departments/{id}", h_department_patch, 0, "departments.manage" },
	{ "GET", "/api/v1/roles", h_roles_list, 0, "directory.read" },
};

static const struct cli_command org_cli[] = {
	{ "user", cmd_user, "list, unlock and reset accounts as the local operator" },
};

const struct module org_module = {
	.name = "org",
	.perms = MODULE_LIST(org_perms),
	.routes = MODULE_LIST(org_routes),
	.cli = MODULE_LIST(org_cli),
};
