/*
 * org.c: the organization verbs: accounts, departments and roles, with their permission
 * checks (the domain decides, the routes only ask) and audit entries.
 */
#include "core/common.h"
#include "core/actor.h"
#include "core/perm.h"
#include "core/spec.h"
#include "core/clock.h"
#include "core/util.h"
#include "audit/audit.h"
#include "crypto/password.h"
#include "org/org_int.h"
#include "store/store.h"

#include <sodium.h>

bool org_username_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > USERNAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return false;
	}
	return true;
}

static bool display_name_valid(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && utf8_valid(s, n, false) && utf8_count(s) <= DISPLAY_NAME_MAX &&
	       s[0] != ' ' && s[n - 1] != ' ';
}

static bool email_valid(const char *s)
{
	const char *at = strchr(s, '@');
	size_t n = strlen(s);

	return n >= 3 && n <= 254 && utf8_valid(s, n, false) && at && at != s && at[1] &&
	       !strchr(at + 1, '@') && !strpbrk(s, " \t\r\n<>\",;");
}

json_t *org_user_json(const struct user *u)
{
	char created[RFC3339_LEN], login[RFC3339_LEN], changed[RFC3339_LEN], expires[RFC3339_LEN];
	json_t *roles = json_array(), *o;
	unsigned i;

	for (i = 0; role_names[i]; i++)
		if (u->roles & (1u << i))
			json_array_append_new(roles, json_string(role_names[i]));
	time_format_rfc3339(u->created_at, created);
	time_format_rfc3339(u->last_login_at, login);
	time_format_rfc3339(u->pw_changed_at, changed);
	time_format_rfc3339(u->expires_at, expires);
	o = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:b, s:b, s:b, s:s, s:s, s:o, s:I}", "id",
	              (json_int_t)u->id, "username", u->username, "display_name", u->display_name,
	              "department_id",
	              u->department_id > 0 ? json_integer(u->department_id) : json_null(), "email",
	              u->email ? json_string(u->email) : json_null(), "roles", roles, "disabled",
	              u->disabled, "must_change_password", u->must_change_pw, "totp_enabled",
	              u->totp_secret != NULL, "created_at", created, "password_changed_at", changed,
	              "last_login_at", u->last_login_at ? json_string(login) : json_null(),
	              "version", (json_int_t)u->version);
	json_object_set_new(o, "expires_at", u->expires_at ? json_string(expires) : json_null());
	json_object_set_new(o, "locale", json_string(*u->locale ? u->locale : "zh-CN"));
	return o;
}

bool org_may_read_user(const struct actor *a, int64_t id)
{
	return a->user_id == id || perm_check(a, "users.read", 0);
}

/* The local operator (CLI, user_id 0) acts with the system administrator's powers over
 * accounts and departments; over HTTP the permission is required. */
static bool may(const struct actor *a, const char *perm)
{
	return a->user_id == 0 || perm_check(a, perm, 0);
}

static char *object_of(const char *kind, int64_t id)
{
	return xasprintf("%s:%" PRId64, kind, id);
}

static int check_input(struct store *st, const struct user_input *in, struct problem *p)
{
	int r;

	if (!in->username || !*in->username)
		return problem_setf(p, ERR_INVALID, "invalid", "username", "required");
	if (!org_username_valid(in->username))
		return problem_setf(p, ERR_INVALID, "invalid", "username",
		                    "2 to 64 of a-z, 0-9, '.', '_' and '-', starting with a "
		                    "letter or digit");
	if (!in->display_name || !display_name_valid(in->display_name))
		return problem_setf(p, ERR_INVALID, "invalid", "display_name",
		                    "1 to %d characters, no control characters", DISPLAY_NAME_MAX);
	if (in->email && !email_valid(in->email))
		return problem_setf(p, ERR_INVALID, "invalid", "email", "not an e-mail address");
	if (in->department_id < 0)
		return problem_setf(p, ERR_INVALID, "invalid", "department_id",
		                    "no such department");
	if (in->department_id > 0) {
		r = org_store_department_exists(st, in->department_id);
		if (r < 0)
			return r;
		if (r == 0)
			return problem_setf(p, ERR_INVALID, "invalid", "department_id",
			                    "no such department");
	}
	return 0;
}

