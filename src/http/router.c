/*
 * router.c: the route table and the dispatcher. Routes are data; the dispatcher, not the
 * handler, enforces in this order: method and path, body limit and JSON shape, session or
 * API token, password_change_required, totp_enrollment_required, CSRF on unsafe methods,
 * then the route's permission. The routes are the modules' (app/module.h: each module's
 * table); the domain verbs check permissions again (DESIGN: not only in routes).
 */
#include "core/common.h"
#include "core/log.h"
#include "core/util.h"
#include "app/app.h"
#include "app/module.h"
#include "core/perm.h"
#include "audit/audit.h"
#include "http/http.h"
#include "http/routes.h"
#include "store/store.h"

/* Matches path against pattern, capturing {id} segments (positive integers). */
static bool path_match(const char *pattern, const char *path, int64_t params[2])
{
	int np = 0;

	while (*pattern && *path) {
		if (pattern[0] == '{') {
			const char *end = strchr(pattern, '}');
			char seg[24];
			size_t n = strcspn(path, "/");
			uint64_t v;

			if (!end || n == 0 || n >= sizeof(seg) || np >= 2)
				return false;
			memcpy(seg, path, n);
			seg[n] = '\0';
			if (parse_uint(seg, INT64_MAX, &v) < 0 || v == 0)
				return false;
			params[np++] = (int64_t)v;
			pattern = end + 1;
			path += n;
			continue;
		}
		if (*pattern != *path)
			return false;
		pattern++;
		path++;
	}
	return *pattern == '\0' && *path == '\0';
}

void router_resolve(struct req *rq)
{
	size_t m, i;

	rq->route = NULL;
	rq->path_known = false;
	if (strlen(rq->url) > 512)
		return;
	for (m = 0; modules[m]; m++)
		for (i = 0; i < modules[m]->nroutes; i++) {
			const struct route *rt = &modules[m]->routes[i];
			int64_t params[2] = { 0, 0 };

			if (!path_match(rt->pattern, rq->url, params))
				continue;
			rq->path_known = true;
			if (STREQ(rt->method, rq->method)) {
				rq->route = rt;
				memcpy(rq->params, params, sizeof(params));
				return;
			}
		}
}

static bool unsafe_method(const char *m)
{
	return !STREQ(m, "GET") && !STREQ(m, "HEAD") && !STREQ(m, "OPTIONS");
}

/* Lists the methods of the routes matching the path in rq->allow, for a 405. */
static void allowed_methods(struct req *rq)
{
	size_t m, i, n = 0;

	rq->allow[0] = '\0';
	for (m = 0; modules[m]; m++)
		for (i = 0; i < modules[m]->nroutes; i++) {
			const struct route *rt = &modules[m]->routes[i];
			int64_t params[2] = { 0, 0 };
			int w;

			if (!path_match(rt->pattern, rq->url, params))
				continue;
			w = snprintf(rq->allow + n, sizeof(rq->allow) - n, "%s%s", n ? ", " : "",
			             rt->method);
			if (w < 0 || (size_t)w >= sizeof(rq->allow) - n) {
				rq->allow[n] = '\0'; /* whole names only */
				return;
			}
			n += (size_t)w;
		}
}

static enum MHD_Result finish(struct req *rq, int r)
{
	if (r < 0 && rq->status == 0)
		r = reply_error(rq, r);
	return r < 0 ? MHD_NO : MHD_YES;
}

/* Records a refused request in the audit trail (ASVS F3: failed authorizations and
 * validation trips). action is "access.denied" or "request.invalid". */
static void audit_refusal(struct req *rq, const char *action, const char *code)
{
	struct actor anon = { .user_id = 0, .username = "anonymous", .source = rq->source };
	json_t *d =
	        json_pack("{s:s, s:s, s:s}", "method", rq->method, "path", rq->url, "code", code);

	if (rq->problem.field)
		json_object_set_new(d, "field", json_string(rq->problem.field));
	if (audit_record(rq->st, &(struct audit_event){ .actor = rq->authed ? &rq->actor : &anon,
	                                                .action = action,
	                                                .outcome = "denied",
	                                                .detail = d }) < 0)
		log_warn("cannot record a refused request in the audit trail");
	json_decref(d);
}

struct query_seen {
	const char *names[32];
	int n;
	bool dup, nul;
};

static enum MHD_Result count_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 size_t key_size, const char *value, size_t value_size)
{
	struct query_seen *seen = cls;
	int i;

	(void)kind;
	/* A %00 would cut the value short for every C string that reads it (an upload's name
	 * "a.pdf%00.exe" would become "a.pdf"): refused, as any other control character is
	 * where the value is used. */
	if (strlen(key) != key_size || (value && strlen(value) != value_size))
		seen->nul = true;
	for (i = 0; i < seen->n; i++)
		if (STREQ(seen->names[i], key))
			seen->dup = true;
	if (seen->n < 32)
		seen->names[seen->n++] = key;
	return MHD_YES;
}

static int check_query(struct req *rq)
{
	struct query_seen seen = { .n = 0 };

	MHD_get_connection_values_n(rq->conn, MHD_GET_ARGUMENT_KIND, count_arg, &seen);
	if (seen.nul)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", NULL,
		                    "a query parameter holds a NUL character (%%00)");
	if (seen.dup)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", NULL,
		                    "a query parameter appears twice");
	if (seen.n >= 32)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", NULL,
		                    "too many query parameters");
	return 0;
}

