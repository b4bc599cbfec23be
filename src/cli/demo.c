/*
 * demo.c: isms init --demo — a small living hospital to click through: departments with
 * heads, staff in the roles the regulations name, and work under way (a complaint and a
 * document loan past their deadlines, an account application waiting for its department
 * head, today's machine-room inspection), all made through the same domain verbs as the API,
 * so every step is in the audit trail. The clock tick then runs once, opening the day's tasks
 * and sending the first escalations.
 */
#include "core/common.h"

#include "app/app.h"
#include "app/module.h"
#include "core/demo.h"
#include "cli/cli.h"
#include "core/actor.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "org/org.h"

#include <sodium.h>

static const char *const departments[] = { "信息中心", "医保办", "财务科", "客服中心",
	                                   "综合办公室" };

static const struct demo_person {
	const char *username, *display_name, *department, *role, *email;
	bool head;
} people[] = {
	{ "zhangwei", "张伟", "信息中心", "it_staff", "zhangwei@demo.isms", true },
	{ "lina", "李娜", "信息中心", "it_staff", "lina@demo.isms", false },
	{ "wangfang", "王芳", "医保办", NULL, "wangfang@demo.isms", true },
	{ "liuyang", "刘洋", "医保办", NULL, "liuyang@demo.isms", false },
	{ "chenjing", "陈静", "财务科", "finance_head", "chenjing@demo.isms", true },
	{ "zhaolei", "赵磊", "客服中心", NULL, "zhaolei@demo.isms", true },
	{ "sunli", "孙丽", "客服中心", NULL, "sunli@demo.isms", false },
	{ "zhouqiang", "周强", "综合办公室", "general_manager", "zhouqiang@demo.isms", true },
	{ "wujun", "吴军", NULL, "assessor", NULL, false },
};

struct demo {
	struct store *st;
	const struct pack *pk;
	const struct actor *op;
	struct problem p;
	int64_t dept[ARRAY_SIZE(departments)];
	int64_t uid[ARRAY_SIZE(people)];
};

static int64_t dept_of(const struct demo *d, const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(departments); i++)
		if (strcmp(departments[i], name) == 0)
			return d->dept[i];
	return 0;
}

static size_t person_index(const char *username)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(people); i++)
		if (strcmp(people[i].username, username) == 0)
			break;
	return i;
}

/* The actor of a demo person, as if they had logged in. */
static struct actor as(const struct demo *d, const char *username)
{
	size_t i = person_index(username);

	return (struct actor){ .user_id = d->uid[i],
		               .username = people[i].username,
		               .source = "demo",
		               .roles = people[i].role ? role_from_name(people[i].role) : 0 };
}

static int people_and_departments(struct demo *d, struct buf *out, bool file_format)
{
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < ARRAY_SIZE(departments); i++) {
		json_t *in = json_pack("{s:s}", "name", departments[i]);

		r = org_department_create(d->st, d->op, in, &d->dept[i], &d->p);
		json_decref(in);
	}
	for (i = 0; r == 0 && i < ARRAY_SIZE(people); i++) {
		const struct demo_person *m = &people[i];
		struct user_input in = { .username = m->username,
			                 .display_name = m->display_name,
			                 .department_id = dept_of(d, m->department),
			                 .email = m->email };
		char *pw = NULL;

		r = org_user_create(d->st, d->op, &in, m->role ? role_from_name(m->role) : 0,
		                    &d->uid[i], &pw, &d->p);
		if (r < 0)
			break;
		if (file_format)
			(void)buf_addf(out, "%s %s\n", m->username, pw);
		else
			(void)buf_addf(out, "  %-11s %s   %s%s%s\n", m->username, pw,
			               m->display_name, m->department ? " · " : "",
			               m->department ? m->department : "");
		sodium_memzero(pw, strlen(pw));
		free(pw);
		if (m->head) {
			json_t *ch = json_pack("{s:I, s:I}", "version", (json_int_t)1,
			                       "head_user_id", (json_int_t)d->uid[i]);

			r = org_department_update(d->st, d->op, dept_of(d, m->department), ch,
			                          &d->p);
			json_decref(ch);
		}
	}
	return r;
}

static struct actor demo_as(const struct demo_org *o, const char *username)
{
	const struct demo *d = o->ctx;
	size_t i = person_index(username);

	return i < ARRAY_SIZE(people) ? as(d, username) : (struct actor){ .user_id = 0 };
}

static int64_t demo_department(const struct demo_org *o, const char *name)
{
	return dept_of(o->ctx, name);
}

int demo_seed(struct app *a, const struct actor *op, struct buf *out, bool file_format)
{
	struct demo d = { .st = app_store(a), .pk = a->pack, .op = op };
	json_t *report = NULL;
	int r = people_and_departments(&d, out, file_format);

	/* Each module's work under way (app/module.h: demo), through its own verbs. */
	{
		struct demo_org o = { .st = d.st,
			              .pk = a->pack,
			              .op = op,
			              .now = clock_now(),
			              .p = &d.p,
			              .as = demo_as,
			              .department = demo_department,
			              .ctx = &d };
		size_t m;

		for (m = 0; r == 0 && modules[m]; m++)
			if (modules[m]->demo)
				r = modules[m]->demo(&o);
	}
	/* The first tick sets where the duty schedules begin and escalates what is late. */
	if (r == 0)
		r = modules_tick(a, clock_now(), &report);
	if (r < 0)
		fprintf(stderr, "isms: the demo data could not be made: %s%s%s\n",
		        d.p.code ? d.p.code : "error", d.p.detail[0] ? ": " : "", d.p.detail);
	json_decref(report);
	return r;
}