int org_user_create(struct store *st, const struct actor *a, const struct user_input *in,
                    unsigned roles, int64_t *ret_id, char **ret_password, struct problem *p)
{
	char hash[PASSWORD_HASH_MAX];
	char *pw = NULL, *obj = NULL;
	struct user u = { 0 };
	int64_t id = 0;
	int r;

	if (!may(a, "users.manage"))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	r = check_input(st, in, p);
	if (r < 0)
		return r;
	pw = password_generate();
	r = password_hash(pw, hash);
	if (r < 0)
		goto out;
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = org_store_user_insert(st, in, hash, clock_now(), &id);
	if (r == -ERR_CONFLICT) {
		r = problem_setf(p, ERR_CONFLICT, "username_taken", "username",
		                 "the login name is already in use");
		goto end;
	}
	if (r < 0)
		goto end;
	if (roles) {
		r = org_separation_check(&(struct duties){ .roles = roles }, p);
		if (r == 0)
			r = org_store_roles_replace(st, id, roles, a->user_id, clock_now());
		if (r == -ERR_CONFLICT) {
			r = problem_set(p, ERR_CONFLICT, "admin_separation", "roles");
			goto end;
		}
		if (r < 0)
			goto end;
	}
	r = org_user_load(st, id, &u);
	if (r < 0)
		goto end;
	obj = object_of("user", id);
	{
		json_t *after = org_user_json(&u);

		r = audit_append(st, &(struct audit_event){ .actor = a,
		                                            .action = "user.create",
		                                            .object = obj,
		                                            .after = after });
		json_decref(after);
	}
end:
	r = store_end(st, r);
	if (r == 0) {
		*ret_id = id;
		*ret_password = pw;
		pw = NULL;
	}
out:
	if (pw) {
		sodium_memzero(pw, strlen(pw));
		free(pw);
	}
	sodium_memzero(hash, sizeof(hash));
	free(obj);
	user_release(&u);
	return r;
}

/* Reads "version" from a change set; -ERR_INVALID when missing or not an integer. */
static int change_version(json_t *changes, int64_t *ret, struct problem *p)
{
	json_t *v = json_object_get(changes, "version");

	if (!json_is_integer(v))
		return problem_setf(p, ERR_INVALID, "invalid", "version",
		                    "send the version you read, to detect concurrent edits");
	*ret = json_integer_value(v);
	return 0;
}

bool org_locale_valid(const char *s)
{
	return STREQ(s, "zh-CN") || STREQ(s, "en");
}

int org_user_set_locale(struct store *st, const struct actor *a, const char *locale, json_t **ret,
                        struct problem *p)
{
	struct user u = { 0 };
	json_t *before = NULL, *after = NULL;
	char *obj = NULL;
	int r;

	if (a->user_id <= 0)
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (!locale || !org_locale_valid(locale))
		return problem_setf(p, ERR_INVALID, "invalid", "locale", "must be zh-CN or en");
	r = store_begin(st);
	if (r < 0)
		return r;
	r = org_user_load(st, a->user_id, &u);
	if (r < 0)
		goto end;
	before = json_pack("{s:s}", "locale", u.locale);
	(void)snprintf(u.locale, sizeof(u.locale), "%s", locale);
	r = org_store_user_update(st, &u);
	if (r < 0)
		goto end;
	u.version++;
	after = json_pack("{s:s}", "locale", u.locale);
	obj = object_of("user", u.id);
	r = audit_append(st, &(struct audit_event){ .actor = a,
	                                            .action = "user.locale",
	                                            .object = obj,
	                                            .before = before,
	                                            .after = after });
end:
	r = store_end(st, r);
	if (r == 0)
		*ret = org_user_json(&u);
	json_decref(before);
	json_decref(after);
	free(obj);
	user_release(&u);
	return r;
}

