/*
 * jobs.h: the backups of the organization's own systems (SPEC BAK-3, BAK-4; 业务系统备份登记):
 * ERP, OA, mail, finance… Each system has backup jobs with a schedule; the scripts that do the
 * backups report every run (status, size, SHA-256, location, off-site or not, verified or not)
 * through the API or `isms backup report`; a failed or unverified run and a missed scheduled
 * run become alerts to the IT staff and the system administrators through the notification
 * engine; and a data cleanup of a system is refused while the system has no verified backup
 * newer than its jobs allow.
 *
 * Jobs come from the policy pack ("backup_jobs", source "pack": synced into the database by key
 * when isms starts) or from an administrator (source "admin"). Of a pack job an administrator
 * changes only enabled, within and max_age; the rest is the pack's (docs/policy-pack.md). A
 * change of the pack's definition of a job replaces within and max_age with the pack's.
 *
 * A scheduled time T of a job (of its schedule or its offsite schedule) is kept by a run with
 * status ok that finished within [T - 5 min, T + within]; a scheduled time of the offsite
 * schedule needs such a run reported off-site. The tick (backup_jobs_tick) checks each
 * scheduled time once its window has closed and records what was missed, alerting once.
 *
 * Job status: "missed" while a missed scheduled time has no successful run (off-site for an
 * off-site miss) finished after it; else "never" without runs; else by the last run:
 * "failed", "unverified" (ok but not verified) or "ok".
 *
 * Readers: sys_admin, security_admin, audit_admin, it_staff, leader, assessor. Writers (jobs
 * and runs): sys_admin, it_staff, and the local operator (user_id 0). Every change is audited
 * in its transaction: backup_job.create / .update / .sync / .retire, backup_run.report,
 * backup.missed.
 */
#ifndef ISMS_BACKUP_JOBS_H
#define ISMS_BACKUP_JOBS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/common.h"
#include "workflow/workflow.h"

struct store;
struct pack;
struct actor;
struct problem;

#define BACKUP_SKEW         300 /* seconds: clocks of the reporting machines may differ */
#define BACKUP_LOCATION_MAX 500 /* code points */
#define BACKUP_MESSAGE_MAX  2000

/*
 * Brings the pack's jobs into the database: adds new ones, updates those whose definition
 * in the pack changed (or that an administrator had made under the same key), retires
 * those no longer in the pack and revives those back in it. Audited as "system". A second
 * call with the same pack changes nothing.
 */
int backup_jobs_sync(struct store *st, const struct pack *pk);

struct backup_job_filter {
	const char *system; /* NULL: any */
	int64_t after;      /* cursor: jobs with id above it */
	int limit;
};
/* Jobs by id, each as the API shows it: its definition, status as of now, last run, last
 * verified time and next scheduled time ("next_due_at", null while disabled). */
int backup_job_list(struct store *st, const struct actor *a, const struct backup_job_filter *f,
                    int64_t now, json_t **ret_items, int64_t *ret_next, struct problem *p);
/* One job (404 not_found). */
int backup_job_get(struct store *st, const struct actor *a, int64_t id, int64_t now, json_t **ret,
                   struct problem *p);
/*
 * Adds a job: {"key", "system", "label", "schedule", "within", "offsite"?, "max_age",
 * "enabled"?}. 400 invalid / unknown_field with the field; 409 name_taken when the key is in
 * use (also by a pack job). *ret = the job. Its scheduled times count from now.
 */
int backup_job_create(struct store *st, const struct actor *a, json_t *in, int64_t now,
                      json_t **ret, struct problem *p);
/*
 * Changes a job: {"version", …}: enabled, within, max_age; for an administrator's job also
 * system, label, schedule, offsite. 409 stale_version; 409 pack_job for another key of a pack
 * job. A new schedule, or enabling, counts from now: scheduled times before are not checked.
 */
int backup_job_update(struct store *st, const struct actor *a, int64_t id, json_t *in, int64_t now,
                      json_t **ret, struct problem *p);

/*
 * Records a run: {"job": KEY, "status": "ok"|"failed", "finished_at"? (default now, at most
 * BACKUP_SKEW ahead), "started_at"?, "size", "sha256" (64 hex digits), "location" (at most
 * 500 characters), "offsite"?, "verified"? (default false), "message"?}. size, sha256 and
 * location are required for an ok run. The job must exist (400 invalid, field "job") and be
 * enabled (409 job_disabled). A failed run alerts "backup.failed", an ok run not verified
 * "backup.unverified", to it_staff and sys_admin, in the same transaction. *ret = the run.
 */
int backup_run_report(struct store *st, const struct actor *a, json_t *in, int64_t now,
                      json_t **ret, struct problem *p);

struct backup_run_filter {
	int64_t job_id;     /* 0: any */
	const char *status; /* "ok" | "failed" | NULL */
	int64_t after;      /* cursor: runs with id below it */
	int limit;
};
/* Runs, newest first (by id). */
int backup_run_list(struct store *st, const struct actor *a, const struct backup_run_filter *f,
                    json_t **ret_items, int64_t *ret_next, struct problem *p);

/*
 * The tick as of now: checks every scheduled time of every enabled job whose window closed
 * since the last check (at most 1000 per job and run), records each missed one once and
 * alerts "backup.missed" once per job and tick. Idempotent: a second run at the same now does
 * nothing. *ret_report (when not NULL): [{"event": "missed", "job", "job_id", "kind": "run" |
 * "offsite", "due_at"}].
 */
int backup_jobs_tick(struct store *st, const struct pack *pk, int64_t now, json_t **ret_report);

/*
 * May a data cleanup of system go ahead at now? Every enabled job of the system needs a
 * verified ok run that finished within its max_age. 400 invalid with field (e.g.
 * "data.system") when no job names the system; 409 no_verified_backup otherwise, the detail
 * naming the system, the job and its max_age. *ret_basis (when not NULL, on success): the
 * runs relied on, [{"job", "run_id", "finished_at"}].
 */
/* The request actions of the backup module: "data_cleanup" (BAK-4). */
#define BACKUP_JOBS_NACTIONS 1
extern const struct request_action backup_jobs_actions[BACKUP_JOBS_NACTIONS];

int backup_cleanup_check(struct store *st, const char *system, const char *field, int64_t now,
                         json_t **ret_basis, struct problem *p);

#endif
