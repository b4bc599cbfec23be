/*
 * workflow.c: filing requests, resolving their chains to people, and acting on them.
 */
#include "core/common.h"

#include "audit/audit.h"
#include "core/actor.h"
#include "core/perm.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/util.h"
#include "files/files.h"
#include "forms/forms.h"
#include "org/org.h"
#include "store/store.h"
#include "workflow/workflow_int.h"

#define COMMENT_MAX     2000 /* code points */
#define ATTACHMENTS_MAX 20

static char *object_of(int64_t id)
{
	return xasprintf("request:%" PRId64, id);
}

/* {"comment"?, "attachments"?: [sha256, …]}: checked, borrowed out. */
static int comment_and_files(struct store *st, const struct actor *a, json_t *in,
                             const char **ret_comment, json_t **ret_files, struct problem *p)
{
	json_t *c = json_object_get(in, "comment"), *f = json_object_get(in, "attachments"), *e;
	size_t i;

	*ret_comment = NULL;
	*ret_files = NULL;
	if (c && !json_is_null(c)) {
		const char *s = json_string_value(c);

		if (!s || !utf8_valid(s, strlen(s), true) || utf8_count(s) > COMMENT_MAX)
			return problem_setf(p, ERR_INVALID, "invalid", "comment",
			                    "a text of at most %d characters", COMMENT_MAX);
		*ret_comment = *s ? s : NULL;
	}
	if (f && !json_is_null(f)) {
		if (!json_is_array(f) || json_array_size(f) > ATTACHMENTS_MAX)
			return problem_setf(p, ERR_INVALID, "invalid", "attachments",
			                    "an array of at most %d file hashes", ATTACHMENTS_MAX);
		json_array_foreach(f, i, e) {
			const char *h = json_string_value(e);

			/* Only a file the actor may already read (an unknown one answers
			 * alike): a hash is not a key to someone else's file. */
			if (!h || !file_may_read(st, a, h))
				return problem_setf(
				        p, ERR_INVALID, "invalid",
				        problem_path(p, "attachments[%zu]", i),
				        "the SHA-256 of a file uploaded with POST /api/v1/files");
		}
		*ret_files = f;
	}
	return 0;
}

/* The request's readers may read its attachments and the files of its form. */
static int link_files(struct store *st, const struct reqtype *q, const struct request_row *r,
                      json_t *files)
{
	json_t *e;
	size_t i;
	int rc = form_link_files(st, q->form, r->data, "request", r->id);

	json_array_foreach(files, i, e) {
		if (rc == 0)
			rc = file_link(st, json_string_value(e), "request", r->id);
	}
	return rc;
}

static bool when_holds(const struct step *s, json_t *data)
{
	json_t *v, *e;
	size_t i;

	if (s->when == COND_NONE)
		return true;
	v = json_object_get(data, s->when_field->id);
	switch (s->when) {
	case COND_EQUALS:
		return v && json_equal(v, s->when_value);
	case COND_INCLUDES:
		json_array_foreach(v, i, e) {
			if (json_equal(e, s->when_value))
				return true;
		}
		return false;
	case COND_TRUE:
		return json_is_true(v) == json_is_true(s->when_value);
	default:
		return true;
	}
}

/* May this account act on step s? It is enabled (by the server clock) and the
 * three-administrator rule lets it: an administrator acts only on its own role's steps.
 * 0, or -ERR_FORBIDDEN / -ERR_CONFLICT "admin_exclusive" with p set. */
static int act_check(struct store *st, const struct step *s, int64_t id, struct problem *p)
{
	struct user u = { 0 };
	int r = org_user_load(st, id, &u);

	if (r == 0 && u.disabled)
		r = problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (r == 0)
		r = org_separation_check(
		        &(struct duties){ .roles = org_effective_roles(&u),
		                          .step = true,
		                          .step_role = s->ak == AP_ROLE ? s->role : 0 },
		        p);
	/* A business step (a department head's, a role's that is no administrator's) needs the
	 * business permission, which no administrator account holds (core/perm.h). */
	if (r == 0 && !(s->ak == AP_ROLE && perm_roles_admin(s->role))) {
		struct actor x = { .user_id = u.id,
			           .roles = org_effective_roles(&u),
			           .department_id = u.department_id };

		if (!perm_check(&x, "requests.approve", 0))
			r = problem_setf(p, ERR_CONFLICT, "admin_exclusive", NULL,
			                 "approving or executing a business step needs the "
			                 "\"requests.approve\" permission");
	}
	user_release(&u);
	return r;
}

static bool may_act(struct store *st, const struct step *s, int64_t id)
{
	return act_check(st, s, id, NULL) == 0;
}

