/*
 * verbs.c: what people do with the time rules through the API: list deadlines and tasks
 * (each person their own, oversight all), pause a deadline with a note and resume it, and
 * complete a task with the record that fulfils it. The clocks themselves and the tick are in
 * sla.c.
 */
#include "core/common.h"
#include "core/perm.h"

#include "audit/audit.h"
#include "core/actor.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/util.h"
#include "forms/forms.h"
#include "sla/sla_int.h"
#include "store/calendar_store.h"
#include "store/store.h"
#include "workflow/workflow.h"

#define NOTE_MAX 500

static void times_to_text(json_t *o, const char *const *keys)
{
	for (; *keys; keys++)
		json_object_set_new(
		        o, *keys, json_time_or_null(json_integer_value(json_object_get(o, *keys))));
}

/* A clock as the API shows it: label, subject, computed status, RFC 3339 times. */
static void clock_view(const struct pack *pk, json_t *o, int64_t now)
{
	static const char *const times[] = { "started_at", "due_at",  "paused_at",
		                             "stopped_at", "next_at", NULL };
	const struct deadline *d = pack_deadline(pk, json_string_value(json_object_get(o, "rule")));
	const char *state = json_string_value(json_object_get(o, "state"));
	int64_t due = json_integer_value(json_object_get(o, "due_at"));
	int64_t rec = json_integer_value(json_object_get(o, "record_id"));
	int64_t req = json_integer_value(json_object_get(o, "request_id"));

	json_object_set_new(o, "status",
	                    json_string(strcmp(state, "running") != 0 ? state
	                                : due <= now                  ? "overdue"
	                                                              : "due"));
	json_object_set(o, "label", d ? json_object_get(d->def, "label") : json_null());
	json_object_set(o, "source", d ? json_object_get(d->def, "source") : json_null());
	json_object_set_new(o, "subject",
	                    json_pack("{s:s, s:I, s:s?}", "kind", rec ? "record" : "request", "id",
	                              (json_int_t)(rec ? rec : req), "type",
	                              d ? (d->reg ? d->reg->id : d->req->id) : NULL));
	json_object_set_new(o, "record_id", json_id_or_null(rec));
	json_object_set_new(o, "request_id", json_id_or_null(req));
	if (!*json_string_value(json_object_get(o, "paused_by")))
		json_object_set_new(o, "paused_by", json_null());
	if (!json_object_get(o, "pause_note"))
		json_object_set_new(o, "pause_note", json_null());
	json_object_del(o, "remaining");
	times_to_text(o, times);
}

static bool status_known(const char *s, const char *const *known)
{
	for (; *known; known++)
		if (strcmp(s, *known) == 0)
			return true;
	return false;
}

/* Checks ?status=, lists, and shapes each item for the API. */
static int list_view(int r, json_t *items, const struct pack *pk, int64_t now,
                     void (*view)(const struct pack *, json_t *, int64_t), json_t **ret_items)
{
	json_t *e;
	size_t i;

	if (r < 0) {
		json_decref(items);
		return r;
	}
	json_array_foreach(items, i, e) {
		view(pk, e, now);
	}
	*ret_items = items;
	return 0;
}

static int status_check(const char *status, const char *const *known, struct problem *p)
{
	char list[128] = "";
	size_t n = 0;

	if (!status || status_known(status, known))
		return 0;
	for (; *known && n < sizeof(list); known++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "", *known);
	return problem_setf(p, ERR_INVALID, "invalid", "status", "one of %s", list);
}

int sla_deadline_list(struct store *st, const struct pack *pk, const struct actor *a,
                      const struct sla_list *f, json_t **ret_items, int64_t *ret_next,
                      struct problem *p)
{
	static const char *const statuses[] = { "open", "due",      "overdue", "paused",
		                                "met",  "breached", NULL };
	struct clock_filter cf = { .after = f->after,
		                   .record_id = f->record_id,
		                   .request_id = f->request_id,
		                   .now = clock_now(),
		                   .rule = f->kind,
		                   .status = f->status,
		                   .limit = f->limit };
	json_t *items;
	int r = status_check(f->status, statuses, p);

