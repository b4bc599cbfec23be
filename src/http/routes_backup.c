/*
 * routes_backup.c: the backups of isms itself (the lead's part, at the end) and the tracking
 * of the organization's backups (BAK-3, BAK-4): backup jobs, and the runs that scripts report
 * with an API token.
 */
#include "core/common.h"

#include "app/app.h"
#include "backup/jobs.h"
#include "core/clock.h"
#include "http/http.h"
#include "http/routes.h"
#include "cli/cli.h"

/* --- the organization's backup jobs and runs --- */

int h_backup_jobs_list(struct req *rq)
{
	struct backup_job_filter f = { .system = req_query(rq, "system") };
	json_t *items = NULL;
	int64_t next = 0;
	int r = req_page(rq, &f.limit, &f.after);

	if (r == 0)
		r = backup_job_list(rq->st, &rq->actor, &f, clock_now(), &items, &next,
		                    &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

int h_backup_jobs_create(struct req *rq)
{
	json_t *body, *job = NULL;
	int r = req_body(rq, &body);

	if (r == 0)
		r = backup_job_create(rq->st, &rq->actor, body, clock_now(), &job, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 201, job);
}

int h_backup_job_get(struct req *rq)
{
	json_t *job = NULL;
	int r = backup_job_get(rq->st, &rq->actor, rq->params[0], clock_now(), &job, &rq->problem);

	if (r < 0)
		return r;
	return reply_json(rq, 200, job);
}

int h_backup_job_patch(struct req *rq)
{
	json_t *body, *job = NULL;
	int r = req_body(rq, &body);

	if (r == 0)
		r = backup_job_update(rq->st, &rq->actor, rq->params[0], body, clock_now(), &job,
		                      &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, job);
}

int h_backup_runs_create(struct req *rq)
{
	json_t *body, *run = NULL;
	int r = req_body(rq, &body);

	if (r == 0)
		r = backup_run_report(rq->st, &rq->actor, body, clock_now(), &run, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 201, run);
}

int h_backup_runs_list(struct req *rq)
{
	struct backup_run_filter f = { .status = req_query(rq, "status") };
	json_t *items = NULL;
	int64_t next = 0;
	int r = req_page(rq, &f.limit, &f.after);

	if (r == 0)
		r = req_query_id(rq, "job_id", &f.job_id);
	if (r == 0)
		r = backup_run_list(rq->st, &rq->actor, &f, &items, &next, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

/* Missed runs of the organization's backup jobs (SPEC BAK-3). */
static int backup_jobs_module_tick(struct app *a, struct store *st, int64_t now, json_t *events)
{
	json_t *report = NULL;
	int r = backup_jobs_tick(st, a->pack, now, &report);

	if (r == 0)
		json_array_extend(events, report);
	json_decref(report);
	return r;
}

/* --- the module (app/module.h) ---------------------------------------------------- */

static const struct permission backup_jobs_perms[] = {
	{ "backup_jobs.read", PERM_OVERSIGHT, "查看各业务系统的备份任务和记录",
	  "See the backup jobs and runs of the organization's systems" },
	{ "backup_jobs.write", PERM_OPERATIONS, "登记备份任务和备份记录",
	  "Record backup jobs and backup runs" },
};

static const struct route backup_jobs_routes[] = {
	{ "GET", "/api/v1/backup-jobs", h_backup_jobs_list, 0, "backup_jobs.read" },
	{ "POST", "/api/v1/backup-jobs", h_backup_jobs_create, 0, "backup_jobs.write" },
	{ "GET", "/api/v1/backup-jobs/{id}", h_backup_job_get, 0, "backup_jobs.read" },
	{ "PATCH", "/api/v1/backup-jobs/{id}", h_backup_job_patch, 0, "backup_jobs.write" },
	{ "GET", "/api/v1/backup-runs", h_backup_runs_list, 0, "backup_jobs.read" },
	{ "POST", "/api/v1/backup-runs", h_backup_runs_create, 0, "backup_jobs.write" },
};

static const struct error_text backup_jobs_errors[] = {
	{ "no_verified_backup", "该系统没有足够新的已验证备份：数据清理前必须先备份并确认备份正确",
	  "The system has no verified backup recent enough: back it up and verify the backup before a data cleanup" },
	{ "pack_job",
	  "该备份任务由制度包定义：只能修改启用状态、宽限时间和最长间隔，其余请修改制度包",
	  "This backup job comes from the policy pack: only enabled, within and max_age change here; change the rest in the pack" },
	{ "job_disabled", "该备份任务已停用，不接收备份报告",
	  "This backup job is disabled and takes no reports" },
};

const struct module backup_jobs_module = {
	.name = "backup_jobs",
	.perms = MODULE_LIST(backup_jobs_perms),
	.routes = MODULE_LIST(backup_jobs_routes),
	.errors = MODULE_LIST(backup_jobs_errors),
	.tick = backup_jobs_module_tick,
	.tick_report = backup_jobs_tick_report,
	.actions = backup_jobs_actions,
	.nactions = BACKUP_JOBS_NACTIONS,
};
