/*
 * routes_sla.c: the working-day calendar (SPEC SLA): read by everyone, edited and imported
 * from iCalendar by the system administrator.
 */
#include "core/common.h"

#include "app/app.h"
#include "core/calendar.h"
#include "http/http.h"
#include "http/routes.h"
#include "forms/pack.h"
#include "sla/sla.h"
#include "store/calendar_store.h"

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

/* --- deadlines and tasks ------------------------------------------------------------------ */

/* The common list filters: limit/after, ?status=, and ?rule= or ?duty=. */
static int read_list(struct req *rq, const char *kind_param, struct sla_list *f)
{
	memset(f, 0, sizeof(*f));
	f->status = req_query(rq, "status");
	f->kind = req_query(rq, kind_param);
	return req_page(rq, &f->limit, &f->after);
}

int h_deadlines_list(struct req *rq)
{
	struct sla_list f;
	json_t *items = NULL;
	int64_t next = 0;
	int r = read_list(rq, "rule", &f);

	if (r == 0)
		r = req_query_id(rq, "record_id", &f.record_id);
	if (r == 0)
		r = req_query_id(rq, "request_id", &f.request_id);
	if (r == 0)
		r = sla_deadline_list(rq->st, rq->app->pack, &rq->actor, &f, &items, &next,
		                      &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

static int pause_or_resume(struct req *rq, bool pause)
{
	static const char *const allowed[] = { "version", "note", NULL };
	json_t *body, *o = NULL;
	int r = req_body(rq, &body);

	if (r == 0)
		r = body_only(rq, body, allowed);
	if (r == 0)
		r = sla_deadline_pause(rq->st, rq->app->pack, &rq->actor, rq->params[0], body,
		                       pause, &o, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, o);
}

int h_deadline_pause(struct req *rq)
{
	return pause_or_resume(rq, true);
}

int h_deadline_resume(struct req *rq)
{
	return pause_or_resume(rq, false);
}

int h_tasks_list(struct req *rq)
{
	const char *mine = req_query(rq, "mine");
	struct sla_list f;
	json_t *items = NULL;
	int64_t next = 0;
	int r = read_list(rq, "duty", &f);

	if (r == 0 && mine && !STREQ(mine, "true") && !STREQ(mine, "false"))
		r = problem_setf(&rq->problem, ERR_INVALID, "invalid", "mine", "true or false");
	f.mine = mine && STREQ(mine, "true");
	if (r == 0)
		r = sla_task_list(rq->st, rq->app->pack, &rq->actor, &f, &items, &next,
		                  &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

int h_task_done(struct req *rq)
{
	static const char *const allowed[] = { "record_id", NULL };
	json_t *body, *o = NULL;
	int r = req_body(rq, &body);

	if (r == 0)
		r = body_only(rq, body, allowed);
	if (r == 0)
		r = sla_task_complete(rq->st, rq->app->pack, &rq->actor, rq->params[0], body, &o,
		                      &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, o);
}

int h_meta_time_rules(struct req *rq)
{
	return reply_json(rq, 200,
	                  json_pack("{s:O, s:O}", "deadlines",
	                            json_object_get(rq->app->pack->root, "deadlines"), "duties",
	                            json_object_get(rq->app->pack->root, "duties")));
}
