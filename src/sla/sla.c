/*
 * sla.c: the clocks of the pack's deadlines and the tasks of its recurring duties (SPEC SLA-1,
 * SLA-3, SLA-4).
 *
 * A clock follows its record or request through the change hook: it starts when the start
 * time is known, pauses while the subject's status says it waits (for the requester, for a
 * vendor) or someone pauses it by hand, and stops once the rule's condition holds: met when
 * on time, breached when late. Working-time rules ("8wh", "3wd") count on the organization's
 * calendar, also across pauses.
 *
 * The tick (sla_run) does the rest at a given time: it turns each duty's schedule into tasks,
 * marks the tasks past due as missed, and sends each passed deadline one escalation level at
 * a time. It reads only rows whose time has come, through indexes, so its cost does not grow
 * with the number of open items. Everything it does is audited as the actor "system", and a
 * second run at the same time finds nothing left to do. What people do with deadlines and
 * tasks through the API is in verbs.c.
 */
#include "core/common.h"
#include "core/perm.h"

#include "audit/audit.h"
#include "core/actor.h"
#include "core/alloc.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "forms/pack.h"
#include "org/org.h"
#include "sla/sla_int.h"
#include "store/calendar_store.h"
#include "store/store.h"
#include "workflow/workflow.h"

#define BATCH       200  /* rows handled per transaction by the tick */
#define CATCH_UP    1000 /* occurrences of one duty turned into tasks per run */
#define SUBJECT_LEN 160

static const struct actor system_actor = { .user_id = 0, .username = "system", .source = "sla" };

/* Who sees every deadline and task (oversight, "deadlines.oversee"); others their own. */

bool sla_oversees(const struct actor *a)
{
	return a->user_id == 0 || perm_check(a, "deadlines.oversee", 0);
}

static int64_t json_time(json_t *v)
{
	int64_t t = 0;

	if (json_is_string(v) && time_parse_rfc3339(json_string_value(v), &t) < 0)
		t = 0;
	return t;
}

static bool status_in(json_t *list, const char *status)
{
	json_t *e;
	size_t i;

	json_array_foreach(list, i, e) {
		if (status && strcmp(json_string_value(e), status) == 0)
			return true;
	}
	return false;
}

static bool has_value(json_t *v)
{
	return v && !json_is_null(v) && !(json_is_string(v) && !*json_string_value(v)) &&
	       !(json_is_array(v) && json_array_size(v) == 0);
}

static bool rule_met(const struct deadline *d, json_t *row)
{
	if (d->until_field)
		return has_value(json_object_get(json_object_get(row, "data"), d->until_field->id));
	return status_in(d->until_status, json_string_value(json_object_get(row, "status")));
}

static bool rule_on(const struct deadline *d, bool record, const char *type)
{
	const char *id = record ? (d->reg ? d->reg->id : NULL) : (d->req ? d->req->id : NULL);

	return id && type && strcmp(id, type) == 0;
}

static int64_t add_or_same(const struct calendar *cal, int64_t t, const struct duration *d)
{
	int64_t r = duration_add(cal, t, d);

	return r < 0 ? t : r;
}

/* When escalation level `level` (0-based) is due: 0 when there is none. */
static int64_t level_at(const struct calendar *cal, const struct deadline *d, int64_t due,
                        int level)
{
	return level < (int)d->nesc ? add_or_same(cal, due, &d->esc[level].after) : 0;
}

void sla_clock_pause(struct clock_row *c, const struct calendar *cal, const struct deadline *d,
                     int64_t now, const char *by, const char *note)
{
	c->remaining = duration_left(cal, &d->within, now, c->due_at);
	c->paused_at = now;
	(void)snprintf(c->paused_by, sizeof(c->paused_by), "%s", by);
	free(c->pause_note);
	c->pause_note = note ? xstrdup(note) : NULL;
	(void)snprintf(c->state, sizeof(c->state), "paused");
	c->next_at = 0;
}

void sla_clock_resume(struct clock_row *c, const struct calendar *cal, const struct deadline *d,
                      int64_t now)
{
	/* What was left runs on from now; a clock paused after its deadline stays as late. */
	if (c->remaining > 0)
		c->due_at = duration_resume(cal, &d->within, now, c->remaining);
	c->paused_at = 0;
	c->remaining = 0;
	c->paused_by[0] = '\0';
	free(c->pause_note);
	c->pause_note = NULL;
	(void)snprintf(c->state, sizeof(c->state), "running");
	c->next_at = level_at(cal, d, c->due_at, c->level);
}

