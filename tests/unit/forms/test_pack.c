/*
 * test_pack.c: the policy pack merged and validated (every problem with file and path), form
 * validation of each field type, spreadsheet cells turned into values, and records written
 * with their audit entry and refused without changing anything.
 */
#include <criterion/criterion.h>
#include <unistd.h>

#include "core/common.h"
#include "core/actor.h"
#include "core/fs.h"
#include "audit/audit.h"
#include "fixture.h"
#include "forms/forms.h"
#include "forms/pack.h"
#include "org/org.h"
#include "store/store.h"

static struct store *st;
static struct pack *pk;
static const char *dir;

static void setup(void)
{
	json_t *errors = NULL;

	fixture_setup("pack");
	st = fx.st;
	dir = fx.dir;
	cr_assert_eq(pack_load(NULL, &pk, &errors), 0, "the built-in pack is invalid");
	{
		const struct actor op = { .user_id = 0, .username = "cli:test", .source = "cli" };
		json_t *in = json_pack("{s:s}", "name", "信息科");
		struct problem p = { 0 };
		int64_t id = 0;

		cr_assert_eq(org_department_create(st, &op, in, &id, &p), 0, "%s", p.detail);
		cr_assert_eq(id, 1);
		json_decref(in);
	}
}

static void teardown(void)
{
	pack_free(pk);
	fixture_teardown();
}

/* Loads the built-in pack plus one override file; returns the errors (or NULL). */
static json_t *with_override(const char *json)
{
	char sub[96], *file;
	struct pack *p = NULL;
	json_t *errors = NULL;

	(void)snprintf(sub, sizeof(sub), "%s/policy", dir);
	cr_assert_eq(fs_mkdir(sub, 0700), 0);
	file = xasprintf("%s/org.json", sub);
	cr_assert_eq(fs_write_atomic(file, json, strlen(json), 0600), 0);
	if (pack_load(sub, &p, &errors) == 0) {
		cr_assert_null(errors);
		pack_free(p);
	}
	unlink(file);
	free(file);
	return errors;
}

static bool has_error(json_t *errors, const char *text)
{
	size_t i;
	json_t *e;

	json_array_foreach(errors, i, e) {
		if (strstr(json_string_value(e), text))
			return true;
	}
	return false;
}

TestSuite(pack, .init = setup, .fini = teardown);

Test(pack, builtin_has_the_seed_registers_and_requests)
{
	static const char *const regs[] = { "machine_room_inspection",
		                            "system_account",
		                            "database_backup",
		                            "visitor_work",
		                            "terminal_change",
		                            "repair_ticket",
		                            "violation",
		                            "fax_register",
		                            "print_log",
		                            "removable_media_log",
		                            "sealed_chassis_check",
		                            NULL };
	size_t i;

	for (i = 0; regs[i]; i++)
		cr_assert_not_null(pack_reg(pk, regs[i]), "%s", regs[i]);
	cr_assert_eq(pack_reqtype(pk, "account")->action, ACT_CREATE_ACCOUNT);
	cr_assert_eq(pack_reqtype(pk, "departure")->action, ACT_DEPARTURE);
	cr_assert_eq(pack_reqtype(pk, "account")->steps[1].when, COND_INCLUDES);
}

Test(pack, every_error_named_with_file_and_path)
{
	json_t *e = with_override(
	        "{\"forms\":[{\"id\":\"f1\",\"label\":{\"zh-CN\":\"表\"},\"fields\":["
	        "{\"id\":\"a\",\"type\":\"money\",\"label\":{\"zh-CN\":\"甲\",\"en\":\"A\"}}]}],"
	        "\"requests\":[{\"id\":\"r1\",\"form\":\"f1\",\"label\":{\"zh-CN\":\"乙\",\"en\":\"B\"},"
	        "\"steps\":[{\"id\":\"s\",\"approver\":\"role:finance_boss\","
	        "\"label\":{\"zh-CN\":\"丙\",\"en\":\"C\"}}]},"
	        "{\"id\":\"r1\",\"form\":\"nope\",\"label\":{\"zh-CN\":\"乙\",\"en\":\"B\"},\"steps\":[]}]}");
	char want[160];

	cr_assert_not_null(e);
	(void)snprintf(want, sizeof(want), "%s/policy/org.json: forms[0].label.en: missing", dir);
	cr_assert(has_error(e, want), "%s", json_dumps(e, 0));
	cr_assert(has_error(e, "forms[0].fields[0].type: unknown field type \"money\""));
	cr_assert(has_error(e, "requests[0].steps[0].approver: unknown role \"finance_boss\""));
	cr_assert(has_error(e, "requests[1]: duplicate id \"r1\" in this file"));
	json_decref(e);
}

