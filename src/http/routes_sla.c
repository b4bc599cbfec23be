/*
 * routes_sla.c: the working-day calendar (SPEC SLA): read by everyone, edited and imported
 * from iCalendar by the system administrator.
 */
#include "core/common.h"

#include "app/app.h"
#include "http/http.h"
#include "http/routes.h"
#include "sla/sla.h"

static int reply_calendar(struct req *rq)
{
	struct calendar c;
	int64_t version = 0;
	json_t *o;
	int r = calendar_load(rq->st, &c, &version);

	if (r < 0)
		return r;
	o = calendar_to_json(&c);
	json_object_set_new(o, "version", json_integer(version));
	calendar_release(&c);
	return reply_json(rq, 200, o);
}

int h_calendar_get(struct req *rq)
{
	return reply_calendar(rq);
}

int h_calendar_put(struct req *rq)
{
	json_t *body;
	int r = req_body(rq, &body);

	if (r == 0)
		r = calendar_update(rq->st, &rq->actor, body, &rq->problem);
	if (r < 0)
		return r;
	return reply_calendar(rq);
}

int h_calendar_import(struct req *rq)
{
	const char *dry = req_query(rq, "dry_run");
	json_t *report = NULL;
	int r;

	if (dry && !STREQ(dry, "true") && !STREQ(dry, "false"))
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "dry_run",
		                    "true or false");
	r = calendar_import_ics(rq->st, &rq->actor, rq->body.data, rq->body.len,
	                        dry && STREQ(dry, "true"), &report, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, report);
}