static void clock_stop(struct clock_row *c, int64_t now)
{
	bool late = strcmp(c->state, "paused") == 0 ? c->remaining == 0 : now > c->due_at;

	(void)snprintf(c->state, sizeof(c->state), "%s", late ? "breached" : "met");
	c->stopped_at = now;
	c->paused_by[0] = '\0';
	c->next_at = 0;
}

/* Brings one rule's clock on a subject in line with the subject's row. */
static int follow_one(struct store *st, const struct calendar *cal, const struct deadline *d,
                      bool record, int64_t id, json_t *row, int64_t now)
{
	struct clock_row c = { 0 };
	const char *status = json_string_value(json_object_get(row, "status"));
	int64_t start = d->start_field ? json_time(json_object_get(json_object_get(row, "data"),
	                                                           d->start_field->id))
	                               : json_time(json_object_get(row, "created_at"));
	bool met = rule_met(d, row), waits = d->pause_status && status_in(d->pause_status, status);
	int found = sla_store_clock_find(st, record, id, d->id, &c);
	int r;

	if (found < 0)
		return found;
	if (!found) {
		if (start <= 0)
			return 0; /* starts once the start time is known */
		(void)snprintf(c.rule, sizeof(c.rule), "%s", d->id);
		c.record_id = record ? id : 0;
		c.request_id = record ? 0 : id;
		c.started_at = start;
		c.due_at = add_or_same(cal, start, &d->within);
		(void)snprintf(c.state, sizeof(c.state), "running");
		c.next_at = level_at(cal, d, c.due_at, 0);
	} else if (start > 0 && start != c.started_at && c.level == 0 &&
	           strcmp(c.state, "running") == 0) {
		/* The start time was corrected before anything was sent. */
		c.started_at = start;
		c.due_at = add_or_same(cal, start, &d->within);
		c.next_at = level_at(cal, d, c.due_at, 0);
	}
	if (met) {
		if (strcmp(c.state, "running") == 0 || strcmp(c.state, "paused") == 0)
			clock_stop(&c, now);
	} else {
		if (strcmp(c.state, "met") == 0 || strcmp(c.state, "breached") == 0) {
			/* Reopened: the same deadline runs on. */
			(void)snprintf(c.state, sizeof(c.state), "running");
			c.stopped_at = 0;
			c.next_at = level_at(cal, d, c.due_at, c.level);
		}
		if (waits && strcmp(c.state, "running") == 0)
			sla_clock_pause(&c, cal, d, now, "status", NULL);
		else if (!waits && strcmp(c.state, "paused") == 0 &&
		         strcmp(c.paused_by, "status") == 0)
			sla_clock_resume(&c, cal, d, now);
	}
	if (!found) {
		r = sla_store_clock_insert(st, &c);
	} else {
		c.version++;
		r = sla_store_clock_update(st, &c);
	}
	clock_row_release(&c);
	return r;
}

int sla_follow(struct store *st, const struct pack *pk, const char *kind, json_t *row)
{
	bool record = strcmp(kind, "record") == 0, loaded = false;
	const char *type = json_string_value(json_object_get(row, "type"));
	int64_t id = json_integer_value(json_object_get(row, "id")), now = clock_now(), task;
	struct calendar cal;
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < pk->ndeadlines; i++) {
		if (!rule_on(&pk->deadlines[i], record, type))
			continue;
		if (!loaded) {
			r = calendar_load(st, &cal, NULL);
			loaded = true;
		}
		if (r == 0)
			r = follow_one(st, &cal, &pk->deadlines[i], record, id, row, now);
	}
	if (loaded)
		calendar_release(&cal);
	/* A new record of a duty's register fulfils its open task. */
	if (record && json_integer_value(json_object_get(row, "version")) == 1) {
		for (i = 0; r == 0 && i < pk->nduties; i++) {
			if (strcmp(pk->duties[i].reg->id, type) != 0)
				continue;
			task = sla_store_task_open_at(st, pk->duties[i].id, now);
			if (task)
				r = sla_task_done(st, &system_actor, task, id, now, NULL);
		}
	}
	return r;
}

/* --- messages -------------------------------------------------------------------------- */

static const char *label_of(json_t *def, bool en)
{
	return label_text(json_object_get(def, "label"), en);
}

