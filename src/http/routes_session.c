/*
 * routes_session.c: log in (POST /api/v1/session) and log out (DELETE).
 */
#include "core/common.h"
#include "app/app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "core/log.h"
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

int h_session_create(struct req *rq)
{
	static const char *const allowed[] = { "username", "password", "otp", NULL };
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
	r = req_body(rq, &body);
	if (r == 0)
		r = body_only(rq, body, allowed);
	if (r == 0)
		r = body_string(rq, body, "username", true, 256, &in.username);
	if (r == 0)
		r = body_string(rq, body, "password", true, 4096, &in.password);
	if (r == 0)
		r = body_string(rq, body, "otp", false, 64, &in.otp);
	if (r < 0)
		return r;
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
