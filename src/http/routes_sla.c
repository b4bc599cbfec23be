/*
 * routes_sla.c: the working-day calendar (SPEC SLA): read by everyone, edited and imported
 * from iCalendar by the system administrator.
 */
#include "core/common.h"

#include "app/app.h"
#include "core/calendar.h"
#include "core/spec.h"
#include "http/http.h"
#include "http/routes.h"
#include "cli/cli.h"
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

/* The verbs check the version and the note against the clock's state. */
static const struct spec_field pause_fields[] = {
	{ .name = "version", .type = SPEC_ANY },
	{ .name = "note", .type = SPEC_ANY },
	{ .name = NULL },
};
static const struct spec pause_spec = { .fields = pause_fields };
static const struct spec_field task_done_fields[] = {
	{ .name = "record_id", .type = SPEC_ANY },
	{ .name = NULL },
};
static const struct spec task_done = { .fields = task_done_fields };

static int pause_or_resume(struct req *rq, bool pause)
{
	json_t *body, *o = NULL;
	int r = req_spec(rq, &pause_spec, false, &body);

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
	json_t *body, *o = NULL;
	int r = req_spec(rq, &task_done, false, &body);

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

/* The time rules' clock tick: tasks of duties, missed duties, escalations (src/sla). */
static int sla_module_tick(struct app *a, struct store *st, int64_t now, json_t *events)
{
	json_t *report = NULL;
	int r = sla_run(st, a->pack, now, &report);

	if (r == 0)
		json_array_extend(events, report);
	json_decref(report);
	return r;
}

/* --- the module (app/module.h) ---------------------------------------------------- */

static const struct permission sla_perms[] = {
	{ "calendar.read", PERM_COMMON, "查看工作日历", "See the working-day calendar" },
	{ "calendar.write", PERM_SYSTEM, "设置和导入工作日历",
	  "Set and import the working-day calendar" },
	{ "deadlines.use", PERM_COMMON, "查看时限和待办，暂停、恢复时限",
	  "See deadlines and tasks, pause and resume deadlines" },
	{ "deadlines.oversee", PERM_OVERSIGHT, "查看全单位的时限和待办",
	  "See every deadline and task of the organization" },
	{ "deadlines.manage", PERM_OPERATIONS, "暂停、恢复任何时限",
	  "Pause and resume any deadline" },
};

static const struct route sla_routes[] = {
	{ "GET", "/api/v1/calendar", h_calendar_get, 0, "calendar.read" },
	{ "PUT", "/api/v1/calendar", h_calendar_put, 0, "calendar.write" },
	{ "POST", "/api/v1/calendar/import", h_calendar_import, ROUTE_UPLOAD, "calendar.write" },
	{ "GET", "/api/v1/deadlines", h_deadlines_list, 0, "deadlines.use" },
	{ "POST", "/api/v1/deadlines/{id}/pause", h_deadline_pause, 0, "deadlines.use" },
	{ "POST", "/api/v1/deadlines/{id}/resume", h_deadline_resume, 0, "deadlines.use" },
	{ "GET", "/api/v1/tasks", h_tasks_list, 0, "deadlines.use" },
	{ "POST", "/api/v1/tasks/{id}/done", h_task_done, 0, "deadlines.use" },
	{ "GET", "/api/v1/meta/time-rules", h_meta_time_rules, 0, "deadlines.use" },
};

static const struct error_text sla_errors[] = {
	{ "not_open", "该时限或待办当前状态不允许此操作",
	  "The deadline or task is not in a state that allows this" },
};

static const struct cli_command sla_cli[] = {
	{ "sla", cmd_sla, "run the clock tick of deadlines, duties and escalations (--at T)" },
};

const struct module sla_module = {
	.name = "sla",
	.perms = MODULE_LIST(sla_perms),
	.routes = MODULE_LIST(sla_routes),
	.errors = MODULE_LIST(sla_errors),
	.cli = MODULE_LIST(sla_cli),
	.tick = sla_module_tick,
};