static json_t *subject_params(const struct deadline *d, const struct clock_row *c)
{
	json_t *def = d->reg ? d->reg->def : d->req->def;
	int64_t id = c->record_id ? c->record_id : c->request_id;
	char zh[SUBJECT_LEN], en[SUBJECT_LEN];

	(void)snprintf(zh, sizeof(zh), "%s #%" PRId64, label_of(def, false), id);
	(void)snprintf(en, sizeof(en), "%s #%" PRId64, label_of(def, true), id);
	/* subject_kind and subject_type let the reader's screen link to the subject. */
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s}", "rule",
	                 label_of(d->def, false), "rule_en", label_of(d->def, true), "subject", zh,
	                 "subject_en", en, "deadline_id", (json_int_t)c->id, "subject_id",
	                 (json_int_t)id, "subject_kind", c->record_id ? "record" : "request",
	                 "subject_type", d->reg ? d->reg->id : d->req->id);
}

static int notify_all(struct store *st, json_t *ids, const char *kind, json_t *params)
{
	json_t *v;
	size_t i;
	int r = 0;

	json_array_foreach(ids, i, v) {
		if (r == 0)
			r = org_notify(st, json_integer_value(v), kind, params);
	}
	return r;
}

static void add_unique(json_t *ids, int64_t id)
{
	json_t *v;
	size_t i;

	if (id <= 0)
		return;
	json_array_foreach(ids, i, v) {
		if (json_integer_value(v) == id)
			return;
	}
	json_array_append_new(ids, json_integer(id));
}

static const char *const target_names[] = {
	[ESC_ASSIGNEE] = "assignee",
	[ESC_DEPARTMENT_HEAD] = "department_head",
	[ESC_ROLE] = "role",
};

/* The people one escalation level reaches; leadership (the general manager) when the level's
 * own people are missing, so a passed deadline never goes unheard. */
static int level_people(struct store *st, const struct escalation *e, const struct clock_row *c,
                        int64_t owner, int64_t department, int64_t now, json_t *ids)
{
	json_t *list = NULL;
	int64_t head;
	int r = 0;

	switch (e->to) {
	case ESC_ASSIGNEE:
		if (c->request_id) {
			r = request_waiting_on(st, c->request_id, &list);
			if (r == 0)
				json_array_extend(ids, list);
			json_decref(list);
		}
		if (json_array_size(ids) == 0)
			add_unique(ids, owner);
		break;
	case ESC_DEPARTMENT_HEAD:
		head = org_department_head(st, department ? department
		                                          : org_user_department(st, owner));
		if (head != owner)
			add_unique(ids, head);
		break;
	case ESC_ROLE:
		r = org_role_holders(st, e->role, now, &list);
		if (r == 0)
			json_array_extend(ids, list);
		json_decref(list);
		break;
	}
	if (r == 0 && json_array_size(ids) == 0) {
		r = org_role_holders(st, ROLE_GENERAL_MANAGER, now, &list);
		if (r == 0)
			json_array_extend(ids, list);
		json_decref(list);
	}
	return r;
}

/* Sends the next escalation level of one clock whose time came. */
static int escalate_one(struct store *st, const struct pack *pk, const struct calendar *cal,
                        int64_t id, int64_t now, json_t *report)
{
	struct clock_row c;
	const struct deadline *d;
	json_t *ids = json_array(), *params = NULL, *detail = NULL;
	int64_t owner = 0, department = 0;
	char type[64], due[LOCAL_TIME_LEN], object[48];
	int r = sla_store_clock_load(st, id, &c);

	if (r < 0) {
		json_decref(ids);
		return r == -ERR_NOT_FOUND ? 0 : r;
	}
	d = pack_deadline(pk, c.rule);
	c.version++;
	if (!d || strcmp(c.state, "running") != 0 || c.level >= (int)d->nesc) {
		/* The rule left the pack, or nothing more is to be sent. */
		c.next_at = 0;
		r = sla_store_clock_update(st, &c);
		goto out;
	}
	r = sla_store_subject(st, c.record_id != 0, c.record_id ? c.record_id : c.request_id, type,
	                      sizeof(type), &owner, &department);
	if (r == 0)
		r = level_people(st, &d->esc[c.level], &c, owner, department, now, ids);
	if (r < 0)
		goto out;
	params = subject_params(d, &c);
	time_format_local(c.due_at, cal->utc_offset, due);
	json_object_set_new(params, "due", json_string(due));
	json_object_set_new(params, "level", json_integer(c.level + 1));
	r = notify_all(st, ids, c.level == 0 ? "deadline.overdue" : "deadline.escalated", params);
	c.level++;
	c.next_at = level_at(cal, d, c.due_at, c.level);
	if (r == 0)
		r = sla_store_clock_update(st, &c);
	if (r == 0) {
		detail =
		        json_pack("{s:s, s:I, s:s, s:i, s:s, s:O}", "event", "escalated",
		                  "deadline_id", (json_int_t)c.id, "rule", c.rule, "level", c.level,
		                  "target", target_names[d->esc[c.level - 1].to], "to", ids);
		json_object_set_new(detail, c.record_id ? "record_id" : "request_id",
		                    json_integer(c.record_id ? c.record_id : c.request_id));
		(void)snprintf(object, sizeof(object), "deadline:%" PRId64, c.id);
		r = audit_append(st, &(struct audit_event){ .actor = &system_actor,
		                                            .action = "deadline.escalate",
		                                            .object = object,
		                                            .detail = detail });
		if (r == 0 && report)
			json_array_append(report, detail);
	}
out:
	json_decref(detail);
	json_decref(params);
	json_decref(ids);
	clock_row_release(&c);
	return r;
}