Test(pack, override_replaces_and_removes)
{
	json_t *e = with_override("{\"requests\":[{\"id\":\"fax_sending\",\"remove\":true}]}");

	cr_assert_null(e);
	e = with_override("{\"requests\":[{\"id\":\"no_such\",\"remove\":true}]}");
	cr_assert(has_error(e, "removes \"no_such\""));
	json_decref(e);
	e = with_override("{\"registers\":[{\"id\":\"r\",\"form\":\"machine_room_inspection\","
	                  "\"label\":{\"zh-CN\":\"甲\",\"en\":\"A\"},\"owner_field\":\"notes\"}]}");
	cr_assert(has_error(e, "registers[0].owner_field: field \"notes\" must be of type user"));
	json_decref(e);
}

static int check(const char *form, const char *json, json_t **ret_flags, struct problem *p)
{
	json_t *data = json_loads(json, 0, NULL), *norm = NULL;
	int r;

	cr_assert_not_null(data, "%s", json);
	r = form_validate(st, &(struct actor){ .user_id = 1, .username = "test" },
	                  pack_form(pk, form), data, "data", &norm, ret_flags, p);
	json_decref(data);
	json_decref(norm);
	return r;
}

Test(pack, form_validation_names_the_field)
{
	struct problem p = { 0 };
	json_t *flags = NULL;

	cr_assert_eq(check("violation", "{\"penalty_yuan\": 600}", NULL, &p), -ERR_INVALID);
	cr_assert(p.field && strncmp(p.field, "data.", 5) == 0);
	cr_assert_eq(check("machine_room_inspection", "{\"nosuch\": 1}", NULL, &p), -ERR_INVALID);
	cr_assert_str_eq(p.field, "data.nosuch");
	cr_assert_eq(check("machine_room_inspection", "{\"inspected_at\": \"hot\"}", NULL, &p),
	             -ERR_INVALID);
	cr_assert_str_eq(p.field, "data.inspected_at");
	cr_assert_eq(check("machine_room_inspection", "{\"temperature\": 20}", NULL, &p),
	             -ERR_INVALID);
	cr_assert_str_eq(p.field, "data.inspected_at"); /* required, first in the form */
	cr_assert_str_eq(p.detail, "required");
	cr_assert_eq(check("account_form",
	                   "{\"username\": \"a\", \"display_name\": \"甲\", \"department\": 1, "
	                   "\"reason\": \"x\", \"systems\": [\"erp\", \"nope\"]}",
	                   NULL, &p),
	             -ERR_INVALID);
	cr_assert_str_eq(p.field, "data.systems[1]");
	cr_assert_eq(check("account_form",
	                   "{\"username\": \"a\", \"display_name\": \"甲\", \"department\": 1, "
	                   "\"reason\": \"x\", \"systems\": [\"erp\", \"erp\"]}",
	                   NULL, &p),
	             -ERR_INVALID);
	cr_assert_str_eq(p.field, "data.systems[1]");
	(void)flags;
}

