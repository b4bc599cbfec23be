/*
 * jobs_int.h: shared by jobs.c (the rules) and jobs_store.c (its only SQL), for the backup
 * jobs of the organization's systems (migrations/0006_backup_jobs.sql).
 */
#ifndef ISMS_BACKUP_JOBS_INT_H
#define ISMS_BACKUP_JOBS_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "backup/jobs.h"

struct store;

/* A row of backup_jobs; the strings and JSON are owned (job_row_release). */
struct job_row {
	int64_t id;
	char *key, *system, *within, *offsite, *max_age, *source, *pack_def;
	json_t *label, *schedule;
	bool enabled, retired;
	int64_t checked_until, created_at, updated_at, version;
};
void job_row_release(struct job_row *j);

/* -ERR_NOT_FOUND when there is none. */
int jobs_store_job_get(struct store *st, int64_t id, struct job_row *ret);
int jobs_store_job_by_key(struct store *st, const char *key, struct job_row *ret);
/* Inserts j (its id and version are set); -ERR_CONFLICT when the key is taken. */
int jobs_store_job_insert(struct store *st, struct job_row *j);
/* Writes j where the stored version is j->version, and bumps it; -ERR_CONFLICT when stale. */
int jobs_store_job_update(struct store *st, struct job_row *j);
/* The tick's bookkeeping: no new version (nobody's edit goes stale by it). */
int jobs_store_job_checked(struct store *st, int64_t id, int64_t until);
/* Ids of jobs with id > after, by id: of one system (NULL: any); active_only: enabled and
 * not retired. limit 0: no limit. */
int jobs_store_job_ids(struct store *st, const char *system, bool active_only, int64_t after,
                       int limit, json_t **ret_ids);
/* [{"id", "key"}] of the pack's jobs not retired. */
int jobs_store_pack_jobs(struct store *st, json_t **ret);

struct run_row {
	int64_t job_id;
	const char *status;
	int64_t started_at, finished_at, size;   /* started_at 0: unknown */
	const char *sha256, *location, *message; /* NULL: none */
	bool offsite, verified;
	const char *reported_by;
	int64_t reporter_id, reported_at; /* reporter_id 0: the local operator */
};
int jobs_store_run_insert(struct store *st, const struct run_row *r, int64_t *ret_id);
/* A run as the API shows it; -ERR_NOT_FOUND. */
int jobs_store_run_get(struct store *st, int64_t id, json_t **ret);
/* The job's last run (by finished_at, then id) or *ret = NULL. */
int jobs_store_run_last(struct store *st, int64_t job_id, json_t **ret);
int jobs_store_run_list(struct store *st, const struct backup_run_filter *f, json_t *items,
                        int64_t *ret_next);
/* The newest verified ok run: 1 with its id and finish time, 0 without one. */
int jobs_store_last_verified(struct store *st, int64_t job_id, int64_t *ret_run,
                             int64_t *ret_finished);
/* 1 when an ok run (off-site when offsite) finished within [from, to], else 0. */
int jobs_store_run_in_window(struct store *st, int64_t job_id, int64_t from, int64_t to,
                             bool offsite);

/* Records a missed scheduled time: 1 when new, 0 when it was recorded before. */
int jobs_store_miss_add(struct store *st, int64_t job_id, int64_t due_at, const char *kind,
                        int64_t now);
/* The latest miss that no ok run (off-site for an off-site miss) finished after (from
 * due_at - BACKUP_SKEW on): 1 with its time and kind ("run" | "offsite"), 0 when none. */
int jobs_store_miss_open(struct store *st, int64_t job_id, int64_t *ret_due, char ret_kind[8]);

#endif
