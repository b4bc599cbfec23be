/*
 * workflow.h: the one approval engine (SPEC WF-1…WF-3) for every "申请 → 审批 → 执行 → 登记"
 * process of the policy pack, and the account lifecycle built on it (ACC-3…ACC-8).
 *
 * A request is filed with its form's data; its steps are resolved to people from the
 * organization at once (applicant's department head, role holders, a person named in the
 * form) and the applicant is never among them. Steps run in order: approve moves on, reject
 * ends, return sends it back to the applicant to change and resubmit, and the applicant may
 * withdraw while it is open. Approving the last step of kind "execute" performs the request
 * type's action (create the account, grant roles, disable the leaver...) in the same
 * transaction. Every act is audited and notified.
 *
 * Statuses: pending → approved | completed (executed) | rejected | withdrawn; returned ↔ pending.
 */
#ifndef ISMS_WORKFLOW_WORKFLOW_H
#define ISMS_WORKFLOW_WORKFLOW_H

#include <jansson.h>
#include <stdint.h>

#include "core/common.h"
#include "forms/pack.h"

struct store;
struct pack;
struct actor;
struct problem;

/* What executing an approved request of a type does, when the action belongs to another
 * module (app/module.h: struct module.actions): registered by name, so that the workflow
 * engine includes no module. Both run inside the approving (or filing) transaction. */
struct action_run {
	struct store *st;
	const struct pack *pk;
	const struct actor *actor; /* the executor, with the authority the chain gave */
	int64_t request_id;
	json_t *data;    /* the request's data */
	json_t *result;  /* what the action did: the action adds its keys */
	json_t **secret; /* shown once to the executor; NULL until the action sets it */
	struct problem *p;
};

struct request_action {
	const char *name; /* the pack's "action" (forms/pack.h action_name) */
	/* Before the request is filed or resubmitted (may be NULL): e.g. 409 when what the
	 * action needs is missing already. */
	int (*precheck)(struct store *st, json_t *data, struct problem *p);
	int (*run)(struct action_run *x);
};

/* Registers actions (modules_init, once at start): -1 when a name is taken. */
int wf_actions_register(const struct request_action *a, size_t n);

enum request_act { ACT_APPROVE, ACT_REJECT, ACT_RETURN, ACT_WITHDRAW, ACT_RESUBMIT };

/* Files a request: {"type", "data", "comment"?, "attachments"?: [sha256, …]}.
 * 409 "no_approver" (field "steps[i]") when a step resolves to nobody. */
/* Follows every request filed or acted on (one hook per process). */
void workflow_set_change_hook(change_hook hook);

/* The people a pending request waits for (its current step's assignees; [] when it is not
 * pending), as a JSON array of ids. */
int request_waiting_on(struct store *st, int64_t id, json_t **ret_ids);

int request_file(struct store *st, const struct pack *pk, const struct actor *a, json_t *in,
                 int64_t *ret_id, struct problem *p);
/* The request with its steps and history, for the applicant, anyone who is or was an
 * approver of it, and the security administrators. */
int request_get(struct store *st, const struct pack *pk, const struct actor *a, int64_t id, bool en,
                json_t **ret, struct problem *p);
/*
 * Acts on a request: in = {"comment"?, "attachments"?, "data"? (resubmit)}. Approving an
 * execute step runs the action; *ret_secret (may be NULL) receives what is shown once to the
 * executor (e.g. {"username", "initial_password"}), never stored. 403 "self_approval" when
 * the applicant tries to approve or reject their own request.
 */
int request_act(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                enum request_act act, json_t *in, json_t **ret_secret, struct problem *p);
/* Requests waiting for the caller's decision, oldest first. */
int request_inbox(struct store *st, const struct actor *a, int64_t after, int limit,
                  json_t **ret_items, int64_t *ret_next);
/* The caller's own requests, newest first. */
int request_mine(struct store *st, const struct actor *a, int64_t after, int limit,
                 json_t **ret_items, int64_t *ret_next);

/* --- monthly account review (ACC-8) ------------------------------------------------ */

/* Starts the review of period "YYYY-MM" (security_admin): one item per account, flagged
 * dormant (no login for 90 days), orphaned (disabled or no department but holding roles)
 * or over_privileged (an administrator role, or roles beyond a plain employee's while the
 * department head never attested them). 409 when the period exists. */
int review_start(struct store *st, const struct actor *a, const char *period, int64_t *ret_id,
                 struct problem *p);
/* The campaign with the items the caller may see (a department head: the department's). */
/* The campaigns, newest first, with counts of items, open and flagged ones (security and
 * audit administrators, assessors). */
int review_list(struct store *st, const struct actor *a, int64_t after, int limit,
                json_t **ret_items, int64_t *ret_next, struct problem *p);
int review_get(struct store *st, const struct actor *a, int64_t id, json_t **ret,
               struct problem *p);
/* A department head attests one item: {"decision": keep|revoke_roles|disable, "comment"}.
 * When the last item is decided the campaign completes and its result is kept as a record
 * of register "account_review". */
int review_decide(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                  int64_t item_id, json_t *in, struct problem *p);

/* init --demo: a request under way (workflow/demo.c, core/demo.h). */
struct demo_org;
int workflow_demo(const struct demo_org *d);

#endif