/* The user ids who may act on step s of a request by applicant with data. */
static int resolve(struct store *st, const struct step *s, int64_t applicant, json_t *data,
                   json_t **ret)
{
	json_t *ids = json_array(), *v, *out;
	int64_t dept = 0, head, subject;
	size_t i;
	int r = 0;

	switch (s->ak) {
	case AP_DEPARTMENT_HEAD:
		dept = org_user_department(st, applicant);
		break;
	case AP_DEPARTMENT_HEAD_FIELD:
		v = json_object_get(data, s->field->id);
		if (v)
			dept = s->field->type == FT_DEPARTMENT
			               ? json_integer_value(v)
			               : org_user_department(st, json_integer_value(v));
		break;
	case AP_ROLE:
		json_decref(ids);
		r = org_role_holders(st, s->role, clock_now(), &ids);
		if (r < 0)
			return r;
		break;
	case AP_USER_FIELD:
		v = json_object_get(data, s->field->id);
		if (v)
			json_array_append_new(ids, json_integer(json_integer_value(v)));
		break;
	}
	if (s->ak == AP_DEPARTMENT_HEAD || s->ak == AP_DEPARTMENT_HEAD_FIELD) {
		head = org_department_head(st, dept);
		if (head > 0)
			json_array_append_new(ids, json_integer(head));
	}
	/* Nobody approves their own request, nor one about themselves (the subject of a
	 * departure or a permission change); disabled accounts act on nothing. */
	subject = json_integer_value(json_object_get(data, "subject"));
	out = json_array();
	json_array_foreach(ids, i, v) {
		int64_t id = json_integer_value(v);

		if (id != applicant && id != subject && may_act(st, s, id))
			json_array_append(out, v);
	}
	json_decref(ids);
	/* A missing department head (or the applicant being the head) escalates to the
	 * general manager, as the seeds' chains do. */
	if (json_array_size(out) == 0 &&
	    (s->ak == AP_DEPARTMENT_HEAD || s->ak == AP_DEPARTMENT_HEAD_FIELD)) {
		json_decref(out);
		r = org_role_holders(st, ROLE_GENERAL_MANAGER, clock_now(), &ids);
		if (r < 0)
			return r;
		out = json_array();
		json_array_foreach(ids, i, v) {
			int64_t id = json_integer_value(v);

			if (id != applicant && id != subject && may_act(st, s, id))
				json_array_append(out, v);
		}
		json_decref(ids);
	}
	*ret = out;
	return 0;
}

static int notify_step(struct store *st, const struct request_row *r, int seq)
{
	json_t *ids = NULL, *v, *params;
	size_t i;
	int rc = wf_store_assignees(st, r->id, seq, &ids);

	params = json_pack("{s:I, s:s}", "request_id", (json_int_t)r->id, "type", r->type);
	json_array_foreach(ids, i, v) {
		if (rc < 0)
			break;
		rc = org_notify(st, json_integer_value(v), "request.waiting", params);
	}
	json_decref(params);
	json_decref(ids);
	return rc;
}

static int notify_applicant(struct store *st, const struct request_row *r, const char *kind)
{
	json_t *params = json_pack("{s:I, s:s, s:s}", "request_id", (json_int_t)r->id, "type",
	                           r->type, "status", r->status);
	int rc = org_notify(st, r->applicant_id, kind, params);

	json_decref(params);
	return rc;
}

/* Writes the steps of r, resolved now; r->step = the first step to act on (0: none). */
static int lay_out_steps(struct store *st, const struct reqtype *q, struct request_row *r,
                         struct problem *p)
{
	json_t *ids, *v;
	size_t i, j;
	int rc;

