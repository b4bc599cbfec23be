/*
 * demo.c: the requests' part of init --demo (core/demo.h): an account application by 刘洋,
 * waiting for the department head (王芳).
 */
#include "core/common.h"

#include "core/demo.h"
#include "workflow/workflow.h"

int workflow_demo(const struct demo_org *d)
{
	struct actor liuyang = d->as(d, "liuyang");
	json_t *data = json_pack("{s:s, s:{s:s, s:s, s:I, s:[s, s], s:s}}", "type", "account",
	                         "data", "username", "xuming", "display_name", "许明", "department",
	                         (json_int_t)d->department(d, "医保办"), "systems",
	                         "medical_insurance", "oa", "reason", "新入职医保结算岗");
	int64_t id;
	int r = request_file(d->st, d->pk, &liuyang, data, &id, d->p);

	json_decref(data);
	return r;
}
