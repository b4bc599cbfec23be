/*
 * review.c: the monthly account review campaign (SPEC ACC-8, S0-1 第五条6): every department
 * head attests each account and role of the department; dormant, orphaned and
 * over-privileged accounts are flagged; the result is kept as a record.
 */
#include "core/common.h"
#include "core/perm.h"

#include "audit/audit.h"
#include "core/actor.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/util.h"
#include "forms/forms.h"
#include "org/org.h"
#include "store/store.h"
#include "workflow/workflow_int.h"

static bool period_valid(const char *s)
{
	return s && strlen(s) == 7 && s[4] == '-' && strspn(s, "0123456789-") == 7 &&
	       ((s[5] == '0' && s[6] >= '1' && s[6] <= '9') ||
	        (s[5] == '1' && s[6] >= '0' && s[6] <= '2'));
}

/* Accounts that break the three-administrator rule are flagged "admin_separation". */
static int flag_separation(struct store *st, int64_t campaign_id)
{
	json_t *items = NULL, *e;
	size_t i;
	int r = org_separation_report(st, &items);

	json_array_foreach(items, i, e) {
		if (r == 0)
			r = wf_store_review_item_flag(
			        st, campaign_id, json_integer_value(json_object_get(e, "user_id")),
			        "admin_separation");
	}
	json_decref(items);
	return r;
}

int review_start(struct store *st, const struct actor *a, const char *period, int64_t *ret_id,
                 struct problem *p)
{
	json_t *detail;
	char obj[40];
	int64_t id = 0, open = 0, total = 0, flagged = 0;
	int r;

	if (a->user_id > 0 && !perm_check(a, "reviews.start", 0))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (!period_valid(period))
		return problem_setf(p, ERR_INVALID, "invalid", "period", "a month, e.g. 2026-11");
	r = store_begin(st);
	if (r < 0)
		return r;
	r = wf_store_review_insert(st, period, a->user_id, clock_now(), &id);
	if (r == -ERR_CONFLICT) {
		r = problem_setf(p, ERR_CONFLICT, "conflict", "period",
		                 "the review of %s exists already", period);
		goto end;
	}
	if (r == 0)
		r = wf_store_review_items_create(st, id, clock_now());
	if (r == 0)
		r = flag_separation(st, id);
	if (r == 0)
		r = wf_store_review_open_items(st, id, &open, &total, &flagged);
	if (r == 0) {
		json_t *params =
		        json_pack("{s:I, s:s}", "review_id", (json_int_t)id, "period", period);

		/* Every department head has accounts to attest. */
		r = org_notify_department_heads(st, "review.started", params);
		json_decref(params);
	}
	if (r == 0) {
		(void)snprintf(obj, sizeof(obj), "review:%" PRId64, id);
		detail = json_pack("{s:s, s:I, s:I}", "period", period, "accounts",
		                   (json_int_t)total, "flagged", (json_int_t)flagged);
		r = audit_append(st, &(struct audit_event){ .actor = a,
		                                            .action = "review.start",
		                                            .object = obj,
		                                            .detail = detail });
		json_decref(detail);
	}
end:
	r = store_end(st, r);
	if (r == 0)
		*ret_id = id;
	return r;
}

static bool reads_all(const struct actor *a)
{
	return a->user_id == 0 || perm_check(a, "reviews.read", 0);
}

int review_get(struct store *st, const struct actor *a, int64_t id, json_t **ret, struct problem *p)
{
	/* The general manager attests the accounts no department head does (review_decide). */
	int r = wf_store_review_json(st, id, a->user_id, reads_all(a),
	                             (a->roles & ROLE_GENERAL_MANAGER) != 0, ret);

	if (r == -ERR_NOT_FOUND)
		return problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
	return r;
}