	r->step = 0;
	for (i = 0; i < q->nsteps; i++) {
		const struct step *s = &q->steps[i];
		bool on = when_holds(s, r->data);

		rc = wf_store_step_insert(st, r->id, (int)i + 1, s,
		                          !on            ? "skipped"
		                          : r->step == 0 ? "pending"
		                                         : "waiting");
		if (rc < 0)
			return rc;
		if (!on)
			continue;
		if (r->step == 0)
			r->step = (int64_t)i + 1;
		rc = resolve(st, s, r->applicant_id, r->data, &ids);
		if (rc < 0)
			return rc;
		if (json_array_size(ids) == 0) {
			json_decref(ids);
			return problem_setf(
			        p, ERR_CONFLICT, "no_approver", problem_path(p, "steps[%zu]", i),
			        "nobody can act on step \"%s\" (%s): ask the system "
			        "administrator to set the department head or grant the role",
			        s->id, s->approver);
		}
		json_array_foreach(ids, j, v) {
			rc = wf_store_assignee_add(st, json_integer_value(v), r->id, (int)i + 1);
			if (rc < 0)
				break;
		}
		json_decref(ids);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int request_waiting_on(struct store *st, int64_t id, json_t **ret_ids)
{
	struct request_row r;
	int rc = wf_store_request_load(st, id, &r);

	if (rc < 0)
		return rc;
	if (strcmp(r.status, "pending") == 0 && r.step > 0)
		rc = wf_store_assignees(st, id, (int)r.step, ret_ids);
	else
		*ret_ids = json_array();
	request_row_release(&r);
	return rc;
}

static change_hook request_hook;

void workflow_set_change_hook(change_hook hook)
{
	request_hook = hook;
}

int request_file(struct store *st, const struct pack *pk, const struct actor *a, json_t *in,
                 int64_t *ret_id, struct problem *p)
{
	const char *type = json_string_value(json_object_get(in, "type")), *comment;
	const struct reqtype *q = type ? pack_reqtype(pk, type) : NULL;
	struct request_row r = { 0 };
	json_t *files, *after;
	char *obj = NULL;
	int rc;

	if (a->user_id <= 0)
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (!q)
		return problem_setf(p, ERR_INVALID, "invalid", "type",
		                    "no request type \"%.60s\" in the policy pack",
		                    type ? type : "");
	if (q->applicants && !(a->roles & q->applicants))
		return problem_setf(p, ERR_FORBIDDEN, "forbidden", "type",
		                    "your roles may not file this request type");
	rc = comment_and_files(st, a, in, &comment, &files, p);
	if (rc < 0)
		return rc;
	rc = form_validate(st, a, q->form, json_object_get(in, "data"), "data", &r.data, NULL, p);
	if (rc == 0)
		rc = wf_precheck(st, q, r.data, p);
	if (rc < 0) {
		request_row_release(&r);
		return rc;
	}
	r.type = xstrdup(q->id);
	r.status = xstrdup("pending");
	r.applicant_id = a->user_id;
	r.department_id = org_user_department(st, a->user_id);
	r.created_at = clock_now();
	rc = store_begin(st);
	if (rc < 0)
		goto out;
	rc = wf_store_request_insert(st, &r);
	if (rc == 0)
		rc = lay_out_steps(st, q, &r, p);
	if (rc == 0 && r.step == 0) {
		/* Every step was conditional and none applies: approved as filed. */
		free(r.status);
		r.status = xstrdup("approved");
		r.closed_at = r.created_at;
	}
	if (rc == 0) {
		r.version++;
		rc = wf_store_request_update(st, &r);
	}
	if (rc == 0)
		rc = wf_store_event_add(st, r.id, 0, "file", a->user_id, comment, files);
	if (rc == 0)
		rc = link_files(st, q, &r, files);
	if (rc == 0 && r.step)
		rc = notify_step(st, &r, (int)r.step);
	if (rc == 0) {
		obj = object_of(r.id);
		after = request_row_json(&r);
		rc = audit_append(st, &(struct audit_event){ .actor = a,
		                                             .action = "request.file",
		                                             .object = obj,
		                                             .after = after });
		if (rc == 0 && request_hook)
			rc = request_hook(st, "request", after);
		json_decref(after);
	}
	rc = store_end(st, rc);
	if (rc == 0)
		*ret_id = r.id;
out:
	free(obj);
	request_row_release(&r);
	return rc;
}

static bool may_see(struct store *st, const struct actor *a, const struct request_row *r)
{
	return a->user_id == r->applicant_id || (a->roles & ROLE_SECURITY_ADMIN) ||
	       wf_store_is_assignee(st, a->user_id, r->id, 0) == 1;
}

static const struct step *step_def(const struct reqtype *q, const char *id)
{
	size_t i;

	for (i = 0; q && i < q->nsteps; i++)
		if (strcmp(q->steps[i].id, id) == 0)
			return &q->steps[i];
	return NULL;
}

int request_get(struct store *st, const struct pack *pk, const struct actor *a, int64_t id, bool en,
                json_t **ret, struct problem *p)
{
	struct request_row r;
	const struct reqtype *q;
	json_t *o, *steps = NULL, *events = NULL, *e;
	size_t i;
	int rc = store_begin_read(st);

	if (rc < 0)
		return rc;
	rc = wf_store_request_load(st, id, &r);
	if (rc == -ERR_NOT_FOUND || (rc == 0 && !may_see(st, a, &r))) {
		if (rc == 0)
			request_row_release(&r);
		store_rollback(st);
		return problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
	}
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	rc = wf_store_steps_json(st, id, &steps);
	if (rc == 0)
		rc = wf_store_events_json(st, id, &events);
	store_rollback(st);
	if (rc < 0) {
		json_decref(steps);
		request_row_release(&r);
		return rc;
	}
	q = pack_reqtype(pk, r.type);
	json_array_foreach(steps, i, e) {
		const struct step *s = step_def(q, json_string_value(json_object_get(e, "id")));

		json_object_set_new(e, "label",
		                    json_string(s ? label_text(json_object_get(s->def, "label"), en)
		                                  : json_string_value(json_object_get(e, "id"))));
		if (json_integer_value(json_object_get(e, "seq")) == r.step &&
		    strcmp(r.status, "pending") == 0)
			json_object_set_new(e, "current", json_true());
	}
	o = request_row_json(&r);
	json_object_set_new(
	        o, "label",
	        json_string(q ? label_text(json_object_get(q->def, "label"), en) : r.type));
	json_object_set_new(o, "steps", steps);
	json_object_set_new(o, "events", events);
	*ret = o;
	request_row_release(&r);
	return 0;
}

static void set_status(struct request_row *r, const char *status)
{
	free(r->status);
	r->status = xstrdup(status);
}

static const char *act_name(enum request_act act)
{
	static const char *const names[] = { "approve", "reject", "return", "withdraw",
		                             "resubmit" };

	return names[act];
}

int request_act(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                enum request_act act, json_t *in, json_t **ret_secret, struct problem *p)
{
	struct request_row r = { 0 };
	const struct reqtype *q;
	const char *comment;
	json_t *files, *before = NULL, *after, *secret = NULL, *result = NULL, *detail = NULL;
	char status[16], *obj = NULL, action[32];
	int seq, rc;

	if (ret_secret)
		*ret_secret = NULL;
	rc = comment_and_files(st, a, in, &comment, &files, p);
	if (rc < 0)
		return rc;
	rc = store_begin(st);
	if (rc < 0)
		return rc;
	rc = wf_store_request_load(st, id, &r);
	if (rc == -ERR_NOT_FOUND || (rc == 0 && !may_see(st, a, &r))) {
		rc = problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
		goto end;
	}
	if (rc < 0)
		goto end;
	q = pack_reqtype(pk, r.type);
	if (!q) {
		rc = problem_setf(p, ERR_CONFLICT, "conflict", "type",
		                  "the request type \"%s\" is no longer in the policy pack",
		                  r.type);
		goto end;
	}
	before = request_row_json(&r);
	seq = (int)r.step;
	r.updated_at = clock_now();
	r.version++;
	switch (act) {
	case ACT_APPROVE:
	case ACT_REJECT:
	case ACT_RETURN:
		if (strcmp(r.status, "pending") != 0) {
			rc = problem_setf(p, ERR_CONFLICT, "not_pending", NULL,
			                  "the request is %s, not waiting for a decision",
			                  r.status);
			goto end;
		}
		if (a->user_id == r.applicant_id) {
			rc = problem_setf(p, ERR_FORBIDDEN, "self_approval", NULL,
			                  "nobody decides on their own request");
			goto end;
		}
		rc = wf_store_is_assignee(st, a->user_id, r.id, seq);
		if (rc < 0)
			goto end;
		if (rc == 0) {
			rc = problem_setf(p, ERR_FORBIDDEN, "not_your_step", NULL,
			                  "this step waits for someone else");
			goto end;
		}
		/* Assigned before the rule, or before the account became an administrator. */
		rc = act_check(st, &q->steps[seq - 1], a->user_id, p);
		if (rc < 0)
			goto end;
		rc = wf_store_step_set(st, r.id, seq,
		                       act == ACT_APPROVE  ? "approved"
		                       : act == ACT_REJECT ? "rejected"
		                                           : "returned",
		                       a->user_id, comment);
		if (rc < 0)
			goto end;
		if (act == ACT_REJECT || act == ACT_RETURN) {
			set_status(&r, act == ACT_REJECT ? "rejected" : "returned");
			if (act == ACT_REJECT)
				r.closed_at = r.updated_at;
			rc = notify_applicant(st, &r,
			                      act == ACT_REJECT ? "request.rejected"
			                                        : "request.returned");
			break;
		}
		if (q->steps[seq - 1].kind == STEP_EXECUTE) {
			rc = wf_execute(st, pk, a, q, &r, &result, &secret, p);
			if (rc < 0)
				goto end;
			set_status(&r, "completed");
			json_decref(r.result);
			r.result = result;
			r.closed_at = r.updated_at;
			rc = notify_applicant(st, &r, "request.completed");
			break;
		}
		/* The next step that applies, or the end of the chain. */
		r.step = 0;
		for (size_t i = (size_t)seq; i < q->nsteps; i++) {
			rc = wf_store_step_status(st, r.id, (int)i + 1, status, sizeof(status));
			if (rc < 0)
				goto end;
			if (strcmp(status, "waiting") == 0) {
				r.step = (int64_t)i + 1;
				break;
			}
		}
		if (r.step) {
			set_status(&r, "pending");
			rc = wf_store_step_set(st, r.id, (int)r.step, "pending", 0, NULL);
			if (rc == 0)
				rc = notify_step(st, &r, (int)r.step);
		} else {
			set_status(&r, "approved");
			r.closed_at = r.updated_at;
			rc = notify_applicant(st, &r, "request.approved");
		}
		break;
	case ACT_WITHDRAW:
	case ACT_RESUBMIT:
		if (a->user_id != r.applicant_id) {
			rc = problem_setf(p, ERR_FORBIDDEN, "forbidden", NULL,
			                  "only the applicant %s the request",
			                  act == ACT_WITHDRAW ? "withdraws" : "resubmits");
			goto end;
		}
		if (act == ACT_WITHDRAW
		            ? strcmp(r.status, "pending") != 0 && strcmp(r.status, "returned") != 0
		            : strcmp(r.status, "returned") != 0) {
			rc = problem_setf(p, ERR_CONFLICT, "not_pending", NULL, "the request is %s",
			                  r.status);
			goto end;
		}
		if (act == ACT_WITHDRAW) {
			set_status(&r, "withdrawn");
			r.closed_at = r.updated_at;
			break;
		}
		/* Resubmitted with changes: the whole chain again, resolved anew. */
		if (json_object_get(in, "data")) {
			json_t *norm;

			rc = form_validate(st, a, q->form, json_object_get(in, "data"), "data",
			                   &norm, NULL, p);
			if (rc < 0) {
				set_status(&r, "returned");
				goto end;
			}
			json_decref(r.data);
			r.data = norm;
		}
		rc = wf_precheck(st, q, r.data, p);
		if (rc < 0) {
			set_status(&r, "returned");
			goto end;
		}
		set_status(&r, "pending");
		rc = wf_store_steps_delete(st, r.id);
		if (rc == 0)
			rc = lay_out_steps(st, q, &r, p);
		if (rc == 0 && r.step)
			rc = notify_step(st, &r, (int)r.step);
		seq = 0;
		break;
	}
	if (rc < 0)
		goto end;
	rc = wf_store_request_update(st, &r);
	if (rc == -ERR_CONFLICT)
		rc = problem_set(p, ERR_CONFLICT, "stale_version", NULL);
	if (rc == 0)
		rc = wf_store_event_add(st, r.id, seq, act_name(act), a->user_id, comment, files);
	if (rc == 0)
		rc = link_files(st, q, &r, files);
	if (rc == 0) {
		obj = object_of(r.id);
		after = request_row_json(&r);
		(void)snprintf(action, sizeof(action), "request.%s", act_name(act));
		if (comment)
			detail = json_pack("{s:s}", "comment", comment);
		rc = audit_append(st, &(struct audit_event){ .actor = a,
		                                             .action = action,
		                                             .object = obj,
		                                             .before = before,
		                                             .after = after,
		                                             .detail = detail });
		if (rc == 0 && request_hook)
			rc = request_hook(st, "request", after);
		json_decref(after);
	}
end:
	rc = store_end(st, rc);
	if (rc == 0 && ret_secret)
		*ret_secret = secret;
	else
		json_decref(secret);
	json_decref(before);
	json_decref(detail);
	free(obj);
	request_row_release(&r);
	return rc;
}

int request_inbox(struct store *st, const struct actor *a, int64_t after, int limit,
                  json_t **ret_items, int64_t *ret_next)
{
	int r;

	*ret_items = json_array();
	r = wf_store_inbox(st, a->user_id, after, limit, *ret_items, ret_next);
	if (r < 0) {
		json_decref(*ret_items);
		*ret_items = NULL;
	}
	return r;
}

int request_mine(struct store *st, const struct actor *a, int64_t after, int limit,
                 json_t **ret_items, int64_t *ret_next)
{
	int r;

	*ret_items = json_array();
	r = wf_store_mine(st, a->user_id, after, limit, *ret_items, ret_next);
	if (r < 0) {
		json_decref(*ret_items);
		*ret_items = NULL;
	}
	return r;
}