static const char *const locales[] = { "zh-CN", "en", NULL };
static const struct spec_field user_change_fields[] = {
	{ .name = "display_name",
	  .type = SPEC_TEXT,
	  .max_len = DISPLAY_NAME_MAX,
	  .zh = "姓名",
	  .en = "the name" },
	{ .name = "department_id",
	  .type = SPEC_INT,
	  .flags = SPEC_NULLABLE,
	  .zh = "部门",
	  .en = "the department" },
	{ .name = "email",
	  .type = SPEC_TEXT,
	  .flags = SPEC_NULLABLE,
	  .max_len = 254,
	  .zh = "电子邮件",
	  .en = "the e-mail address" },
	{ .name = "locale", .type = SPEC_TEXT, .one_of = locales, .zh = "语言", .en = "language" },
	{ .name = "version", .type = SPEC_ANY },
	{ .name = NULL },
};
static const struct spec user_changes = { .fields = user_change_fields };

int org_user_update(struct store *st, const struct actor *a, int64_t id, json_t *changes,
                    struct problem *p)
{
	struct user u = { 0 };
	struct user_input in;
	json_t *before = NULL, *after = NULL, *v;
	char *obj = NULL;
	int64_t version = 0;
	int r;

	if (!may(a, "users.manage"))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	r = spec_check(&user_changes, changes, "", p);
	if (r < 0)
		return r;
	r = change_version(changes, &version, p);
	if (r < 0)
		return r;
	r = store_begin(st);
	if (r < 0)
		return r;
	r = org_user_load(st, id, &u);
	if (r < 0)
		goto end;
	if (u.version != version) {
		r = problem_set(p, ERR_CONFLICT, "stale_version", "version");
		goto end;
	}
	before = org_user_json(&u);
	in.username = u.username;
	in.display_name = u.display_name;
	in.department_id = u.department_id;
	in.email = u.email;
	if ((v = json_object_get(changes, "display_name")))
		in.display_name = json_string_value(v);
	if ((v = json_object_get(changes, "department_id"))) {
		in.department_id = json_is_null(v) ? 0 : json_integer_value(v);
		if (json_is_integer(v) && in.department_id <= 0)
			in.department_id = -1;
	}
	if ((v = json_object_get(changes, "email")))
		in.email = json_is_null(v) ? NULL : json_string_value(v);
	if ((v = json_object_get(changes, "locale"))) {
		(void)snprintf(u.locale, sizeof(u.locale), "%s", json_string_value(v));
	}
	r = check_input(st, &in, p);
	if (r < 0)
		goto end;
	{
		char *dn = xstrdup(in.display_name), *em = in.email ? xstrdup(in.email) : NULL;

		free(u.display_name);
		free(u.email);
		u.display_name = dn;
		u.email = em;
		u.department_id = in.department_id;
	}
	r = org_store_user_update(st, &u);
	if (r == -ERR_CONFLICT) {
		r = problem_set(p, ERR_CONFLICT, "stale_version", "version");
		goto end;
	}
	if (r < 0)
		goto end;
	u.version++;
	after = org_user_json(&u);
	obj = object_of("user", id);
	r = audit_append(st, &(struct audit_event){ .actor = a,
	                                            .action = "user.update",
	                                            .object = obj,
	                                            .before = before,
	                                            .after = after });
end:
	r = store_end(st, r);
	json_decref(before);
	json_decref(after);
	free(obj);
	user_release(&u);
	return r;
}

int org_user_set_disabled(struct store *st, const struct actor *a, int64_t id, bool disabled,
                          struct problem *p)
{
	struct user u = { 0 };
	json_t *before = NULL, *after = NULL;
	char *obj = NULL;
	int r;

