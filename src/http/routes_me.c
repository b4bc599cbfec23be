/*
 * routes_me.c: the caller's own account: profile, password, two-factor enrolment,
 * notifications and API tokens.
 */
#include "core/common.h"
#include "app/app.h"
#include "auth/auth.h"
#include "forms/pack.h"
#include "core/spec.h"
#include "http/http.h"
#include "http/routes.h"
#include "access/access.h"
#include "org/org.h"

int h_me_get(struct req *rq)
{
	json_t *u = org_user_json(&rq->session.user), *all, *own;

	/* What the web shows (can('vault.reveal')): the permissions held anywhere, and those
	 * held for the caller's own department only. */
	access_names(&rq->actor, &all, &own);
	return reply_json(
	        rq, 200,
	        json_pack("{s:o, s:b, s:b, s:b, s:o, s:o}", "user", u, "must_change_password",
	                  rq->session.must_change_password, "totp_enrollment_required",
	                  rq->session.totp_enrollment_required, "via_token", rq->session.via_token,
	                  "permissions", all, "department_permissions", own));
}

static const char *const locales[] = { "zh-CN", "en", NULL };
static const struct spec_field me_patch_fields[] = {
	{ .name = "locale",
	  .type = SPEC_TEXT,
	  .flags = SPEC_REQUIRED,
	  .one_of = locales,
	  .zh = "语言",
	  .en = "language" },
	{ .name = NULL },
};
static const struct spec me_patch = { .fields = me_patch_fields };

/* Passwords: any character but NUL (SPEC_MULTILINE lets tabs and line breaks through). */
#define PASSWORD(key, zh_, en_)                                                                    \
 {                                                                                                 \
  .name = key, .type = SPEC_TEXT, .flags = SPEC_REQUIRED | SPEC_MULTILINE, .max_len = 4096,        \
  .zh = zh_, .en = en_                                                                             \
 }

static const struct spec_field me_password_fields[] = {
	PASSWORD("old_password", "原密码", "the current password"),
	PASSWORD("new_password", "新密码", "the new password"),
	{ .name = NULL },
};
static const struct spec me_password = { .fields = me_password_fields };
static const struct spec_field me_password_check_fields[] = {
	PASSWORD("new_password", "新密码", "the new password"),
	{ .name = NULL },
};
static const struct spec me_password_check = { .fields = me_password_check_fields };
static const struct spec_field me_totp_fields[] = {
	{ .name = "code",
	  .type = SPEC_TEXT,
	  .flags = SPEC_REQUIRED,
	  .max_len = 16,
	  .zh = "验证码",
	  .en = "the code" },
	{ .name = NULL },
};
static const struct spec me_totp = { .fields = me_totp_fields };

int h_me_patch(struct req *rq)
{
	json_t *body, *u = NULL;
	int r = req_spec(rq, &me_patch, false, &body);

	if (r == 0)
		r = org_user_set_locale(rq->st, &rq->actor,
		                        json_string_value(json_object_get(body, "locale")), &u,
		                        &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, json_pack("{s:o}", "user", u));
}

int h_me_password(struct req *rq)
{
	const char *old_pw, *new_pw;
	json_t *body;
	int r = req_spec(rq, &me_password, false, &body);

	if (r < 0)
		return r;
	old_pw = json_string_value(json_object_get(body, "old_password"));
	new_pw = json_string_value(json_object_get(body, "new_password"));
	r = auth_password_change(rq->app, rq->st, &rq->actor, rq->session.id_hash, old_pw, new_pw,
	                         &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, json_pack("{s:b}", "ok", 1));
}

int h_me_password_policy(struct req *rq)
{
	return reply_json(rq, 200, auth_password_rules(rq->app));
}

int h_me_password_check(struct req *rq)
{
	const char *pw;
	json_t *body;
	int r = req_spec(rq, &me_password_check, false, &body);

	if (r < 0)
		return r;
	pw = json_string_value(json_object_get(body, "new_password"));
	r = auth_password_try(rq->app, rq->st, &rq->actor, pw, &rq->problem);
	if (r == -ERR_INVALID && rq->problem.code && STREQ(rq->problem.code, "weak_password")) {
		/* The check worked; its answer is that the candidate would be refused. */
		json_t *o = json_pack("{s:b, s:s, s:s}", "ok", 0, "message",
		                      error_message("weak_password", rq->lang_en), "detail",
		                      rq->problem.detail);

		rq->problem = (struct problem){ 0 };
		return reply_json(rq, 200, o);
	}
	if (r < 0)
		return r;
	return reply_json(rq, 200, json_pack("{s:b}", "ok", 1));
}

int h_me_totp(struct req *rq)
{
	json_t *out = NULL;
	int r;

	if (rq->session.must_change_password)
		return problem_set(&rq->problem, ERR_FORBIDDEN, "password_change_required", NULL);
	r = auth_totp_begin(rq->app, rq->st, &rq->actor, &out, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, out);
}

int h_me_totp_confirm(struct req *rq)
{
	json_t *body, *out = NULL;
	int r = req_spec(rq, &me_totp, false, &body);

	if (r < 0)
		return r;
	r = auth_totp_confirm(rq->app, rq->st, &rq->actor,
	                      json_string_value(json_object_get(body, "code")), &out, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, out);
}

/* Sets n[key] to the template's text in the caller's language with n's params filled in. */
static void set_rendered(struct req *rq, json_t *n, const char *key, json_t *label)
{
	char *text = pack_render(label_text(label, rq->lang_en), json_object_get(n, "params"));

	json_object_set_new(n, key, json_string(text ? text : ""));
	free(text);
}

/* Each notification with a template in the pack gets its subject and body in the caller's
 * language (Accept-Language), rendered as the mail and chat messages are. */