static int parse_body(struct req *rq)
{
	const char *ct = req_header(rq, "Content-Type");
	json_error_t jerr;

	if (rq->body.len == 0)
		return 0;
	/* A body is JSON only when it says so (ASVS V4: a form post or a text/plain body from
	 * another site must not be read as an API call). */
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' '))
		return problem_setf(&rq->problem, ERR_INVALID, "unsupported_media_type", NULL,
		                    "Content-Type must be application/json");
	rq->json = json_loadb(rq->body.data, rq->body.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!rq->json)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid_json", NULL, "line %d: %s",
		                    jerr.line, jerr.text);
	if (!json_is_object(rq->json)) {
		json_decref(rq->json);
		rq->json = NULL;
		return problem_setf(
		        &rq->problem, ERR_INVALID, "invalid_json", NULL,
		        "the body must be a JSON object, not an array or a single value");
	}
	return 0;
}

static const char *bearer(struct req *rq)
{
	const char *h = req_header(rq, "Authorization");

	if (h && strncasecmp(h, "Bearer ", 7) == 0)
		return h + 7;
	return NULL;
}

static int authenticate(struct req *rq)
{
	const char *tok = bearer(rq);
	const char *cookie;
	int r;

	if (tok) {
		r = auth_token_resolve(rq->app, rq->st, tok, &rq->session, &rq->problem);
	} else {
		cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND,
		                                     server_tls(rq->srv) ? "__Host-isms_session"
		                                                         : "isms_session");
		r = auth_session_resolve(rq->app, rq->st, cookie, &rq->session, &rq->problem);
	}
	if (r < 0)
		return r;
	rq->authed = true;
	rq->actor.user_id = rq->session.user.id;
	rq->actor.username = rq->session.user.username;
	rq->actor.roles = org_effective_roles(&rq->session.user);
	rq->actor.department_id = rq->session.user.department_id;
	rq->actor.source = rq->source;
	return 0;
}

/* The gates after authentication; returns -ERR_FORBIDDEN with the code, or 0. */
static int gates(struct req *rq, const struct route *rt)
{
	const struct auth_session *s = &rq->session;
	bool unsafe = unsafe_method(rq->method);
	const char *site;

	if (s->via_token) {
		if (rt->flags & ROUTE_NO_TOKEN)
			return problem_setf(&rq->problem, ERR_FORBIDDEN, "forbidden", NULL,
			                    "not available to API tokens");
		if (!(s->token_scopes & (unsafe ? TOKEN_WRITE : TOKEN_READ)))
			return problem_setf(&rq->problem, ERR_FORBIDDEN, "forbidden", NULL,
			                    "the token lacks the \"%s\" scope",
			                    unsafe ? "write" : "read");
	}
	if (s->must_change_password && !(rt->flags & ROUTE_ALLOW_PW_CHANGE))
		return problem_set(&rq->problem, ERR_FORBIDDEN, "password_change_required", NULL);
	if (s->totp_enrollment_required && !(rt->flags & ROUTE_ALLOW_TOTP_SETUP))
		return problem_set(&rq->problem, ERR_FORBIDDEN, "totp_enrollment_required", NULL);
	if (unsafe && !s->via_token) {
		site = req_header(rq, "Sec-Fetch-Site");
		if ((site && STREQ(site, "cross-site")) ||
		    !auth_csrf_ok(s, req_header(rq, "X-CSRF-Token"))) {
			audit_refusal(rq, "access.denied", "csrf");
			return problem_set(&rq->problem, ERR_FORBIDDEN, "csrf", NULL);
		}
	}
	/* The route's permission (app/module.h); the verb checks again, with the department. */
	if (!perm_check(&rq->actor, rt->perm, 0))
		return problem_setf(&rq->problem, ERR_FORBIDDEN, "forbidden", NULL,
		                    "needs the permission \"%s\"", rt->perm);
	return 0;
}

enum MHD_Result router_dispatch(struct req *rq)
{
	const struct route *rt = rq->route; /* resolved when the request began */
	int r;

	rq->st = app_store(rq->app);
	if (!rq->st)
		return finish(rq, -ERR_INTERNAL);
	if (!rt && !rq->path_known) {
		r = static_serve(rq);
		if (r != 0)
			return r > 0 ? MHD_YES : finish(rq, r);
	}
	if (!rt && rq->path_known)
		allowed_methods(rq);
	if (!rt)
		return finish(rq, rq->path_known ? problem_set(&rq->problem, ERR_INVALID,
		                                               "method_not_allowed", NULL)
		                                 : problem_set(&rq->problem, ERR_NOT_FOUND,
		                                               "not_found", NULL));
	if (rq->too_large)
		return finish(rq, problem_set(&rq->problem, ERR_TOO_LARGE, "too_large", NULL));
	r = check_query(rq);
	if (r == 0 && !(rt->flags & ROUTE_UPLOAD))
		r = parse_body(rq);
	if (r < 0 && !(rt->flags & ROUTE_PUBLIC)) {
		/* Refused before authentication: still find out who sent it, so that a
		 * logged-in caller's malformed request is audited like any other (ASVS F3). */
		struct problem refused = rq->problem;

		(void)authenticate(rq);
		rq->problem = refused;
	}
	if (r == 0 && !(rt->flags & ROUTE_PUBLIC)) {
		r = authenticate(rq);
		if (r == 0)
			r = gates(rq, rt);
	}
	if (r == 0)
		r = rt->fn(rq);
	/* Refusals of authenticated callers are audited; anonymous ones only at login, so
	 * that nobody can fill the trail without an account. */
	if (r < 0 && rq->status == 0 && rq->authed) {
		if (r == -ERR_FORBIDDEN && rq->problem.code && STREQ(rq->problem.code, "forbidden"))
			audit_refusal(rq, "access.denied", "forbidden");
		else if (r == -ERR_INVALID)
			audit_refusal(rq, "request.invalid",
			              rq->problem.code ? rq->problem.code : "invalid");
	}
	return finish(rq, r);
}