	if (r < 0)
		return r;
	if (!sla_oversees(a) && a->user_id <= 0)
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	items = json_array();
	r = sla_store_clock_list(st, &cf, sla_oversees(a), a->user_id, items, ret_next);
	return list_view(r, items, pk, cf.now, clock_view, ret_items);
}

/* May a act on the clock (pause, resume)? Oversight of the system and security
 * administrators, a writer of the record's register, or the request's current approver. */
static int may_act(struct store *st, const struct actor *a, const struct deadline *d,
                   const struct clock_row *c)
{
	json_t *ids = NULL, *v;
	size_t i;
	bool ok = false;
	int r;

	if (a->user_id == 0 || perm_check(a, "deadlines.manage", 0))
		return 1;
	if (d->reg)
		return reg_may_write(d->reg, a) && a->user_id > 0;
	r = request_waiting_on(st, c->request_id, &ids);
	if (r < 0)
		return r;
	json_array_foreach(ids, i, v) {
		if (json_integer_value(v) == a->user_id)
			ok = true;
	}
	json_decref(ids);
	return ok;
}

/* What a pause or resume changes, for the audit trail. */
static json_t *pause_fields(const struct clock_row *c)
{
	return json_pack("{s:s, s:I, s:s?}", "state", c->state, "due_at", (json_int_t)c->due_at,
	                 "pause_note", c->pause_note);
}

int sla_deadline_pause(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                       json_t *in, bool pause, json_t **ret, struct problem *p)
{
	json_t *version = json_object_get(in, "version"), *note = json_object_get(in, "note");
	json_t *before = NULL, *after = NULL;
	const struct deadline *d = NULL;
	struct clock_row c = { 0 };
	struct calendar cal;
	char object[48];
	int64_t now = clock_now();
	int r;

	if (!json_is_integer(version))
		return problem_setf(p, ERR_INVALID, "invalid", "version",
		                    "send the version you read, to detect concurrent changes");
	if (pause && (!json_is_string(note) || !*json_string_value(note) ||
	              utf8_count(json_string_value(note)) > NOTE_MAX))
		return problem_setf(p, ERR_INVALID, "invalid", "note",
		                    "say what the clock waits for (1-%d characters)", NOTE_MAX);
	r = store_begin(st);
	if (r < 0)
		return r;
	r = sla_store_clock_load(st, id, &c);
	if (r == -ERR_NOT_FOUND || (r == 0 && !(d = pack_deadline(pk, c.rule)))) {
		r = problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
		goto end;
	}
	if (r < 0)
		goto end;
	r = may_act(st, a, d, &c);
	if (r == 0)
		r = problem_setf(p, ERR_FORBIDDEN, "forbidden", NULL,
		                 "only the people who handle it, or an administrator, may "
		                 "pause or resume this deadline");
	if (r < 0)
		goto end;
	if (c.version != json_integer_value(version)) {
		r = problem_setf(p, ERR_CONFLICT, "stale_version", "version",
		                 "the deadline changed since you read it (now version %" PRId64 ")",
		                 c.version);
		goto end;
	}
	if (pause ? strcmp(c.state, "running") != 0
	          : strcmp(c.state, "paused") != 0 || strcmp(c.paused_by, "manual") != 0) {
		r = problem_setf(p, ERR_CONFLICT, "not_open", "state",
		                 pause ? "only a running deadline can be paused (it is %s)"
		                 : strcmp(c.state, "paused") == 0
		                         ? "this deadline waits because of its subject's status; "
		                           "change the status to resume it (%s)"
		                         : "only a paused deadline can be resumed (it is %s)",
		                 c.state);
		goto end;
	}
	r = calendar_load(st, &cal, NULL);
	if (r < 0)
		goto end;
	before = pause_fields(&c);
	if (pause)
		sla_clock_pause(&c, &cal, d, now, "manual", json_string_value(note));
	else
		sla_clock_resume(&c, &cal, d, now);
	calendar_release(&cal);
	c.version++;
	r = sla_store_clock_update(st, &c);
	if (r == 0) {
		after = pause_fields(&c);
		(void)snprintf(object, sizeof(object), "deadline:%" PRId64, c.id);
		r = audit_append(st, &(struct audit_event){ .actor = a,
		                                            .action = pause ? "deadline.pause"
		                                                            : "deadline.resume",
		                                            .object = object,
		                                            .before = before,
		                                            .after = after });
	}
end:
	r = store_end(st, r);
	if (r == 0) {
		*ret = clock_row_json(&c);
		clock_view(pk, *ret, now);
	}
	json_decref(before);
	json_decref(after);
	clock_row_release(&c);
	return r;
}