	if (!may(a, "users.manage"))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (a->user_id == id && disabled)
		return problem_setf(p, ERR_FORBIDDEN, "forbidden", NULL,
		                    "an administrator cannot disable its own account");
	r = store_begin(st);
	if (r < 0)
		return r;
	r = org_user_load(st, id, &u);
	if (r < 0)
		goto end;
	r = org_store_user_set_disabled(st, id, disabled);
	if (r < 0)
		goto end;
	if (disabled) {
		/* ASVS B4: disabling ends every session at once. */
		r = org_store_sessions_end(st, id);
		if (r < 0)
			goto end;
	}
	obj = object_of("user", id);
	before = json_pack("{s:b}", "disabled", u.disabled);
	after = json_pack("{s:b}", "disabled", disabled);
	r = audit_append(st,
	                 &(struct audit_event){ .actor = a,
	                                        .action = disabled ? "user.disable" : "user.enable",
	                                        .object = obj,
	                                        .before = before,
	                                        .after = after });
end:
	r = store_end(st, r);
	json_decref(before);
	json_decref(after);
	free(obj);
	user_release(&u);
	return r;
}

static json_t *roles_json(unsigned roles)
{
	json_t *arr = json_array();
	unsigned i;

	for (i = 0; role_names[i]; i++)
		if (roles & (1u << i))
			json_array_append_new(arr, json_string(role_names[i]));
	return arr;
}

int org_user_set_expiry(struct store *st, const struct actor *a, int64_t id, int64_t expires_at,
                        struct problem *p)
{
	struct user u = { 0 };
	json_t *before = NULL, *after = NULL;
	char *obj = NULL, t[RFC3339_LEN];
	int r;

	if (!may(a, "users.manage"))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	r = store_begin(st);
	if (r < 0)
		return r;
	r = org_user_load(st, id, &u);
	if (r < 0)
		goto end;
	r = org_store_user_set_expiry(st, id, expires_at);
	if (r < 0)
		goto end;
	if (expires_at > 0 && expires_at <= clock_now())
		r = org_store_sessions_end(st, id);
	if (r < 0)
		goto end;
	obj = object_of("user", id);
	time_format_rfc3339(u.expires_at, t);
	before = json_pack("{s:s?}", "expires_at", u.expires_at ? t : NULL);
	time_format_rfc3339(expires_at, t);
	after = json_pack("{s:s?}", "expires_at", expires_at ? t : NULL);
	r = audit_append(st, &(struct audit_event){ .actor = a,
	                                            .action = "user.expiry",
	                                            .object = obj,
	                                            .before = before,
	                                            .after = after });
end:
	r = store_end(st, r);
	json_decref(before);
	json_decref(after);
	free(obj);
	user_release(&u);
	return r;
}

int org_user_set_roles(struct store *st, const struct actor *a, int64_t id, unsigned roles,
                       struct problem *p)
{
	struct user u = { 0 };
	char *obj = NULL;
	json_t *before = NULL, *after = NULL;
	int r;

