/*
 * routes_session.c: log in (POST /api/v1/session) and log out (DELETE).
 */
#include "core/common.h"
#include "app/app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "core/log.h"
#include "core/spec.h"
#include "http/http.h"
#include "http/routes.h"

#include <sodium.h>

static const char *cookie_name(struct req *rq)
{
	return server_tls(rq->srv) ? "__Host-isms_session" : "isms_session";
}

static char *cookie(struct req *rq, const char *value, bool expire)
{
	return xasprintf("%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", cookie_name(rq), value,
	                 server_tls(rq->srv) ? "; Secure" : "", expire ? "; Max-Age=0" : "");
}

static const struct spec_field login_fields[] = {
	{ .name = "username",
	  .type = SPEC_TEXT,
	  .flags = SPEC_REQUIRED,
	  .max_len = 256,
	  .zh = "用户名",
	  .en = "the user name" },
	{ .name = "password",
	  .type = SPEC_TEXT,
	  .flags = SPEC_REQUIRED | SPEC_MULTILINE,
	  .max_len = 4096,
	  .zh = "密码",
	  .en = "the password" },
	{ .name = "otp",
	  .type = SPEC_TEXT,
	  .flags = SPEC_NULLABLE,
	  .max_len = 64,
	  .zh = "动态验证码",
	  .en = "the code" },
	{ .name = NULL },
};
static const struct spec login = { .fields = login_fields };

int h_session_create(struct req *rq)
{
	struct security_policy pol;
	struct login_output out;
	struct login_input in = { 0 };
	char name[USERNAME_MAX + 1];
	json_t *body;
	size_t i;
	int r;

	/* Two limits (ASVS V2 anti-automation without a lockout lever): a large one per client
	 * address, whatever the names, and the smaller one per address and login name, so that
	 * junk logins under other names from a shared address (a proxy, a NAT) do not shut a
	 * real person out. The refusals are audited once per minute and key, with a count. */
	app_policy(rq->app, &pol);
	if (!ratelimit_allow(
	            &(struct ratelimit_key){ .scope = "login-address", .source = rq->source },
	            pol.login_rate_per_address))
		return problem_set(&rq->problem, ERR_RATE_LIMITED, "rate_limited", NULL);
	r = req_spec(rq, &login, false, &body);
	if (r < 0)
		return r;
	in.username = json_string_value(json_object_get(body, "username"));
	in.password = json_string_value(json_object_get(body, "password"));
	in.otp = json_string_value(json_object_get(body, "otp"));
	/* Login names are case-insensitive (org_user_load_by_name): so is the key. */
	for (i = 0; i < USERNAME_MAX && in.username[i]; i++)
		name[i] = (char)(in.username[i] >= 'A' && in.username[i] <= 'Z'
		                         ? in.username[i] - 'A' + 'a'
		                         : in.username[i]);
	name[i] = '\0';
	if (!org_username_valid(name))
		(void)snprintf(name, sizeof(name), "%s", "(not a login name)");
	if (!ratelimit_allow(
	            &(struct ratelimit_key){ .scope = "login", .source = rq->source, .name = name },
	            pol.login_rate_per_minute))
		return problem_set(&rq->problem, ERR_RATE_LIMITED, "rate_limited", NULL);
	in.source = rq->source;
	in.user_agent = req_header(rq, "User-Agent");
	in.prior_session = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, cookie_name(rq));
	r = auth_login(rq->app, rq->st, &in, &out, &rq->problem);
	if (r < 0)
		return r;
	rq->set_cookie = cookie(rq, out.session, false);
	r = reply_json(rq, 200,
	               json_pack("{s:o, s:s, s:b, s:b}", "user", org_user_json(&out.s.user), "csrf",
	                         out.csrf, "must_change_password", out.s.must_change_password,
	                         "totp_enrollment_required", out.s.totp_enrollment_required));
	sodium_memzero(out.session, sizeof(out.session));
	sodium_memzero(out.csrf, sizeof(out.csrf));
	auth_session_release(&out.s);
	return r;
}

int h_session_delete(struct req *rq)
{
	int r = auth_logout(rq->st, &rq->actor, rq->session.id_hash);

	if (r < 0)
		return r;
	rq->set_cookie = cookie(rq, "", true);
	return reply_json(rq, 200, json_pack("{s:b}", "ok", 1));
}
