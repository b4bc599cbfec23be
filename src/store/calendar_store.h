/*
 * calendar_store.h: the working-day calendar's row in table settings (key "calendar"). Here
 * rather than in a module because every layer above core reads the calendar (deadlines,
 * backup schedules, reminders) and core touches no database; the shape of the setting is
 * core/calendar.h's, its audited changes are src/sla's (calendar_update, calendar_import_ics).
 */
#ifndef ISMS_STORE_CALENDAR_STORE_H
#define ISMS_STORE_CALENDAR_STORE_H

#include <stdint.h>

struct store;
struct calendar;

/* The stored calendar, or the default one (Asia/Shanghai, 08:30-12:00, 13:30-17:30,
 * Saturday and Sunday off). *ret_version: 0 when never stored. */
int calendar_load(struct store *st, struct calendar *ret, int64_t *ret_version);
/* Writes the calendar's JSON where the stored version is still `version` (a first write: 0);
 * -ERR_CONFLICT when someone changed it meanwhile. Only for the audited verbs of src/sla,
 * inside their transaction. */
int calendar_store_put(struct store *st, const char *json, int64_t version);

#endif
