/*
 * routes_requests.c: requests and their approval chains, the approval inbox, and the monthly
 * account review.
 */
#include "core/common.h"

#include "app/app.h"
#include "http/http.h"
#include "http/routes.h"
#include "workflow/workflow.h"

static int reply_request(struct req *rq, unsigned status, int64_t id, json_t *secret)
{
	json_t *o = NULL;
	int r = request_get(rq->st, rq->app->pack, &rq->actor, id, rq->lang_en, &o, &rq->problem);

	if (r < 0) {
		json_decref(secret);
		return r;
	}
	/* Shown once to the executor (an initial password); never stored. */
	if (secret)
		json_object_set_new(o, "secret", secret);
	return reply_json(rq, status, o);
}

int h_requests_create(struct req *rq)
{
	static const char *const allowed[] = { "type", "data", "comment", "attachments", NULL };
	json_t *body;
	int64_t id = 0;
	int r = req_body(rq, &body);

	if (r == 0)
		r = body_only(rq, body, allowed);
	if (r == 0 && !json_is_string(json_object_get(body, "type")))
		r = problem_setf(&rq->problem, ERR_INVALID, "invalid", "type",
		                 "name the request type");
	if (r == 0)
		r = request_file(rq->st, rq->app->pack, &rq->actor, body, &id, &rq->problem);
	if (r < 0)
		return r;
	return reply_request(rq, 201, id, NULL);
}

int h_requests_mine(struct req *rq)
{
	json_t *items = NULL;
	int64_t after, next = 0;
	int limit, r = req_page(rq, &limit, &after);

	if (r == 0)
		r = request_mine(rq->st, &rq->actor, after, limit, &items, &next);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

int h_request_get(struct req *rq)
{
	return reply_request(rq, 200, rq->params[0], NULL);
}

static int act(struct req *rq, enum request_act what)
{
	static const char *const allowed[] = { "comment", "attachments", NULL };
	static const char *const allowed_resubmit[] = { "comment", "attachments", "data", NULL };
	json_t *body = rq->json, *secret = NULL, *empty = NULL;
	int r = 0;

	if (!body)
		body = empty = json_object();
	r = body_only(rq, body, what == ACT_RESUBMIT ? allowed_resubmit : allowed);
	if (r == 0)
		r = request_act(rq->st, rq->app->pack, &rq->actor, rq->params[0], what, body,
		                &secret, &rq->problem);
	json_decref(empty);
	if (r < 0)
		return r;
	return reply_request(rq, 200, rq->params[0], secret);
}

int h_request_approve(struct req *rq)
{
	return act(rq, ACT_APPROVE);
}

int h_request_reject(struct req *rq)
{
	return act(rq, ACT_REJECT);
}

int h_request_return(struct req *rq)
{
	return act(rq, ACT_RETURN);
}

int h_request_withdraw(struct req *rq)
{
	return act(rq, ACT_WITHDRAW);
}

int h_request_resubmit(struct req *rq)
{
	return act(rq, ACT_RESUBMIT);
}

int h_approvals_inbox(struct req *rq)
{
	json_t *items = NULL;
	int64_t after, next = 0;
	int limit, r = req_page(rq, &limit, &after);

	if (r == 0)
		r = request_inbox(rq->st, &rq->actor, after, limit, &items, &next);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

/* --- account review --------------------------------------------------------------------- */

static int reply_review(struct req *rq, unsigned status, int64_t id)
{
	json_t *o = NULL;
	int r = review_get(rq->st, &rq->actor, id, &o, &rq->problem);

	if (r < 0)
		return r;
	return reply_json(rq, status, o);
}

int h_reviews_create(struct req *rq)
{
	static const char *const allowed[] = { "period", NULL };
	const char *period = NULL;
	json_t *body;
	int64_t id = 0;
	int r = req_body(rq, &body);

	if (r == 0)
		r = body_only(rq, body, allowed);
	if (r == 0)
		r = body_string(rq, body, "period", true, 16, &period);
	if (r == 0)
		r = review_start(rq->st, &rq->actor, period, &id, &rq->problem);
	if (r < 0)
		return r;
	return reply_review(rq, 201, id);
}

int h_reviews_list(struct req *rq)
{
	json_t *items = NULL;
	int64_t after, next = 0;
	int limit, r = req_page(rq, &limit, &after);

	if (r == 0)
		r = review_list(rq->st, &rq->actor, after, limit, &items, &next, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

int h_review_get(struct req *rq)
{
	return reply_review(rq, 200, rq->params[0]);
}

int h_review_decide(struct req *rq)
{
	static const char *const allowed[] = { "decision", "comment", NULL };
	json_t *body;
	int r = req_body(rq, &body);

	if (r == 0)
		r = body_only(rq, body, allowed);
	if (r == 0)
		r = review_decide(rq->st, rq->app->pack, &rq->actor, rq->params[0], rq->params[1],
		                  body, &rq->problem);
	if (r < 0)
		return r;
	return reply_review(rq, 200, rq->params[0]);
}
