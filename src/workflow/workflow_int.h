/*
 * workflow_int.h: shared inside src/workflow; all SQL is in workflow_store.c.
 */
#ifndef ISMS_WORKFLOW_WORKFLOW_INT_H
#define ISMS_WORKFLOW_WORKFLOW_INT_H

#include <stdbool.h>

#include "forms/pack.h"
#include "workflow/workflow.h"

struct request_row {
	int64_t id, applicant_id, department_id, step, created_at, updated_at, closed_at, version;
	char *type, *status;
	json_t *data, *result;
};
void request_row_release(struct request_row *r);

int wf_store_request_insert(struct store *st, struct request_row *r);
int wf_store_request_update(struct store *st, const struct request_row *r);
int wf_store_request_load(struct store *st, int64_t id, struct request_row *ret);

int wf_store_steps_delete(struct store *st, int64_t request_id);
int wf_store_step_insert(struct store *st, int64_t request_id, int seq, const struct step *s,
                         const char *status);
int wf_store_step_set(struct store *st, int64_t request_id, int seq, const char *status, int64_t by,
                      const char *comment);
/* The request's steps as JSON [{seq,id,kind,approver,status,assignees,acted_by,acted_at,
 * comment}] */
int wf_store_steps_json(struct store *st, int64_t request_id, json_t **ret);
/* The status of step seq ("" when none). */
int wf_store_step_status(struct store *st, int64_t request_id, int seq, char *out, size_t n);
int wf_store_assignee_add(struct store *st, int64_t user_id, int64_t request_id, int seq);
/* 1 when user is an assignee of the step (seq 0: of any step of the request). */
int wf_store_is_assignee(struct store *st, int64_t user_id, int64_t request_id, int seq);
/* Assignee ids of a step. */
int wf_store_assignees(struct store *st, int64_t request_id, int seq, json_t **ret);

int wf_store_event_add(struct store *st, int64_t request_id, int seq, const char *action,
                       int64_t user_id, const char *comment, json_t *attachments);
int wf_store_events_json(struct store *st, int64_t request_id, json_t **ret);

int wf_store_inbox(struct store *st, int64_t user_id, int64_t after, int limit, json_t *items,
                   int64_t *ret_next);
int wf_store_mine(struct store *st, int64_t user_id, int64_t after, int limit, json_t *items,
                  int64_t *ret_next);
json_t *request_row_json(const struct request_row *r);

/* What an action needs before its request is filed or resubmitted (actions.c): a data cleanup
 * needs a recent verified backup of the system (409 no_verified_backup). */
int wf_precheck(struct store *st, const struct reqtype *q, json_t *data, struct problem *p);
/* The action of an executed request (actions.c); runs inside the transaction. */
int wf_execute(struct store *st, const struct pack *pk, const struct actor *a,
               const struct reqtype *q, const struct request_row *r, json_t **ret_result,
               json_t **ret_secret, struct problem *p);

/* Review campaigns (review.c uses these). */
int wf_store_review_insert(struct store *st, const char *period, int64_t by, int64_t now,
                           int64_t *ret_id);
/* Adds a flag to the item of one account (none: nothing happens). */
int wf_store_review_item_flag(struct store *st, int64_t campaign_id, int64_t user_id,
                              const char *flag);
int wf_store_review_items_create(struct store *st, int64_t campaign_id, int64_t now);
/* Campaigns newest first, with their item counts (items, open, flagged). */
int wf_store_review_list(struct store *st, int64_t after, int limit, json_t **ret_items,
                         int64_t *ret_next);
/* The campaign with the items the caller sees: all, those of the departments head_of heads,
 * and with unheaded those no head attests (heads' own, departments without a head). */
int wf_store_review_json(struct store *st, int64_t id, int64_t head_of, bool all, bool unheaded,
                         json_t **ret);
int wf_store_review_item(struct store *st, int64_t campaign_id, int64_t item_id,
                         int64_t *ret_department, int64_t *ret_user, bool *ret_decided);
int wf_store_review_item_decide(struct store *st, int64_t item_id, const char *decision, int64_t by,
                                int64_t now, const char *comment);
int wf_store_review_open_items(struct store *st, int64_t campaign_id, int64_t *ret_open,
                               int64_t *ret_total, int64_t *ret_flagged);
int wf_store_review_complete(struct store *st, int64_t campaign_id, int64_t now);

#endif
