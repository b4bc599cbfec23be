/*
 * demo.c: the registers' part of init --demo (core/demo.h): a complaint taken three hours ago
 * and not yet forwarded (past its 1-hour rule), a drawing lent a week ago and not returned (8
 * working hours), and today's machine-room inspection.
 */
#include "core/common.h"

#include "core/clock.h"
#include "core/demo.h"
#include "forms/forms.h"

static void hours_ago(int64_t now, double hours, char out[RFC3339_LEN])
{
	time_format_rfc3339(now - (int64_t)(hours * 3600), out);
}

int forms_demo(const struct demo_org *d)
{
	struct actor sunli = d->as(d, "sunli"), lina = d->as(d, "lina"),
	             liuyang = d->as(d, "liuyang");
	char received[RFC3339_LEN], borrowed[RFC3339_LEN], inspected[RFC3339_LEN];
	json_t *data;
	int64_t id;
	int r;

	hours_ago(d->now, 3, received);
	data = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "complainant", "黄先生", "received_at",
	                 received, "channel", "phone", "content",
	                 "医保报销结算迟迟未到账，多次来电无人答复。", "handler",
	                 (json_int_t)sunli.user_id, "department",
	                 (json_int_t)d->department(d, "客服中心"));
	r = record_create(d->st, d->pk, &sunli, "complaint", data, 0, &id, d->p);
	json_decref(data);
	hours_ago(d->now, 7 * 24, borrowed);
	data = json_pack("{s:I, s:s, s:s}", "borrower", (json_int_t)liuyang.user_id, "document",
	                 "机房改造竣工图纸（A-03）", "borrowed_at", borrowed);
	if (r == 0)
		r = record_create(d->st, d->pk, &lina, "document_loan", data, 0, &id, d->p);
	json_decref(data);
	hours_ago(d->now, 0.5, inspected);
	data = json_pack("{s:s, s:I, s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "inspected_at",
	                 inspected, "inspector", (json_int_t)lina.user_id, "temperature", 22,
	                 "humidity", 48, "power_ups", "normal", "air_conditioning", "normal",
	                 "fire_smoke", "normal", "water_leak", "normal", "network_status", "normal",
	                 "server_status", "normal", "result", "normal");
	if (r == 0)
		r = record_create(d->st, d->pk, &lina, "machine_room_inspection", data, 0, &id,
		                  d->p);
	json_decref(data);
	return r;
}
