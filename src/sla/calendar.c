/*
 * calendar.c: the working-day calendar as the system administrator's setting: the audited
 * update and the import of an iCalendar file (sla.h). Parsing and checking are core's
 * (core/calendar_cfg.c), the row src/store/calendar_store.c.
 */
#include "core/common.h"
#include "core/perm.h"

#include "audit/audit.h"
#include "core/actor.h"
#include "core/calendar.h"
#include "sla/sla.h"
#include "store/calendar_store.h"
#include "store/store.h"

static int bad(struct problem *p, const char *field, const char *msg)
{
	return problem_setf(p, ERR_INVALID, "invalid", field, "%s", msg);
}

/* Writes c as the new calendar when the stored version is still `version`, with its audit
 * entry; inside the caller's transaction. */
static int save(struct store *st, const struct actor *a, const struct calendar *before,
                const struct calendar *c, int64_t version, const char *action, json_t *detail)
{
	json_t *jb = calendar_to_json(before), *ja = calendar_to_json(c);
	char *text = json_dumps(ja, JSON_COMPACT);
	int r = calendar_store_put(st, text, version);

	if (r == 0)
		r = audit_append(st, &(struct audit_event){ .actor = a,
		                                            .action = action,
		                                            .object = "calendar",
		                                            .before = jb,
		                                            .after = ja,
		                                            .detail = detail });
	free(text);
	json_decref(jb);
	json_decref(ja);
	return r;
}

static bool may_edit(const struct actor *a)
{
	return a->user_id == 0 || perm_check(a, "calendar.write", 0);
}

int calendar_update(struct store *st, const struct actor *a, json_t *in, struct problem *p)
{
	struct calendar before, c;
	json_t *version = json_object_get(in, "version");
	int64_t stored = 0;
	int r;

	if (!may_edit(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (!json_is_integer(version))
		return bad(p, "version", "send the version you read, to detect concurrent edits");
	r = calendar_from_json(in, &c, p);
	if (r < 0) {
		calendar_release(&c);
		return r;
	}
	r = store_begin(st);
	if (r < 0) {
		calendar_release(&c);
		return r;
	}
	r = calendar_load(st, &before, &stored);
	if (r == 0 && stored != json_integer_value(version))
		r = problem_setf(p, ERR_CONFLICT, "stale_version", "version",
		                 "the calendar changed since you read it (now version %" PRId64 ")",
		                 stored);
	if (r == 0) {
		r = save(st, a, &before, &c, stored, "calendar.update", NULL);
		if (r == -ERR_CONFLICT)
			r = problem_set(p, ERR_CONFLICT, "stale_version", "version");
	}
	r = store_end(st, r);
	calendar_release(&before);
	calendar_release(&c);
	return r;
}

/* --- iCalendar import ------------------------------------------------------------------- */

int calendar_import_ics(struct store *st, const struct actor *a, const char *data, size_t len,
                        bool dry_run, json_t **ret_report, struct problem *p)
{
	struct calendar before, c;
	struct calendar_ics *ics = NULL;
	struct calendar_import n = { 0 };
	int64_t version = 0;
	int r;

	if (!may_edit(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	r = calendar_ics_parse(data, len, &ics, p);
	if (r < 0)
		return r;
	r = store_begin(st);
	if (r < 0) {
		calendar_ics_free(ics);
		return r;
	}
	r = calendar_load(st, &before, &version);
	(void)calendar_load(st, &c, NULL);
	if (r == 0)
		r = calendar_ics_apply(ics, &c, &n, p);
	calendar_ics_free(ics);
	if (r == 0 && !dry_run) {
		json_t *detail =
		        json_pack("{s:I, s:I, s:I}", "events", (json_int_t)n.events, "holidays",
		                  (json_int_t)n.holidays, "workdays", (json_int_t)n.workdays);

		r = save(st, a, &before, &c, version, "calendar.import", detail);
		json_decref(detail);
		if (r == -ERR_CONFLICT)
			r = problem_set(p, ERR_CONFLICT, "stale_version", NULL);
	}
	if (dry_run)
		store_rollback(st); /* a dry run reads only */
	else
		r = store_end(st, r);
	if (r == 0)
		*ret_report = json_pack("{s:I, s:I, s:I, s:b, s:o}", "events", (json_int_t)n.events,
		                        "holidays", (json_int_t)n.holidays, "workdays",
		                        (json_int_t)n.workdays, "dry_run", dry_run, "calendar",
		                        calendar_to_json(&c));
	calendar_release(&before);
	calendar_release(&c);
	return r;
}
