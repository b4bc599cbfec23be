/*
 * routes_ownbackup.c: isms's own backups (/api/v1/backups): the list with each backup's
 * verification, "back up now" (handed to the server's backup worker) and the schedule,
 * retention and off-site folder.
 */
#include "core/common.h"

#include "app/app.h"
#include "backup/backup.h"
#include "backup/backupd.h"
#include "http/http.h"
#include "http/routes.h"

int h_backups_list(struct req *rq)
{
	json_t *items = NULL;
	int64_t after, next = 0;
	int limit, r = req_page(rq, &limit, &after);

	if (r == 0)
		r = backup_list(rq->st, &rq->actor, after, limit, &items, &next, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

int h_backups_run(struct req *rq)
{
	int r = backup_request(rq->st, &rq->actor, &rq->problem);

	if (r < 0)
		return r;
	backupd_wake(rq->app->backupd);
	return reply_json(rq, 202, json_pack("{s:b}", "queued", 1));
}

int h_backup_config_get(struct req *rq)
{
	json_t *out = NULL;
	int r = backup_config_get(rq->st, &rq->actor, &out, &rq->problem);

	if (r < 0)
		return r;
	return reply_json(rq, 200, out);
}

int h_backup_config_put(struct req *rq)
{
	json_t *body = NULL, *out = NULL;
	int r = req_body(rq, &body);

	if (r == 0)
		r = backup_config_put(rq->st, &rq->actor, body, &out, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, out);
}