/* --- duties ---------------------------------------------------------------------------- */

static json_t *task_params(const struct duty *u, const struct calendar *cal, int64_t task,
                           int64_t occurs, int64_t due)
{
	char o[LOCAL_TIME_LEN], d[LOCAL_TIME_LEN];

	time_format_local(occurs, cal->utc_offset, o);
	time_format_local(due, cal->utc_offset, d);
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "task_id", (json_int_t)task, "duty",
	                 label_of(u->def, false), "duty_en", label_of(u->def, true), "occurs", o,
	                 "due", d);
}

int sla_task_done(struct store *st, const struct actor *a, int64_t task, int64_t record_id,
                  int64_t now, json_t *report)
{
	json_t *detail;
	int r = sla_store_task_done(st, task, record_id, a->user_id, now);

	if (r < 0)
		return r;
	detail = json_pack("{s:s, s:I, s:I}", "event", "done", "task_id", (json_int_t)task,
	                   "record_id", (json_int_t)record_id);
	r = audit_change(st, (struct audit_event){ .actor = a,
	                                           .action = "task.done",
	                                           .object = AUDIT_OBJ("task", task),
	                                           .detail = json_incref(detail) });
	if (r == 0 && report)
		json_array_append(report, detail);
	json_decref(detail);
	return r;
}

/* The first enabled holder of a role (by id), 0 when nobody holds it. */
static int64_t first_holder(struct store *st, unsigned role, int64_t now)
{
	json_t *ids = NULL;
	int64_t id = 0;

	if (org_role_holders(st, role, now, &ids) == 0)
		id = json_integer_value(json_array_get(ids, 0));
	json_decref(ids);
	return id;
}

static int open_task(struct store *st, const struct calendar *cal, const struct duty *u,
                     int64_t occurs, int64_t prev, int64_t now, json_t *report)
{
	int64_t due = add_or_same(cal, occurs, &u->within), task, record;
	int64_t owner = first_holder(st, u->owner_role, now);
	json_t *detail, *params;
	int r;

	if (!owner)
		owner = first_holder(st, ROLE_SYS_ADMIN, now);
	r = sla_store_task_insert(st, u->id, occurs, due, owner, &task);
	if (r < 0 || !task)
		return r; /* made by an earlier run */
	detail = json_pack("{s:s, s:I, s:s, s:o, s:o, s:o}", "event", "task", "task_id",
	                   (json_int_t)task, "duty", u->id, "occurs_at", json_time_or_null(occurs),
	                   "due_at", json_time_or_null(due), "owner_id", json_id_or_null(owner));
	r = audit_change(st, (struct audit_event){ .actor = &system_actor,
	                                           .action = "task.open",
	                                           .object = AUDIT_OBJ("task", task),
	                                           .detail = json_incref(detail) });
	if (r == 0 && report)
		json_array_append(report, detail);
	json_decref(detail);
	/* A record made since the previous occurrence (and before this one is due) counts. */
	record = r == 0 ? sla_store_unlinked_record(st, u->reg->id, u->id, prev,
	                                            due < now ? due : now)
	                : 0;
	if (record)
		return sla_task_done(st, &system_actor, task, record, now, report);
	if (r == 0 && owner && due > now) {
		params = task_params(u, cal, task, occurs, due);
		r = org_notify(st, owner, "task.open", params);
		json_decref(params);
	}
	return r;
}

