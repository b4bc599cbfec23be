/*
 * test_spec.c: input specs (core/spec.h): each reason, the field's path, the messages in
 * both languages naming the field, nesting, and that a valid body passes.
 */
#include <criterion/criterion.h>

#include "core/common.h"
#include "core/err.h"
#include "core/spec.h"

static const char *const kinds[] = { "server", "network", NULL };
static const struct spec_field step_fields[] = {
	{ .name = "user",
	  .type = SPEC_ID,
	  .flags = SPEC_REQUIRED,
	  .zh = "审批人",
	  .en = "approver" },
	{ NULL },
};
static const struct spec step = { .fields = step_fields };
static const struct spec_field step_item = { .type = SPEC_OBJECT, .fields = &step };
static const struct spec_field data_fields[] = {
	{ .name = "temperature",
	  .type = SPEC_NUMBER,
	  .flags = SPEC_RANGE,
	  .min = -20,
	  .max = 60,
	  .zh = "温度",
	  .en = "temperature" },
	{ NULL },
};
static const struct spec data = { .fields = data_fields };
static const struct spec_field fields[] = {
	{ .name = "name",
	  .type = SPEC_TEXT,
	  .flags = SPEC_REQUIRED,
	  .max_len = 4,
	  .zh = "名称",
	  .en = "name" },
	{ .name = "kind", .type = SPEC_TEXT, .one_of = kinds, .zh = "类型", .en = "kind" },
	{ .name = "host",
	  .type = SPEC_TEXT,
	  .pattern = "^[a-z0-9.-]+$",
	  .zh = "主机",
	  .en = "host" },
	{ .name = "at", .type = SPEC_TIME, .zh = "时间", .en = "time" },
	{ .name = "note",
	  .type = SPEC_TEXT,
	  .flags = SPEC_NULLABLE | SPEC_MULTILINE,
	  .max_len = 10 },
	{ .name = "data", .type = SPEC_OBJECT, .fields = &data },
	{ .name = "steps",
	  .type = SPEC_ARRAY,
	  .max_len = 2,
	  .items = &step_item,
	  .zh = "步骤",
	  .en = "steps" },
	{ .name = "enabled", .type = SPEC_BOOL, .zh = "启用", .en = "enabled" },
	{ NULL },
};
static const struct spec body = { .fields = fields };

/* The problem of the last check (p.field may point into p itself: never copied). */
static struct problem last;

static const struct problem *check(const char *text, int want)
{
	json_t *o = json_loads(text, JSON_ALLOW_NUL, NULL);

	last = (struct problem){ 0 };
	cr_assert_not_null(o, "%s", text);
	cr_assert_eq(spec_check(&body, o, "", &last), want, "%s: %s", text, last.detail);
	json_decref(o);
	return &last;
}

static void expect(const char *text, const char *field, const char *reason, const char *zh,
                   const char *en)
{
	const struct problem *p = check(text, -ERR_INVALID);

	if (field)
		cr_assert_str_eq(p->field, field, "%s", text);
	else
		cr_assert_null(p->field, "%s", text);
	cr_assert_str_eq(p->reason, reason, "%s", text);
	cr_assert_str_eq(p->msg_zh, zh, "%s: %s", text, p->msg_zh);
	cr_assert_str_eq(p->msg_en, en, "%s: %s", text, p->msg_en);
}

Test(spec, a_valid_body_passes)
{
	check("{\"name\":\"HIS\",\"kind\":\"server\",\"host\":\"10.1.2.3\",\"at\":"
	      "\"2026-11-21T09:30:00+08:00\",\"note\":null,\"data\":{\"temperature\":22},"
	      "\"steps\":[{\"user\":3}],\"enabled\":false}",
	      0);
	check("{\"name\":\"中文四字\"}", 0); /* four code points, twelve bytes */
}

Test(spec, each_reason_names_the_field)
{
	expect("{}", "name", "required", "请填写名称", "name is required");
	expect("{\"name\":\"\"}", "name", "required", "请填写名称", "name is required");
	expect("{\"name\":\"abcde\"}", "name", "too_long", "名称不能超过 4 个字符",
	       "name is longer than 4 characters");
	expect("{\"name\":7}", "name", "wrong_type", "名称应为文本", "name must be text");
	expect("{\"name\":\"a\",\"kind\":\"printer\"}", "kind", "not_in_list",
	       "类型只能是：server, network", "kind must be one of: server, network");
	expect("{\"name\":\"a\",\"host\":\"A B\"}", "host", "bad_format", "主机的格式不正确",
	       "host is not in the expected form");
	expect("{\"name\":\"a\",\"at\":\"yesterday\"}", "at", "bad_format",
	       "时间应为时间，例如 2026-11-21T09:30:00+08:00",
	       "time must be a time such as 2026-11-21T09:30:00+08:00");
	expect("{\"name\":\"a\",\"enabled\":\"yes\"}", "enabled", "wrong_type", "启用应为是或否",
	       "enabled must be true or false");
	expect("{\"name\":\"a\",\"bogus\":1}", NULL, "unknown_field", "不接受字段“bogus”",
	       "'bogus' is not accepted here");
}

Test(spec, nested_objects_and_arrays_give_the_full_path)
{
	expect("{\"name\":\"a\",\"data\":{\"temperature\":99}}", "data.temperature", "out_of_range",
	       "温度应在 -20 到 60 之间", "temperature must be from -20 to 60");
	expect("{\"name\":\"a\",\"steps\":[{\"user\":1},{\"user\":0}]}", "steps[1].user",
	       "wrong_type", "审批人应为编号（正整数）",
	       "approver must be an id (a positive whole number)");
	expect("{\"name\":\"a\",\"steps\":[{},{},{}]}", "steps", "too_long", "步骤最多 2 项",
	       "steps holds at most 2 items");
	expect("{\"name\":\"a\",\"data\":[]}", "data", "wrong_type", "data应为对象",
	       "data must be an object");
}

Test(spec, text_is_checked_as_text)
{
	/* A line break only where the field allows it; a NUL never. */
	expect("{\"name\":\"a\\nb\"}", "name", "bad_format", "名称须为一行有效的文本",
	       "name must be valid text on one line");
	check("{\"name\":\"a\",\"note\":\"x\\ny\"}", 0);
	expect("{\"name\":\"a\\u0000b\"}", "name", "bad_format", "名称须为一行有效的文本",
	       "name must be valid text on one line");
	/* null clears a nullable field; elsewhere it is refused. */
	expect("{\"name\":\"a\",\"kind\":null}", "kind", "wrong_type", "类型不能为空值",
	       "kind cannot be null");
}

Test(spec, the_problem_is_an_invalid_answer_with_a_detail)
{
	const struct problem *p = check("{\"name\":\"a\",\"bogus\":1}", -ERR_INVALID);

	cr_assert_str_eq(p->code, "unknown_field");
	p = check("{}", -ERR_INVALID);
	cr_assert_str_eq(p->code, "invalid");
	cr_assert_str_eq(p->detail, "name is required");
}
