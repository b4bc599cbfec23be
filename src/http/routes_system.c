/*
 * routes_system.c: health and the security policy.
 */
#include "core/common.h"
#include "core/clock.h"
#include "app/app.h"
#include "http/http.h"
#include "http/routes.h"
#include "cli/cli.h"
#include "org/org.h"
#include "store/store.h"

int h_health(struct req *rq)
{
	char now[RFC3339_LEN];
	int v = 0, r;

	r = store_version(rq->st, &v);
	if (r < 0)
		return r;
	time_format_rfc3339(clock_now(), now);
	return reply_json(rq, 200,
	                  json_pack("{s:s, s:s, s:i, s:s}", "status", "ok", "version", ISMS_VERSION,
	                            "schema", v, "time", now));
}

int h_roles_list(struct req *rq)
{
	json_t *items = NULL;
	int r = org_role_list(rq->st, &items);

	if (r < 0)
		return r;
	return reply_json(rq, 200, json_pack("{s:o}", "items", items));
}

int h_policy_get(struct req *rq)
{
	struct security_policy pol;

	app_policy(rq->app, &pol);
	return reply_json(rq, 200, settings_to_json(&pol));
}

int h_policy_patch(struct req *rq)
{
	struct security_policy pol;
	json_t *body;
	int r;

	r = req_body(rq, &body);
	if (r < 0)
		return r;
	r = settings_update(rq->st, &rq->actor, body, &rq->problem);
	if (r < 0)
		return r;
	r = app_policy_reload(rq->app, rq->st);
	if (r < 0)
		return r;
	app_policy(rq->app, &pol);
	return reply_json(rq, 200, settings_to_json(&pol));
}

/* --- the module (app/module.h) ---------------------------------------------------- */

static const struct permission system_perms[] = {
	{ "policy.read", PERM_OVERSIGHT, "查看安全策略", "See the security policy" },
	{ "policy.write", PERM_SECURITY, "修改安全策略", "Change the security policy" },
};

static const struct route system_routes[] = {
	{ "GET", "/api/v1/health", h_health, ROUTE_PUBLIC, NULL },
	{ "GET", "/api/v1/security/policy", h_policy_get, 0, "policy.read" },
	{ "PATCH", "/api/v1/security/policy", h_policy_patch, 0, "policy.write" },
};

static const struct cli_command system_cli[] = {
	{ "policy", cmd_policy,
	  "check or show the policy pack (forms, registers, requests, roles)" },
};

const struct module system_module = {
	.name = "system",
	.perms = MODULE_LIST(system_perms),
	.routes = MODULE_LIST(system_routes),
	.cli = MODULE_LIST(system_cli),
};