static int run_duty(struct store *st, const struct calendar *cal, const struct duty *u, int64_t now,
                    json_t *report)
{
	int64_t cursor = 0, t, o;
	int n = 0, r = sla_store_cursor_get(st, u->id, &cursor);

	if (r < 0)
		return r;
	if (r == 0) /* a duty seen for the first time starts from now */
		return sla_store_cursor_set(st, u->id, now);
	if (cursor >= now)
		return 0;
	for (t = cursor;
	     n < CATCH_UP && (o = cron_next(&u->schedule, t, cal->utc_offset)) > 0 && o <= now;
	     t = o, n++) {
		if (u->workdays_only && !calendar_is_workday(cal, calendar_day(cal, o)))
			continue;
		r = open_task(st, cal, u, o, t, now, report);
		if (r < 0)
			return r;
	}
	return sla_store_cursor_set(st, u->id, n == CATCH_UP ? t : now);
}

static int miss_task(struct store *st, const struct pack *pk, const struct calendar *cal,
                     json_t *task, json_t *report)
{
	int64_t id = json_integer_value(json_object_get(task, "id"));
	int64_t owner = json_integer_value(json_object_get(task, "owner_id")), head;
	const struct duty *u = pack_duty(pk, json_string_value(json_object_get(task, "duty")));
	json_t *detail, *params;
	int r = sla_store_task_missed(st, id);

	if (r < 0)
		return r;
	detail = json_pack("{s:s, s:I, s:O, s:O}", "event", "missed", "task_id", (json_int_t)id,
	                   "duty", json_object_get(task, "duty"), "owner_id",
	                   json_object_get(task, "owner_id"));
	r = audit_change(st, (struct audit_event){ .actor = &system_actor,
	                                           .action = "task.missed",
	                                           .object = AUDIT_OBJ("task", id),
	                                           .detail = json_incref(detail) });
	if (r == 0 && report)
		json_array_append(report, detail);
	json_decref(detail);
	if (r < 0 || !u)
		return r;
	params = task_params(u, cal, id, json_integer_value(json_object_get(task, "occurs_at")),
	                     json_integer_value(json_object_get(task, "due_at")));
	if (owner)
		r = org_notify(st, owner, "task.missed", params);
	head = owner ? org_department_head(st, org_user_department(st, owner)) : 0;
	if (r == 0 && head && head != owner)
		r = org_notify(st, head, "task.missed", params);
	json_decref(params);
	return r;
}

/* --- the tick ---------------------------------------------------------------------------- */

int sla_run(struct store *st, const struct pack *pk, int64_t now, json_t **ret_report)
{
	json_t *report = json_array(), *rows = NULL, *e;
	struct calendar cal;
	size_t i, n;
	int r = calendar_load(st, &cal, NULL);

	if (r < 0)
		goto out;
	r = store_begin(st);
	for (i = 0; r == 0 && i < pk->nduties; i++)
		r = run_duty(st, &cal, &pk->duties[i], now, report);
	r = store_end(st, r);
	/* Missed tasks, then passed deadlines, a batch per transaction. */
	do {
		n = 0;
		if (r == 0)
			r = store_begin(st);
		if (r == 0)
			r = sla_store_tasks_overdue(st, now, BATCH, &rows);
		json_array_foreach(rows, i, e) {
			if (r == 0)
				r = miss_task(st, pk, &cal, e, report);
		}
		n = json_array_size(rows);
		json_decref(rows);
		rows = NULL;
		r = store_end(st, r);
	} while (r == 0 && n == BATCH);
	do {
		n = 0;
		if (r == 0)
			r = store_begin(st);
		if (r == 0)
			r = sla_store_clocks_due(st, now, BATCH, &rows);
		json_array_foreach(rows, i, e) {
			if (r == 0)
				r = escalate_one(st, pk, &cal, json_integer_value(e), now, report);
		}
		n = json_array_size(rows);
		json_decref(rows);
		rows = NULL;
		r = store_end(st, r);
	} while (r == 0 && n > 0);
	calendar_release(&cal);
out:
	if (r == 0 && ret_report)
		*ret_report = json_incref(report);
	json_decref(report);
	return r;
}