	if (!perm_check(a, "users.grant", 0))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (a->user_id == id)
		return problem_setf(p, ERR_FORBIDDEN, "forbidden", "roles",
		                    "nobody grants or revokes their own roles");
	r = store_begin(st);
	if (r < 0)
		return r;
	r = org_user_load(st, id, &u);
	if (r < 0)
		goto end;
	r = org_separation_check(
	        &(struct duties){ .roles = roles, .heads_department = u.heads_department }, p);
	if (r < 0)
		goto end;
	/* ACC-7: an administrator role is granted only through an approved admin_account
	 * request (the general manager's authorization); the local operator of the data folder
	 * (break-glass, audited) is the exception. */
	if (perm_roles_admin(roles & ~u.roles) && a->user_id > 0 && a->request_id == 0) {
		r = problem_setf(p, ERR_CONFLICT, "authorization_required", "roles",
		                 "an administrator role needs the general manager's authorization: "
		                 "file an admin_account request");
		goto end;
	}
	before = json_pack("{s:o}", "roles", roles_json(u.roles));
	after = json_pack("{s:o}", "roles", roles_json(roles));
	if (a->request_id)
		json_object_set_new(after, "request_id", json_integer(a->request_id));
	r = org_store_roles_replace(st, id, roles, a->user_id, clock_now());
	if (r == -ERR_CONFLICT) {
		r = problem_set(p, ERR_CONFLICT, "admin_separation", "roles");
		goto end;
	}
	if (r < 0)
		goto end;
	obj = object_of("user", id);
	r = audit_append(st, &(struct audit_event){ .actor = a,
	                                            .action = "user.roles",
	                                            .object = obj,
	                                            .before = before,
	                                            .after = after });
end:
	r = store_end(st, r);
	json_decref(before);
	json_decref(after);
	free(obj);
	user_release(&u);
	return r;
}

static const struct spec_field department_fields_spec[] = {
	{ .name = "name",
	  .type = SPEC_TEXT,
	  .max_len = DISPLAY_NAME_MAX,
	  .zh = "部门名称",
	  .en = "the name" },
	{ .name = "parent_id",
	  .type = SPEC_INT,
	  .flags = SPEC_NULLABLE,
	  .zh = "上级部门",
	  .en = "the parent department" },
	{ .name = "head_user_id",
	  .type = SPEC_INT,
	  .flags = SPEC_NULLABLE,
	  .zh = "部门负责人",
	  .en = "the head" },
	{ .name = "version", .type = SPEC_ANY },
	{ .name = NULL },
};
static const struct spec department_spec = { .fields = department_fields_spec };