Test(pack, cells_become_values)
{
	const struct form *f = pack_form(pk, "machine_room_inspection");
	struct problem p = { 0 };
	json_t *v = NULL;

	cr_assert_eq(form_cell_value(st, form_field(f, "inspected_at"), "2026-11-21 09:30", &v, &p),
	             0);
	cr_assert_str_eq(json_string_value(v), "2026-11-21T01:30:00Z");
	json_decref(v);
	cr_assert_eq(form_cell_value(st, form_field(f, "temperature"), " 21.5 ", &v, &p), 0);
	cr_assert_float_eq(json_real_value(v), 21.5, 1e-9);
	json_decref(v);
	cr_assert_eq(form_cell_value(st, form_field(f, "result"), "正常", &v, &p), 0);
	cr_assert_str_eq(json_string_value(v), "normal");
	json_decref(v);
	cr_assert_eq(form_cell_value(st, form_field(f, "result"), "也许", &v, &p), -ERR_INVALID);
	cr_assert_eq(form_cell_value(st, form_field(f, "temperature"), "很热", &v, &p),
	             -ERR_INVALID);
	cr_assert_eq(form_cell_value(st, form_field(f, "inspected_at"), "2026-02-30 09:00", &v, &p),
	             -ERR_INVALID);
	cr_assert_eq(form_cell_value(st, form_field(f, "notes"), "'=1+1", &v, &p), 0);
	cr_assert_str_eq(json_string_value(v), "=1+1"); /* an export's guard quote undone */
	json_decref(v);
	cr_assert_eq(form_cell_value(st, form_field(f, "notes"), "  ", &v, &p), 0);
	cr_assert_null(v);
}

Test(pack, refused_record_changes_nothing)
{
	const struct actor sys = { .user_id = 0, .username = "system", .source = "test" };
	const struct actor nobody = { .user_id = 7, .username = "x", .source = "test" };
	struct problem p = { 0 };
	json_t *bad = json_pack("{s:i}", "penalty_yuan", 10);
	int64_t before = 0, after = 0, id = 0;

	cr_assert_eq(audit_size(st, &before), 0);
	cr_assert_eq(record_create(st, pk, &sys, "violation", bad, 0, &id, &p), -ERR_INVALID);
	cr_assert_eq(record_create(st, pk, &nobody, "violation", bad, 0, &id, &p), -ERR_FORBIDDEN);
	cr_assert_eq(record_create(st, pk, &sys, "no_such_register", bad, 0, &id, &p),
	             -ERR_INVALID);
	cr_assert_str_eq(p.field, "type");
	cr_assert_eq(audit_size(st, &after), 0);
	cr_assert_eq(after, before);
	json_decref(bad);
}

/* A module's own section (pack_section_register): merged by id, checked by its module. */
static void check_thing(struct pack_check *c, json_t *item)
{
	static const char *const allowed[] = { "id", "label", "size", NULL };
	json_t *size = json_object_get(item, "size");

	pack_check_keys(c, item, allowed);
	pack_check_label(c, item, "label", true);
	if (!json_is_integer(size) || json_integer_value(size) < 1)
		pack_problem(c, "size", "must be a whole number of at least 1");
}

static const struct pack_section things = { "test_things", check_thing };

Test(pack, a_module_section_is_merged_and_checked_by_its_module)
{
	char sub[96], *file;
	struct pack *p = NULL;
	json_t *errors;
	const char *ok = "{\"test_things\":[{\"id\":\"a\",\"size\":2,\"label\":"
	                 "{\"zh-CN\":\"甲\",\"en\":\"A\"}}]}";

	cr_assert_eq(pack_section_register(&things), 0);
	cr_assert_eq(pack_section_register(&things), 0, "the same section twice is harmless");
	cr_assert_eq(pack_section_register(&(struct pack_section){ "forms", check_thing }), -1);
	errors = with_override("{\"test_things\":[{\"id\":\"a\",\"size\":0,\"label\":"
	                       "{\"zh-CN\":\"甲\",\"en\":\"A\"}},{\"id\":\"b\",\"colour\":1}]}");
	cr_assert(has_error(errors, "org.json: test_things[0].size: must be a whole number"));
	cr_assert(has_error(errors, "org.json: test_things[1].label: missing"));
	cr_assert(has_error(errors, "org.json: test_things[1].colour: unknown key"));
	json_decref(errors);
	(void)snprintf(sub, sizeof(sub), "%s/policy", dir);
	(void)fs_mkdir(sub, 0700);
	file = xasprintf("%s/org.json", sub);
	cr_assert_eq(fs_write_atomic(file, ok, strlen(ok), 0600), 0);
	cr_assert_eq(pack_load(sub, &p, &errors), 0);
	cr_assert_eq(json_array_size(pack_items(p, "test_things")), 1);
	cr_assert_str_eq(json_string_value(json_object_get(
	                         json_array_get(pack_items(p, "test_things"), 0), "id")),
	                 "a");
	pack_free(p);
	unlink(file);
	free(file);
}