static void task_view(const struct pack *pk, json_t *o, int64_t now)
{
	static const char *const times[] = { "occurs_at", "due_at", "done_at", NULL };
	const struct duty *u = pack_duty(pk, json_string_value(json_object_get(o, "duty")));

	(void)now;
	json_object_set(o, "label", u ? json_object_get(u->def, "label") : json_null());
	json_object_set(o, "source", u ? json_object_get(u->def, "source") : json_null());
	json_object_set_new(o, "register", u ? json_string(u->reg->id) : json_null());
	times_to_text(o, times);
}

int sla_task_list(struct store *st, const struct pack *pk, const struct actor *a,
                  const struct sla_list *f, json_t **ret_items, int64_t *ret_next,
                  struct problem *p)
{
	static const char *const statuses[] = { "open", "done", "missed", NULL };
	struct task_filter tf = { .after = f->after,
		                  .owner = f->mine || !sla_oversees(a) ? a->user_id : 0,
		                  .duty = f->kind,
		                  .status = f->status,
		                  .limit = f->limit };
	json_t *items;
	int r = status_check(f->status, statuses, p);

	if (r < 0)
		return r;
	if (tf.owner == 0 && !sla_oversees(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	items = json_array();
	r = sla_store_task_list(st, &tf, items, ret_next);
	return list_view(r, items, pk, 0, task_view, ret_items);
}

int sla_task_complete(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                      json_t *in, json_t **ret, struct problem *p)
{
	json_t *rec = json_object_get(in, "record_id"), *task = NULL;
	const struct duty *u;
	int64_t owner;
	int r;

	if (!json_is_integer(rec) || json_integer_value(rec) <= 0)
		return problem_setf(p, ERR_INVALID, "invalid", "record_id",
		                    "name the record that fulfils the task");
	r = store_begin(st);
	if (r < 0)
		return r;
	r = sla_store_task_get(st, id, &task);
	u = r == 0 ? pack_duty(pk, json_string_value(json_object_get(task, "duty"))) : NULL;
	owner = json_integer_value(json_object_get(task, "owner_id"));
	if (r == -ERR_NOT_FOUND || (r == 0 && (!u || (!sla_oversees(a) && owner != a->user_id &&
	                                              !reg_may_write(u->reg, a))))) {
		r = problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
		goto end;
	}
	if (r < 0)
		goto end;
	if (strcmp(json_string_value(json_object_get(task, "status")), "open") != 0) {
		r = problem_setf(p, ERR_CONFLICT, "not_open", "status", "the task is already %s",
		                 json_string_value(json_object_get(task, "status")));
		goto end;
	}
	if (!sla_store_record_free_for(st, json_integer_value(rec), u->reg->id, u->id)) {
		r = problem_setf(p, ERR_INVALID, "invalid", "record_id",
		                 "not a record of register \"%s\" that is free for this duty",
		                 u->reg->id);
		goto end;
	}
	r = sla_task_done(st, a, id, json_integer_value(rec), clock_now(), NULL);
	json_decref(task);
	task = NULL;
	if (r == 0)
		r = sla_store_task_get(st, id, &task);
end:
	r = store_end(st, r);
	if (r == 0) {
		task_view(pk, task, 0);
		*ret = task;
	} else {
		json_decref(task);
	}
	return r;
}
