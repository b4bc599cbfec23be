/*
 * sla.h: time as the regulations count it (SPEC SLA): the changes of the organization's
 * working-day calendar (edited by the system administrator, imported from an iCalendar file
 * of public holidays and 调休 make-up days); the clocks of the pack's deadlines on records and
 * requests with pause, resume and escalation; the tasks of its recurring duties; and the
 * clock tick. The calendar itself (its shape, JSON and arithmetic) is core/calendar.h, its
 * stored row store/calendar_store.h (calendar_load).
 */
#ifndef ISMS_SLA_SLA_H
#define ISMS_SLA_SLA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/common.h"

struct store;
struct actor;
struct problem;

/* Replaces the calendar: sys_admin (or the local operator); in carries "version" (409
 * stale_version); audited "calendar.update" with before/after. */
int calendar_update(struct store *st, const struct actor *a, json_t *in, struct problem *p);
/*
 * Adds the all-day events of an iCalendar file: an event whose summary says 班 (补班, 上班:
 * a make-up working day) adds working days, every other event holidays, for each day from
 * DTSTART up to (not including) DTEND. *ret_report = {"holidays": n, "workdays": n,
 * "events": n}. With dry_run nothing is stored. sys_admin; audited "calendar.import".
 */
int calendar_import_ics(struct store *st, const struct actor *a, const char *data, size_t len,
                        bool dry_run, json_t **ret_report, struct problem *p);

/* --- deadlines, duties and the tick ----------------------------------------------------- */

struct pack;

/* The change hook of records and requests (forms_set_change_hook, workflow_set_change_hook):
 * starts, pauses, resumes and stops the clocks of the pack's deadlines on the row, and lets a
 * new record of a duty's register fulfil the duty's open task. Inside the caller's
 * transaction. */
int sla_follow(struct store *st, const struct pack *pk, const char *kind, json_t *row);

/*
 * The clock tick as of now: turns each duty's schedule up to now into tasks (a duty seen for
 * the first time starts from now; at most 1000 occurrences per duty and run), marks open
 * tasks past due as missed, and sends each deadline whose time came its next escalation
 * level, notifying the people of that level. Audited as the actor "system", in short
 * transactions. Idempotent: a second run at the same now does nothing. *ret_report (when not
 * NULL) receives what was done: [{"event": "task" | "done" | "missed" | "escalated", …}].
 */
int sla_run(struct store *st, const struct pack *pk, int64_t now, json_t **ret_report);

struct sla_list {
	int64_t after;                 /* cursor: ids below it */
	int64_t record_id, request_id; /* deadlines of one subject (0: any) */
	const char *kind;              /* a deadline rule or a duty id (NULL: any) */
	const char *status;            /* NULL: any */
	bool mine;                     /* tasks: only the caller's */
	int limit;
};

/* Deadlines, newest first: all of them for the administrators, leadership and assessors,
 * else those on the caller's own records and requests and on requests waiting for them.
 * status: open, due, overdue, paused, met, breached. */
int sla_deadline_list(struct store *st, const struct pack *pk, const struct actor *a,
                      const struct sla_list *f, json_t **ret_items, int64_t *ret_next,
                      struct problem *p);
/* Pauses a running deadline with a note of what it waits for (pause true), or resumes one
 * paused by hand. in: {"version", "note"}. By the system or security administrator, a writer
 * of the record's register or the request's current approver; audited. 409 not_open when the
 * deadline is not in the right state, stale_version on a stale version. */
int sla_deadline_pause(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                       json_t *in, bool pause, json_t **ret, struct problem *p);
/* Tasks of recurring duties, newest first: oversight roles see all (or theirs with mine),
 * others their own. status: open, done, missed. */
int sla_task_list(struct store *st, const struct pack *pk, const struct actor *a,
                  const struct sla_list *f, json_t **ret_items, int64_t *ret_next,
                  struct problem *p);
/* Marks an open task done by an existing record of the duty's register not linked to another
 * task of the duty. in: {"record_id"}. The owner, a writer of the register or oversight. */
int sla_task_complete(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                      json_t *in, json_t **ret, struct problem *p);

#endif
