/*
 * fuzz_spec.c: a JSON body checked against an input spec (core/spec.h) with every kind of
 * field, nested objects and arrays: never a crash, and a refusal always names a reason, a
 * field path that fits and messages in both languages.
 */
#include "core/common.h"
#include "core/err.h"
#include "core/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const kinds[] = { "server", "network", "database", NULL };

static const struct spec_field item_fields[] = {
	{ .name = "name", .type = SPEC_TEXT, .flags = SPEC_REQUIRED, .max_len = 20 },
	{ .name = "at", .type = SPEC_TIME },
	{ NULL },
};
static const struct spec item = { .fields = item_fields };
static const struct spec_field item_spec = { .type = SPEC_OBJECT, .fields = &item };
static const struct spec_field tag_spec = { .type = SPEC_TEXT,
	                                    .max_len = 8,
	                                    .pattern = "^[a-z]+$" };

static const struct spec_field fields[] = {
	{ .name = "name",
	  .type = SPEC_TEXT,
	  .flags = SPEC_REQUIRED,
	  .max_len = 100,
	  .zh = "名称",
	  .en = "name" },
	{ .name = "kind", .type = SPEC_TEXT, .one_of = kinds },
	{ .name = "note",
	  .type = SPEC_TEXT,
	  .flags = SPEC_MULTILINE | SPEC_NULLABLE,
	  .max_len = 500 },
	{ .name = "temperature", .type = SPEC_NUMBER, .flags = SPEC_RANGE, .min = -20, .max = 60 },
	{ .name = "count", .type = SPEC_INT, .flags = SPEC_RANGE, .min = 0, .max = 1000 },
	{ .name = "owner", .type = SPEC_ID },
	{ .name = "enabled", .type = SPEC_BOOL },
	{ .name = "on", .type = SPEC_DATE },
	{ .name = "items", .type = SPEC_ARRAY, .max_len = 5, .items = &item_spec },
	{ .name = "tags", .type = SPEC_ARRAY, .items = &tag_spec },
	{ .name = "extra", .type = SPEC_ANY },
	{ NULL },
};
static const struct spec body = { .fields = fields };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *o = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	struct problem p = { 0 };

	if (json_is_object(o) && spec_check(&body, o, "", &p) < 0) {
		if (!p.reason || !p.msg_zh[0] || !p.msg_en[0] || !p.code)
			abort();
		if (p.field && strlen(p.field) >= PROBLEM_PATH_MAX)
			abort();
	}
	json_decref(o);
	return 0;
}
