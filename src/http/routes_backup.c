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
