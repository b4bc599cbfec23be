/*
 * backup_int.h: the rows of isms's own backups (backup_store.c), shared by backup.c.
 */
#ifndef ISMS_BACKUP_BACKUP_INT_H
#define ISMS_BACKUP_BACKUP_INT_H

#include <jansson.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "backup/backup.h"

struct store;

#ifndef MIN
# define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif

struct bs_config {
	char schedule[128];
	int keep_daily, keep_weekly, keep_monthly;
	char offsite_dir[PATH_MAX];
	int64_t requested_at, requested_by;
	int64_t version;
};

/* What a finished backup records. */
struct bs_outcome {
	int64_t id;
	int64_t finished_at;
	uint64_t size;
	char sha256[65];
	const char *status; /* "verified" or "failed" */
	char error[ARC_ERROR_MAX];
	json_t *check; /* borrowed, may be NULL */
	const char *offsite_status;
	char offsite_error[ARC_ERROR_MAX];
};

/* Marks rows left running by a killed process as failed; returns how many. */
int bs_mark_interrupted(struct store *st, int64_t now);
int bs_insert(struct store *st, const char *trigger, int64_t requested_by, int64_t started_at,
              int64_t *ret_id);
int bs_set_name(struct store *st, int64_t id, const char *name);
int bs_finish(struct store *st, const struct bs_outcome *o);
/* One backup's row as the API shows it; -ERR_NOT_FOUND. */
int bs_get(struct store *st, int64_t id, json_t **ret);
int bs_list(struct store *st, int64_t after, int limit, json_t **ret_items);
/* The verified, unpruned backups, newest first: [{id, name, started_at}]. */
int bs_retained(struct store *st, json_t **ret_rows);
int bs_pruned(struct store *st, int64_t id, int64_t at);
int bs_config_load(struct store *st, struct bs_config *ret);
/* Writes c where the stored version is c->version; -ERR_CONFLICT when stale. */
int bs_config_put(struct store *st, const struct bs_config *c);
/* Sets (at > 0) or clears (at = 0) the pending "back up now". */
int bs_config_request(struct store *st, int64_t at, int64_t by);
int bs_running(struct store *st, int64_t *ret);
int bs_last_scheduled(struct store *st, int64_t *ret);

/* PRAGMA integrity_check's lines joined ("ok" when sound). */
int bs_integrity(struct store *st, char *ret, size_t n);
/* {"table": rows, …} of the tables that matter. */
int bs_counts(struct store *st, json_t **ret);
/* [{sha256, size}] of the attachments. */
int bs_files(struct store *st, json_t **ret_rows);

#endif
