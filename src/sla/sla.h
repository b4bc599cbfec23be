/*
 * sla.h: time as the regulations count it (SPEC SLA). This part: the organization's
 * working-day calendar as a setting — edited by the system administrator, imported from an
 * iCalendar (.ics) file of public holidays and 调休 make-up days, audited like every change.
 */
#ifndef ISMS_SLA_SLA_H
#define ISMS_SLA_SLA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/common.h"

struct store;
struct actor;
struct problem;

/*
 * The calendar as JSON:
 *   {"time_zone": "Asia/Shanghai", "utc_offset": "+08:00",
 *    "working_hours": [{"start": "08:30", "end": "12:00"}, {"start": "13:30", "end": "17:30"}],
 *    "weekend": ["saturday", "sunday"], "holidays": ["2026-10-01", …],
 *    "workdays": ["2026-10-10", …], "version": N}
 */
json_t *calendar_to_json(const struct calendar *c);
/* Parses and checks a whole calendar object (400 invalid with the field's path). */
int calendar_from_json(json_t *o, struct calendar *ret, struct problem *p);

/* The stored calendar, or the default one (Asia/Shanghai, 08:30-12:00, 13:30-17:30,
 * Saturday and Sunday off). *ret_version: 0 when never stored. */
int calendar_load(struct store *st, struct calendar *ret, int64_t *ret_version);
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

#endif