static void render_notifications(struct req *rq, json_t *items)
{
	json_t *n, *t;
	size_t i;

	json_array_foreach(items, i, n) {
		t = pack_template(rq->app->pack, json_string_value(json_object_get(n, "kind")));
		if (!t)
			continue;
		set_rendered(rq, n, "subject", json_object_get(t, "subject"));
		set_rendered(rq, n, "body", json_object_get(t, "body"));
	}
}

int h_me_notifications(struct req *rq)
{
	json_t *items = NULL;
	int64_t after, next = 0;
	int limit, r;

	r = req_page(rq, &limit, &after);
	if (r < 0)
		return r;
	r = org_notifications(rq->st, rq->actor.user_id, after, limit, &items, &next);
	if (r < 0)
		return r;
	render_notifications(rq, items);
	return reply_json(rq, 200, page_json(items, next));
}

int h_me_notification_read(struct req *rq)
{
	int r = org_notification_read(rq->st, rq->actor.user_id, rq->params[0]);

	if (r < 0)
		return r;
	return reply_json(rq, 200, json_pack("{s:b}", "ok", 1));
}

int h_me_tokens_list(struct req *rq)
{
	json_t *items = NULL;
	int r = auth_token_list(rq->st, &rq->actor, rq->actor.user_id, &items, &rq->problem);

	if (r < 0)
		return r;
	return reply_json(rq, 200, json_pack("{s:o}", "items", items));
}

int h_me_tokens_create(struct req *rq)
{
	json_t *body, *out = NULL;
	int r;

	r = req_body(rq, &body);
	if (r < 0)
		return r;
	r = auth_token_create(rq->st, &rq->actor, body, &out, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 201, out);
}

int h_me_token_revoke(struct req *rq)
{
	int r = auth_token_revoke(rq->st, &rq->actor, rq->actor.user_id, rq->params[0],
	                          &rq->problem);

	if (r < 0)
		return r;
	return reply_json(rq, 200, json_pack("{s:b}", "ok", 1));
}

int h_me_sessions(struct req *rq)
{
	json_t *items = NULL;
	int r = auth_session_list(rq->st, &rq->actor, rq->session.id_hash, &items);

	if (r < 0)
		return r;
	return reply_json(rq, 200, json_pack("{s:o}", "items", items));
}

int h_me_sessions_end(struct req *rq)
{
	int n = 0, t = 0;
	int r = auth_sessions_end_others(rq->st, &rq->actor, rq->session.id_hash, &n, &t);

	if (r < 0)
		return r;
	return reply_json(rq, 200, json_pack("{s:i, s:i}", "ended", n, "tokens_revoked", t));
}

/* --- the module (app/module.h) ---------------------------------------------------- */

static const struct permission auth_perms[] = {
	{ "self", PERM_COMMON, "本人账号：登录、修改密码、双因素登录、会话、通知和 API 令牌",
	  "One's own account: login, password, two-factor login, sessions, notifications and API tokens" },
};

static const struct route auth_routes[] = {
	{ "POST", "/api/v1/session", h_session_create, ROUTE_PUBLIC, NULL },
	{ "DELETE", "/api/v1/session", h_session_delete,
	  ROUTE_ALLOW_PW_CHANGE | ROUTE_ALLOW_TOTP_SETUP | ROUTE_NO_TOKEN, "self" },
	{ "GET", "/api/v1/me", h_me_get, ROUTE_ALLOW_PW_CHANGE | ROUTE_ALLOW_TOTP_SETUP, "self" },
	{ "POST", "/api/v1/me/password", h_me_password,
	  ROUTE_ALLOW_PW_CHANGE | ROUTE_ALLOW_TOTP_SETUP | ROUTE_NO_TOKEN, "self" },
	{ "GET", "/api/v1/me/password-policy", h_me_password_policy,
	  ROUTE_ALLOW_PW_CHANGE | ROUTE_ALLOW_TOTP_SETUP, "self" },
	{ "POST", "/api/v1/me/password/check", h_me_password_check,
	  ROUTE_ALLOW_PW_CHANGE | ROUTE_ALLOW_TOTP_SETUP | ROUTE_NO_TOKEN, "self" },
	{ "POST", "/api/v1/me/totp", h_me_totp, ROUTE_ALLOW_TOTP_SETUP | ROUTE_NO_TOKEN, "self" },
	{ "POST", "/api/v1/me/totp/confirm", h_me_totp_confirm,
	  ROUTE_ALLOW_TOTP_SETUP | ROUTE_NO_TOKEN, "self" },
	{ "PATCH", "/api/v1/me", h_me_patch, ROUTE_NO_TOKEN, "self" },
	{ "GET", "/api/v1/me/sessions", h_me_sessions, ROUTE_NO_TOKEN, "self" },
	{ "DELETE", "/api/v1/me/sessions", h_me_sessions_end, ROUTE_NO_TOKEN, "self" },
	{ "GET", "/api/v1/me/notifications", h_me_notifications, 0, "self" },
	{ "POST", "/api/v1/me/notifications/{id}/read", h_me_notification_read, 0, "self" },
	{ "GET", "/api/v1/me/tokens", h_me_tokens_list, ROUTE_NO_TOKEN, "self" },
	{ "POST", "/api/v1/me/tokens", h_me_tokens_create, ROUTE_NO_TOKEN, "self" },
	{ "DELETE", "/api/v1/me/tokens/{id}", h_me_token_revoke, ROUTE_NO_TOKEN, "self" },
};

const struct module auth_module = {
	.name = "auth",
	.perms = MODULE_LIST(auth_perms),
	.routes = MODULE_LIST(auth_routes),
};
