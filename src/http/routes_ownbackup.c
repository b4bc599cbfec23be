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
#include "cli/cli.h"

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

/* --- the module (app/module.h) ---------------------------------------------------- */

static const struct permission backup_perms[] = {
	{ "backup.read", PERM_OVERSIGHT, "查看本系统的备份", "See the backups of isms itself" },
	{ "backup.run", PERM_SYSTEM, "立即备份本系统", "Back up isms now" },
	{ "backup.config.read", PERM_OVERSIGHT, "查看本系统的备份设置",
	  "See the backup settings of isms" },
	{ "backup.configure", PERM_SYSTEM, "修改本系统的备份设置",
	  "Change the backup settings of isms" },
};

static const struct route backup_routes[] = {
	{ "GET", "/api/v1/backups", h_backups_list, 0, "backup.read" },
	{ "POST", "/api/v1/backups", h_backups_run, 0, "backup.run" },
	{ "GET", "/api/v1/backups/config", h_backup_config_get, 0, "backup.config.read" },
	{ "PUT", "/api/v1/backups/config", h_backup_config_put, 0, "backup.configure" },
};

static const struct error_text backup_errors[] = {
	{ "backup_running", "已有一个备份正在进行或等待执行",
	  "A backup is already running or asked for" },
};

static const struct cli_command backup_cli[] = {
	{ "backup", cmd_backup,
	  "back up, verify and restore isms; report the organization's backups" },
};

const struct module backup_module = {
	.name = "backup",
	.perms = MODULE_LIST(backup_perms),
	.routes = MODULE_LIST(backup_routes),
	.errors = MODULE_LIST(backup_errors),
	.cli = MODULE_LIST(backup_cli),
};
