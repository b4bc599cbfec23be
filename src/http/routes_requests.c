/*
 * routes_requests.c: requests and their approval chains, the approval inbox, and the monthly
 * account review.
 */
#include "core/common.h"

#include "app/app.h"
#include "core/spec.h"
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

/* The data, comment and attachments are checked by the workflow (its form, its files). */
static const struct spec_field request_create_fields[] = {
	{ .name = "type",
	  .type = SPEC_TEXT,
	  .flags = SPEC_REQUIRED,
	  .max_len = 64,
	  .zh = "申请类型",
	  .en = "the request type" },
	{ .name = "data", .type = SPEC_ANY },
	{ .name = "comment", .type = SPEC_ANY },
	{ .name = "attachments", .type = SPEC_ANY },
	{ .name = NULL },
};
static const struct spec request_create = { .fields = request_create_fields };
static const struct spec_field act_fields[] = {
	{ .name = "comment", .type = SPEC_ANY },
	{ .name = "attachments", .type = SPEC_ANY },
	{ .name = NULL },
};
static const struct spec act_spec = { .fields = act_fields };
static const struct spec_field resubmit_fields[] = {
	{ .name = "comment", .type = SPEC_ANY },
	{ .name = "attachments", .type = SPEC_ANY },
	{ .name = "data", .type = SPEC_ANY },
	{ .name = NULL },
};
static const struct spec resubmit_spec = { .fields = resubmit_fields };
static const struct spec_field review_create_fields[] = {
	{ .name = "period",
	  .type = SPEC_TEXT,
	  .flags = SPEC_REQUIRED,
	  .max_len = 16,
	  .zh = "复核期间",
	  .en = "the period" },
	{ .name = NULL },
};
static const struct spec review_create_spec = { .fields = review_create_fields };
static const struct spec_field review_decide_fields[] = {
	{ .name = "decision", .type = SPEC_ANY },
	{ .name = "comment", .type = SPEC_ANY },
	{ .name = NULL },
};
static const struct spec review_decide_spec = { .fields = review_decide_fields };

int h_requests_create(struct req *rq)
{
	json_t *body;
	int64_t id = 0;
	int r = req_spec(rq, &request_create, false, &body);

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
	json_t *body, *secret = NULL;
	int r = req_spec(rq, what == ACT_RESUBMIT ? &resubmit_spec : &act_spec, true, &body);

	if (r == 0)
		r = request_act(rq->st, rq->app->pack, &rq->actor, rq->params[0], what, body,
		                &secret, &rq->problem);
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
	json_t *body;
	int64_t id = 0;
	int r = req_spec(rq, &review_create_spec, false, &body);

	if (r == 0)
		r = review_start(rq->st, &rq->actor,
		                 json_string_value(json_object_get(body, "period")), &id,
		                 &rq->problem);
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
	json_t *body;
	int r = req_spec(rq, &review_decide_spec, false, &body);

	if (r == 0)
		r = review_decide(rq->st, rq->app->pack, &rq->actor, rq->params[0], rq->params[1],
		                  body, &rq->problem);
	if (r < 0)
		return r;
	return reply_review(rq, 200, rq->params[0]);
}

/* --- the module (app/module.h) ---------------------------------------------------- */

static const struct permission workflow_perms[] = {
	{ "requests.use", PERM_COMMON, "提交、查看、撤回和重新提交申请",
	  "File, see, withdraw and resubmit requests" },
	{ "requests.decide", PERM_COMMON, "处理轮到本人的审批和复核",
	  "Act on the approval and review steps waiting for oneself" },
	{ "requests.approve", PERM_BUSINESS, "作为业务审批人审批（部门负责人、领导等步骤）",
	  "Approve as a business approver (department head, leadership steps)" },
	{ "reviews.read", PERM_OVERSIGHT, "查看账号复核", "See the account reviews" },
	{ "reviews.start", PERM_SECURITY, "发起账号复核", "Start an account review" },
};

static const struct route workflow_routes[] = {
	{ "GET", "/api/v1/meta/requests", h_meta_requests, 0, "requests.use" },
	{ "GET", "/api/v1/requests", h_requests_mine, 0, "requests.use" },
	{ "POST", "/api/v1/requests", h_requests_create, 0, "requests.use" },
	{ "GET", "/api/v1/requests/{id}", h_request_get, 0, "requests.use" },
	{ "POST", "/api/v1/requests/{id}/approve", h_request_approve, 0, "requests.decide" },
	{ "POST", "/api/v1/requests/{id}/reject", h_request_reject, 0, "requests.decide" },
	{ "POST", "/api/v1/requests/{id}/return", h_request_return, 0, "requests.decide" },
	{ "POST", "/api/v1/requests/{id}/withdraw", h_request_withdraw, 0, "requests.use" },
	{ "POST", "/api/v1/requests/{id}/resubmit", h_request_resubmit, 0, "requests.use" },
	{ "GET", "/api/v1/approvals/inbox", h_approvals_inbox, 0, "requests.decide" },
	{ "GET", "/api/v1/account-reviews", h_reviews_list, 0, "reviews.read" },
	{ "POST", "/api/v1/account-reviews", h_reviews_create, 0, "reviews.start" },
	{ "GET", "/api/v1/account-reviews/{id}", h_review_get, 0, "requests.decide" },
	{ "POST", "/api/v1/account-reviews/{id}/items/{item}", h_review_decide, 0,
	  "requests.decide" },
};

static const struct error_text workflow_errors[] = {
	{ "no_approver", "审批链中有步骤无人可审批，请联系系统管理员设置部门负责人或授予角色",
	  "Nobody can act on a step of the approval chain: ask the system administrator to set the department head or grant the role" },
	{ "authorization_required", "授予管理员角色须经总经理批准（请提交管理员账号申请）",
	  "An administrator role needs the general manager's authorization: file an admin_account request" },
	{ "self_approval", "不能审批自己提交的申请", "Nobody decides on their own request" },
	{ "not_your_step", "该审批步骤不由您处理", "This step waits for someone else" },
	{ "not_pending", "申请当前状态不允许此操作",
	  "The request is not in a state that allows this" },
};

const struct module workflow_module = {
	.name = "workflow",
	.demo = workflow_demo,
	.perms = MODULE_LIST(workflow_perms),
	.routes = MODULE_LIST(workflow_routes),
	.errors = MODULE_LIST(workflow_errors),
};
