/*
 * routes_system.c: health, roles and the security policy.
 */
#include "core/common.h"
#include "core/clock.h"
#include "app/app.h"
#include "http/http.h"
#include "http/routes.h"
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
