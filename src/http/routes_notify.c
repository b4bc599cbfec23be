/*
 * routes_notify.c: the notification channels (e-mail and chat robots), managed by the
 * security administrator, with a test message to check a channel end to end.
 */
#include "core/common.h"

#include "app/app.h"
#include "core/clock.h"
#include "core/spec.h"
#include "http/http.h"
#include "http/routes.h"
#include "notify/notify.h"
#include "org/org.h"
#include "store/store.h"

static int reply_channels(struct req *rq, unsigned status)
{
	json_t *items = NULL;
	int r = notify_channel_list(rq->st, &rq->actor, &items, &rq->problem);

	if (r < 0)
		return r;
	return reply_json(rq, status, json_pack("{s:o}", "items", items));
}

int h_channels_list(struct req *rq)
{
	return reply_channels(rq, 200);
}

int h_channels_create(struct req *rq)
{
	json_t *body;
	int64_t id = 0;
	int r = req_body(rq, &body);

	if (r == 0)
		r = notify_channel_create(rq->st, &rq->actor, rq->app->seal_key, body, &id,
		                          &rq->problem);
	if (r < 0)
		return r;
	return reply_channels(rq, 201);
}

int h_channel_patch(struct req *rq)
{
	json_t *body;
	int r = req_body(rq, &body);

	if (r == 0)
		r = notify_channel_update(rq->st, &rq->actor, rq->app->seal_key, rq->params[0],
		                          body, &rq->problem);
	if (r < 0)
		return r;
	return reply_channels(rq, 200);
}

/* Queues a test message on the channel: to {"to"} or the caller's own e-mail address for a
 * mail channel, to the group for a robot. The delivery worker sends it within seconds. */
static const struct spec_field channel_test_fields[] = {
	{ .name = "to",
	  .type = SPEC_TEXT,
	  .flags = SPEC_NULLABLE,
	  .max_len = 254,
	  .zh = "收件地址",
	  .en = "the address" },
	{ .name = NULL },
};
static const struct spec channel_test = { .fields = channel_test_fields };

int h_channel_test(struct req *rq)
{
	const char *to = NULL;
	struct user u = { 0 };
	json_t *body;
	int r = req_spec(rq, &channel_test, true, &body);

	if (r == 0)
		to = json_string_value(json_object_get(body, "to"));
	if (r == 0 && !to && org_user_load(rq->st, rq->actor.user_id, &u) == 0)
		to = u.email;
	if (r == 0)
		r = store_begin(rq->st);
	if (r == 0) {
		r = notify_enqueue(rq->st, 0, rq->params[0], to ? to : "",
		                   rq->lang_en ? "isms: test message" : "isms 测试消息",
		                   rq->lang_en ? "This channel works: isms can reach you here."
		                               : "通知渠道工作正常：isms 可以通过此渠道通知您。");
		if (r == -ERR_INVALID)
			r = problem_setf(
			        &rq->problem, ERR_INVALID, "invalid", "to",
			        "a mail channel needs an address: send {\"to\"} or set your "
			        "e-mail; a robot channel takes none");
		else if (r == -ERR_NOT_FOUND)
			r = problem_set(&rq->problem, ERR_NOT_FOUND, "not_found", NULL);
		r = store_end(rq->st, r);
	}
	user_release(&u);
	if (r < 0)
		return r;
	return reply_json(rq, 202, json_pack("{s:b}", "queued", 1));
}

int h_deliveries_list(struct req *rq)
{
	json_t *items = NULL;
	int64_t after, channel, next = 0;
	int limit, r = req_page(rq, &limit, &after);

	if (r == 0)
		r = req_query_id(rq, "channel_id", &channel);
	if (r == 0)
		r = notify_delivery_list(rq->st, &rq->actor, after, req_query(rq, "status"),
		                         channel, limit, &items, &next, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

/* --- the module (app/module.h) ---------------------------------------------------- */

static const struct permission notify_perms[] = {
	{ "channels.manage", PERM_SECURITY, "设置邮件和机器人通知渠道",
	  "Set up the e-mail and robot notification channels" },
	{ "deliveries.read", PERM_OVERSIGHT, "查看通知发送记录",
	  "See the notification deliveries" },
};

static const struct route notify_routes[] = {
	{ "GET", "/api/v1/notify/channels", h_channels_list, 0, "channels.manage" },
	{ "POST", "/api/v1/notify/channels", h_channels_create, 0, "channels.manage" },
	{ "PATCH", "/api/v1/notify/channels/{id}", h_channel_patch, 0, "channels.manage" },
	{ "POST", "/api/v1/notify/channels/{id}/test", h_channel_test, 0, "channels.manage" },
	{ "GET", "/api/v1/notify/deliveries", h_deliveries_list, 0, "deliveries.read" },
};

const struct module notify_module = {
	.name = "notify",
	.perms = MODULE_LIST(notify_perms),
	.routes = MODULE_LIST(notify_routes),
};