int review_list(struct store *st, const struct actor *a, int64_t after, int limit,
                json_t **ret_items, int64_t *ret_next, struct problem *p)
{
	if (!reads_all(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	return wf_store_review_list(st, after, limit, ret_items, ret_next);
}

/* Keeps the result in the register "account_review" (when the pack has it). */
static int keep_result(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                       int64_t total, int64_t flagged, struct problem *p)
{
	struct actor sys = { .user_id = 0, .username = "system", .source = a->source };
	const struct reg *g = pack_reg(pk, "account_review");
	json_t *c = NULL, *d;
	char now[RFC3339_LEN];
	int64_t rid;
	int r;

	if (!g)
		return 0;
	r = wf_store_review_json(st, id, 0, true, false, &c);
	if (r < 0)
		return r;
	time_format_rfc3339(clock_now(), now);
	d = json_object();
	if (form_field(g->form, "period"))
		json_object_set(d, "period", json_object_get(c, "period"));
	if (form_field(g->form, "started_at"))
		json_object_set(d, "started_at", json_object_get(c, "started_at"));
	if (form_field(g->form, "completed_at"))
		json_object_set_new(d, "completed_at", json_string(now));
	if (form_field(g->form, "accounts_reviewed"))
		json_object_set_new(d, "accounts_reviewed", json_integer(total));
	if (form_field(g->form, "flagged"))
		json_object_set_new(d, "flagged", json_integer(flagged));
	if (form_field(g->form, "summary")) {
		char *s = xasprintf("review #%" PRId64 ": %" PRId64 " accounts attested, %" PRId64
		                    " flagged (dormant, orphaned or over-privileged)",
		                    id, total, flagged);

		json_object_set_new(d, "summary", json_string(s));
		free(s);
	}
	r = record_create(st, pk, &sys, "account_review", d, 0, &rid, p);
	json_decref(d);
	json_decref(c);
	return r;
}

int review_decide(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                  int64_t item_id, json_t *in, struct problem *p)
{
	const char *decision = json_string_value(json_object_get(in, "decision"));
	const char *comment = json_string_value(json_object_get(in, "comment"));
	int64_t dept = 0, user = 0, open = 0, total = 0, flagged = 0, head;
	json_t *detail;
	char obj[48];
	bool decided;
	int r;

	if (!decision || (strcmp(decision, "keep") && strcmp(decision, "revoke_roles") &&
	                  strcmp(decision, "disable")))
		return problem_setf(p, ERR_INVALID, "invalid", "decision",
		                    "one of keep, revoke_roles, disable");
	if (json_object_get(in, "comment") &&
	    (!comment || utf8_count(comment) > 2000 || !utf8_valid(comment, strlen(comment), true)))
		return problem_setf(p, ERR_INVALID, "invalid", "comment",
		                    "a text of at most 2000 characters");
	r = store_begin(st);
	if (r < 0)
		return r;
	r = wf_store_review_item(st, id, item_id, &dept, &user, &decided);
	if (r == -ERR_NOT_FOUND) {
		r = problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
		goto end;
	}
	if (r < 0)
		goto end;
	if (user == a->user_id) {
		r = problem_setf(p, ERR_FORBIDDEN, "self_approval", NULL,
		                 "nobody attests their own account");
		goto end;
	}
	/* The department head attests; the head's own account, and accounts of departments
	 * without a head (or of none), go to the general manager or the security administrator. */
	head = org_department_head(st, dept);
	if (head > 0 && head != user ? head != a->user_id
	                             : !(a->roles & (ROLE_GENERAL_MANAGER | ROLE_SECURITY_ADMIN))) {
		r = problem_setf(p, ERR_FORBIDDEN, "forbidden", NULL,
		                 "the head of the account's department attests it");
		goto end;
	}
	if (decided) {
		r = problem_setf(p, ERR_CONFLICT, "conflict", NULL,
		                 "this account is attested already");
		goto end;
	}
	r = wf_store_review_item_decide(st, item_id, decision, a->user_id, clock_now(), comment);
	if (r == 0 && strcmp(decision, "keep") != 0) {
		/* The administrators act on it: revoking is the security administrator's, disabling
		 * the system administrator's (the three-administrator separation). */
		json_t *params = json_pack("{s:I, s:I, s:s}", "review_id", (json_int_t)id,
		                           "user_id", (json_int_t)user, "decision", decision);

		r = org_notify_role(
		        st, strcmp(decision, "disable") == 0 ? ROLE_SYS_ADMIN : ROLE_SECURITY_ADMIN,
		        "review.action_needed", params);
		json_decref(params);
	}
	if (r == 0) {
		(void)snprintf(obj, sizeof(obj), "review:%" PRId64, id);
		detail = json_pack("{s:I, s:I, s:s, s:s?}", "item", (json_int_t)item_id, "user_id",
		                   (json_int_t)user, "decision", decision, "comment", comment);
		r = audit_append(st, &(struct audit_event){ .actor = a,
		                                            .action = "review.decide",
		                                            .object = obj,
		                                            .detail = detail });
		json_decref(detail);
	}
	if (r == 0)
		r = wf_store_review_open_items(st, id, &open, &total, &flagged);
	if (r == 0 && open == 0) {
		r = wf_store_review_complete(st, id, clock_now());
		if (r == 0)
			r = keep_result(st, pk, a, id, total, flagged, p);
	}
end:
	return store_end(st, r);
}