/* Validates the department fields of in (name, parent_id, head_user_id) over defaults. */
static int department_fields(struct store *st, json_t *in, int64_t self, const char **name,
                             int64_t *parent, int64_t *head, struct problem *p)
{
	json_t *v;
	int r = spec_check(&department_spec, in, "", p);

	if (r < 0)
		return r;
	if ((v = json_object_get(in, "name"))) {
		if (!display_name_valid(json_string_value(v)))
			return spec_problem(p, "name", "bad_format", "部门名称", "the name",
			                    "%N不能为空，也不能含控制字符",
			                    "%N must not be empty or hold control characters");
		*name = json_string_value(v);
	}
	if (!*name)
		return spec_problem(p, "name", "required", "部门名称", "the name", "请填写%N",
		                    "%N is required");
	if ((v = json_object_get(in, "parent_id"))) {
		*parent = json_is_null(v) ? 0 : json_integer_value(v);
		if (json_is_integer(v)) {
			r = *parent > 0 && *parent != self
			            ? org_store_department_exists(st, *parent)
			            : 0;
			if (r < 0)
				return r;
			if (r == 0)
				return problem_setf(p, ERR_INVALID, "invalid", "parent_id",
				                    "no such department");
		}
	}
	if ((v = json_object_get(in, "head_user_id"))) {
		*head = json_is_null(v) ? 0 : json_integer_value(v);
		if (json_is_integer(v)) {
			struct user u = { 0 };

			r = *head > 0 ? org_user_load(st, *head, &u) : -ERR_NOT_FOUND;
			if (r == -ERR_NOT_FOUND)
				return problem_setf(p, ERR_INVALID, "invalid", "head_user_id",
				                    "no such user");
			if (r == 0)
				r = org_separation_check(
				        &(struct duties){ .roles = u.roles,
				                          .heads_department = true },
				        p);
			user_release(&u);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int org_department_create(struct store *st, const struct actor *a, json_t *in, int64_t *ret_id,
                          struct problem *p)
{
	const char *name = NULL;
	int64_t parent = 0, head = 0, id = 0;
	json_t *after = NULL;
	char *obj = NULL;
	int r;

	if (!may(a, "departments.manage"))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (json_object_get(in, "version"))
		return problem_setf(p, ERR_INVALID, "unknown_field", "version",
		                    "a new department has no version");
	r = store_begin(st);
	if (r < 0)
		return r;
	r = department_fields(st, in, 0, &name, &parent, &head, p);
	if (r < 0)
		goto end;
	r = org_store_department_insert(st, name, parent, head, clock_now(), &id);
	if (r == -ERR_CONFLICT) {
		r = problem_setf(p, ERR_CONFLICT, "name_taken", "name",
		                 "a department with this name exists");
		goto end;
	}
	if (r < 0)
		goto end;
	r = org_store_department_load(st, id, &after);
	if (r < 0)
		goto end;
	obj = object_of("department", id);
	r = audit_append(st, &(struct audit_event){ .actor = a,
	                                            .action = "department.create",
	                                            .object = obj,
	                                            .after = after });
end:
	r = store_end(st, r);
	if (r == 0)
		*ret_id = id;
	json_decref(after);
	free(obj);
	return r;
}

/* Would parent become id's ancestor through id itself (4 -> 5 -> 4)? Such a loop drops both
 * departments out of the tree, so it is refused; so is a chain deeper than any organization. */
static int check_no_cycle(struct store *st, int64_t id, int64_t parent, struct problem *p)
{
	int64_t at = parent;
	int depth, r;

	for (depth = 0; at > 0; depth++) {
		if (at == id)
			return problem_setf(p, ERR_INVALID, "invalid", "parent_id",
			                    at == parent ? "a department cannot be its own parent"
			                                 : "the department would be below itself: "
			                                   "departments form a tree");
		if (depth >= 64)
			return problem_setf(p, ERR_INVALID, "invalid", "parent_id",
			                    "departments nest at most 64 deep");
		r = org_store_department_parent(st, at, &at);
		if (r < 0)
			return r;
	}
	return 0;
}

int org_department_update(struct store *st, const struct actor *a, int64_t id, json_t *changes,
                          struct problem *p)
{
	json_t *before = NULL, *after = NULL;
	const char *name;
	int64_t parent, head, version = 0;
	char *obj = NULL, *name_copy = NULL;
	int r;

	if (!may(a, "departments.manage"))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (!json_is_object(changes))
		return problem_set(p, ERR_INVALID, "invalid", NULL);
	r = change_version(changes, &version, p);
	if (r < 0)
		return r;
	r = store_begin(st);
	if (r < 0)
		return r;
	r = org_store_department_load(st, id, &before);
	if (r < 0)
		goto end;
	if (json_integer_value(json_object_get(before, "version")) != version) {
		r = problem_set(p, ERR_CONFLICT, "stale_version", "version");
		goto end;
	}
	name_copy = xstrdup(json_string_value(json_object_get(before, "name")));
	name = name_copy;
	parent = json_integer_value(json_object_get(before, "parent_id"));
	head = json_integer_value(json_object_get(before, "head_user_id"));
	r = department_fields(st, changes, id, &name, &parent, &head, p);
	if (r < 0)
		goto end;
	r = check_no_cycle(st, id, parent, p);
	if (r < 0)
		goto end;
	r = org_store_department_update(st, id, name, parent, head, version);
	if (r == -ERR_CONFLICT) {
		r = problem_setf(p, ERR_CONFLICT, "name_taken", "name",
		                 "a department with this name exists, or it changed meanwhile");
		goto end;
	}
	if (r < 0)
		goto end;
	r = org_store_department_load(st, id, &after);
	if (r < 0)
		goto end;
	obj = object_of("department", id);
	r = audit_append(st, &(struct audit_event){ .actor = a,
	                                            .action = "department.update",
	                                            .object = obj,
	                                            .before = before,
	                                            .after = after });
end:
	r = store_end(st, r);
	json_decref(before);
	json_decref(after);
	free(obj);
	free(name_copy);
	return r;
}
