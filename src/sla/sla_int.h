/*
 * sla_int.h: shared inside src/sla; all SQL is in the *_store.c files.
 */
#ifndef ISMS_SLA_SLA_INT_H
#define ISMS_SLA_SLA_INT_H

#include <stdbool.h>

#include "sla/sla.h"

/* --- deadlines (clocks) -------------------------------------------------------------- */

struct clock_row {
	int64_t id, record_id, request_id;
	int64_t started_at, due_at, paused_at, remaining, stopped_at, next_at, version;
	int level;
	char rule[64];
	char state[12];    /* running, paused, met, breached */
	char paused_by[8]; /* "", status, manual */
	char *pause_note;
};
void clock_row_release(struct clock_row *c);
/* The row as JSON (its columns; times as unix seconds). */
json_t *clock_row_json(const struct clock_row *c);

/* The clock of rule on a record (record true) or a request: 1 found, 0 none. */
int sla_store_clock_find(struct store *st, bool record, int64_t subject_id, const char *rule,
                         struct clock_row *ret);
int sla_store_clock_load(struct store *st, int64_t id, struct clock_row *ret);
int sla_store_clock_insert(struct store *st, struct clock_row *c);
/* Writes c where the stored version is c->version - 1; -ERR_CONFLICT otherwise. */
int sla_store_clock_update(struct store *st, const struct clock_row *c);
/* Ids of up to limit clocks whose next_at <= now, earliest first. */
int sla_store_clocks_due(struct store *st, int64_t now, int limit, json_t **ret_ids);

struct clock_filter {
	int64_t after, record_id, request_id, now;
	const char *rule, *status;
	int limit;
};
/* Clock rows as JSON objects (columns of clock_row), newest first; all: every clock, else only
 * those of the records and requests of me. */
int sla_store_clock_list(struct store *st, const struct clock_filter *f, bool all, int64_t me,
                         json_t *items, int64_t *ret_next);

/* The register or request type of a subject, its owner (a record's owner, else its creator;
 * a request's applicant) and its department. */
int sla_store_subject(struct store *st, bool record, int64_t id, char *type, size_t n,
                      int64_t *ret_owner, int64_t *ret_department);

/* --- recurring duties ------------------------------------------------------------- */

/* How far the duty's schedule was turned into tasks: 1 found, 0 never. */
int sla_store_cursor_get(struct store *st, const char *duty, int64_t *ret_until);
int sla_store_cursor_set(struct store *st, const char *duty, int64_t until);
/* Inserts the occurrence's task unless it exists: *ret_id = its id, 0 when it existed. */
int sla_store_task_insert(struct store *st, const char *duty, int64_t occurs_at, int64_t due_at,
                          int64_t owner, int64_t *ret_id);
/* The oldest record of the register created in (from, to] not yet linked to a task of duty;
 * 0 when none. */
int64_t sla_store_unlinked_record(struct store *st, const char *reg, const char *duty, int64_t from,
                                  int64_t to);
/* The oldest open task of duty that a record made at t fulfils (occurs_at <= t <= due_at);
 * 0 when none. */
int64_t sla_store_task_open_at(struct store *st, const char *duty, int64_t t);
/* Marks an open task done (record, by whom, when); -ERR_CONFLICT when no longer open. */
int sla_store_task_done(struct store *st, int64_t id, int64_t record_id, int64_t by, int64_t at);
/* Open tasks due at or before now, oldest first: [{id, duty, owner_id, occurs_at, due_at}]. */
int sla_store_tasks_overdue(struct store *st, int64_t now, int limit, json_t **ret);
int sla_store_task_missed(struct store *st, int64_t id);
/* One task as JSON (columns of tasks); -ERR_NOT_FOUND. */
int sla_store_task_get(struct store *st, int64_t id, json_t **ret);
/* Does the record exist with this type and has no task of duty yet? */
bool sla_store_record_free_for(struct store *st, int64_t record_id, const char *reg,
                               const char *duty);

struct task_filter {
	int64_t after, owner;
	const char *duty, *status;
	int limit;
};
int sla_store_task_list(struct store *st, const struct task_filter *f, json_t *items,
                        int64_t *ret_next);

/* --- shared by sla.c (clocks, tick) and verbs.c (the API's verbs) ------------------- */

struct calendar;
struct deadline;
struct actor;

/* Oversight (administrators, leadership, assessors) sees every deadline and task. */
bool sla_oversees(const struct actor *a);
/* Pauses a running clock at now (by "status" or "manual", with an optional note), keeping
 * the time left; resumes it from now. */
void sla_clock_pause(struct clock_row *c, const struct calendar *cal, const struct deadline *d,
                     int64_t now, const char *by, const char *note);
void sla_clock_resume(struct clock_row *c, const struct calendar *cal, const struct deadline *d,
                      int64_t now);
/* Marks an open task done by a record, audited "task.done"; the event is appended to report
 * when not NULL. */
int sla_task_done(struct store *st, const struct actor *a, int64_t task, int64_t record_id,
                  int64_t now, json_t *report);

#endif
