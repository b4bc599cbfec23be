/*
 * test_org.c: the organization verbs called directly (ASVS C2: checks live in the domain,
 * not only in routes): role separation, self-grant refusal, permission failures that change
 * nothing, and one audit leaf per committed change.
 */
#include <criterion/criterion.h>
#include <sodium.h>

#include "core/common.h"
#include "core/actor.h"
#include "audit/audit.h"
#include "fixture.h"
#include "org/org.h"
#include "store/store.h"

static struct store *st;

static void setup(void)
{
	fixture_setup("org");
	st = fx.st;
}

static int64_t make_user(const char *name, unsigned roles)
{
	return fixture_user(name, roles).user_id;
}

/* A new account holding role, as the actor of a verb. */
static struct actor acting(const char *name, unsigned role)
{
	return fixture_user(name, role);
}

static unsigned roles_of(int64_t id)
{
	struct user u = { 0 };
	unsigned r;

	cr_assert_eq(org_user_load(st, id, &u), 0);
	r = u.roles;
	user_release(&u);
	return r;
}

static int64_t audit_entries(void)
{
	int64_t n = 0;

	cr_assert_eq(audit_size(st, &n), 0);
	return n;
}

TestSuite(org, .init = setup, .fini = fixture_teardown);

Test(org, C2_role_grant_needs_security_admin_in_the_domain)
{
	int64_t target = make_user("zhangsan", 0);
	struct actor sys = acting("sys1", ROLE_SYS_ADMIN);
	struct actor aud = acting("aud1", ROLE_AUDIT_ADMIN);
	struct problem p = { 0 };
	int64_t before = audit_entries();

	cr_assert_eq(org_user_set_roles(st, &sys, target, ROLE_IT_STAFF, &p), -ERR_FORBIDDEN);
	cr_assert_eq(org_user_set_roles(st, &aud, target, ROLE_IT_STAFF, &p), -ERR_FORBIDDEN);
	cr_assert_eq(roles_of(target), 0u, "a refused grant changes nothing");
	cr_assert_eq(audit_entries(), before, "a refused verb writes no audit leaf");
}

Test(org, C2_account_changes_need_sys_admin_in_the_domain)
{
	int64_t target = make_user("lisi", 0);
	struct actor sec = acting("sec1", ROLE_SECURITY_ADMIN);
	struct user_input in = { .username = "wangwu", .display_name = "王五" };
	struct problem p = { 0 };
	char *pw = NULL;
	int64_t id = 0;

	cr_assert_eq(org_user_create(st, &sec, &in, 0, &id, &pw, &p), -ERR_FORBIDDEN);
	cr_assert_null(pw);
	cr_assert_eq(org_user_set_disabled(st, &sec, target, true, &p), -ERR_FORBIDDEN);
	cr_assert_eq(org_user_load_by_name(st, "wangwu", &(struct user){ 0 }), -ERR_NOT_FOUND);
}

Test(org, C5_security_admin_cannot_grant_itself)
{
	int64_t me = make_user("sec2", ROLE_SECURITY_ADMIN);
	struct actor sec = {
		.user_id = me, .username = "sec2", .source = "test", .roles = ROLE_SECURITY_ADMIN
	};
	struct problem p = { 0 };

	cr_assert_eq(org_user_set_roles(st, &sec, me, ROLE_SECURITY_ADMIN | ROLE_IT_STAFF, &p),
	             -ERR_FORBIDDEN);
	cr_assert_eq(roles_of(me), (unsigned)ROLE_SECURITY_ADMIN);
}

Test(org, C5_two_admin_roles_refused_by_domain_and_database)
{
	static const char SQL_GRANT[] =
	        "INSERT INTO user_roles (user_id, role, granted_at) VALUES (?1, 'audit_admin', 0)";
	int64_t target = make_user("zhaoliu", ROLE_SYS_ADMIN);
	struct actor sec = acting("sec3", ROLE_SECURITY_ADMIN);
	struct problem p = { 0 };
	struct stmt *s;

	cr_assert_eq(org_user_set_roles(st, &sec, target, ROLE_SYS_ADMIN | ROLE_AUDIT_ADMIN, &p),
	             -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "admin_separation");
	cr_assert_eq(roles_of(target), (unsigned)ROLE_SYS_ADMIN);
	/* Below the application: the trigger refuses a second administrator role. */
	s = store_stmt(st, SQL_GRANT);
	store_bind_int(s, 1, target);
	cr_assert_eq(store_exec_stmt(st, s), -ERR_CONFLICT);
	cr_assert_eq(roles_of(target), (unsigned)ROLE_SYS_ADMIN);
}

/* Property: for random grant sequences by a security administrator, no account ever holds
 * two of the three administrator roles, and every accepted grant is one audit leaf. */
Test(org, C5_property_no_account_holds_two_admin_roles)
{
	struct actor sec = acting("sec4", ROLE_SECURITY_ADMIN);
	int64_t ids[6];
	char name[16];
	int i;

	for (i = 0; i < 6; i++) {
		(void)snprintf(name, sizeof(name), "user%d", i);
		ids[i] = make_user(name, 0);
	}
	for (i = 0; i < 300; i++) {
		int64_t who = ids[randombytes_uniform(6)];
		unsigned roles = randombytes_uniform(1u << 8);
		struct problem p = { 0 };
		int64_t before = audit_entries();
		int r = org_user_set_roles(st, &sec, who, roles, &p);
		unsigned admin;
		int k;

		if (r == 0) {
			cr_assert_eq(roles_of(who), roles);
			cr_assert_eq(audit_entries(), before + 1);
		} else {
			cr_assert_eq(r, -ERR_CONFLICT);
			cr_assert_eq(audit_entries(), before);
		}
		for (k = 0; k < 6; k++) {
			admin = roles_of(ids[k]) & ROLE_ADMIN_MASK;
			cr_assert_eq(admin & (admin - 1), 0u, "account %d holds two admin roles",
			             k);
		}
	}
}

Test(org, stale_version_is_a_conflict_and_changes_nothing)
{
	struct actor sys = acting("sys5", ROLE_SYS_ADMIN);
	int64_t target = make_user("qianqi", 0);
	struct problem p = { 0 };
	json_t *change = json_pack("{s:s, s:I}", "display_name", "钱七", "version", (json_int_t)99);
	struct user u = { 0 };

	cr_assert_eq(org_user_update(st, &sys, target, change, &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "stale_version");
	cr_assert_eq(org_user_load(st, target, &u), 0);
	cr_assert_str_eq(u.display_name, "qianqi");
	json_object_set_new(change, "version", json_integer(u.version));
	cr_assert_eq(org_user_update(st, &sys, target, change, &p), 0);
	user_release(&u);
	cr_assert_eq(org_user_load(st, target, &u), 0);
	cr_assert_str_eq(u.display_name, "钱七");
	user_release(&u);
	json_decref(change);
}

Test(org, usernames_are_checked)
{
	cr_assert(org_username_valid("zhang.san"));
	cr_assert(org_username_valid("u2"));
	cr_assert_not(org_username_valid("a"));
	cr_assert_not(org_username_valid("Zhang"));
	cr_assert_not(org_username_valid("-x"));
	cr_assert_not(org_username_valid("张三"));
	cr_assert_not(org_username_valid("a b"));
}

/* The three-administrator rule (org_separation_check) as a table: what an account holds or
 * is about to do, and the answer. */
struct separation_case {
	unsigned roles;
	bool head, step;
	unsigned step_role;
	const char *code; /* NULL: allowed */
};

static const struct separation_case separation_cases[] = {
	/* ordinary accounts: anything */
	{ 0, false, false, 0, NULL },
	{ ROLE_IT_STAFF | ROLE_FINANCE_HEAD, true, false, 0, NULL },
	{ ROLE_GENERAL_MANAGER, true, true, 0, NULL },
	{ ROLE_IT_STAFF, false, true, ROLE_IT_STAFF, NULL },
	/* an administrator alone, acting on its own role's step */
	{ ROLE_SYS_ADMIN, false, false, 0, NULL },
	{ ROLE_SECURITY_ADMIN, false, true, ROLE_SECURITY_ADMIN, NULL },
	{ ROLE_AUDIT_ADMIN, false, false, 0, NULL },
	/* two administrator roles */
	{ ROLE_SYS_ADMIN | ROLE_AUDIT_ADMIN, false, false, 0, "admin_separation" },
	{ ROLE_SECURITY_ADMIN | ROLE_AUDIT_ADMIN, false, false, 0, "admin_separation" },
	{ ROLE_ADMIN_MASK, false, false, 0, "admin_separation" },
	/* an administrator role and a business role */
	{ ROLE_AUDIT_ADMIN | ROLE_IT_STAFF, false, false, 0, "admin_exclusive" },
	{ ROLE_SYS_ADMIN | ROLE_GENERAL_MANAGER, false, false, 0, "admin_exclusive" },
	{ ROLE_SECURITY_ADMIN | ROLE_ASSESSOR, false, false, 0, "admin_exclusive" },
	/* an administrator heading a department */
	{ ROLE_SYS_ADMIN, true, false, 0, "admin_exclusive" },
	/* an administrator on a business step: a department head's, a named person's, another
	 * role's (an administrator's steps are only its own role's) */
	{ ROLE_SYS_ADMIN, false, true, 0, "admin_exclusive" },
	{ ROLE_SYS_ADMIN, false, true, ROLE_IT_STAFF, "admin_exclusive" },
	{ ROLE_AUDIT_ADMIN, false, true, ROLE_SECURITY_ADMIN, "admin_exclusive" },
};

Test(org, C5_separation_rule_table)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(separation_cases); i++) {
		const struct separation_case *c = &separation_cases[i];
		struct problem p = { 0 };
		int r = org_separation_check(&(struct duties){ .roles = c->roles,
		                                               .heads_department = c->head,
		                                               .step = c->step,
		                                               .step_role = c->step_role },
		                             &p);

		if (!c->code) {
			cr_assert_eq(r, 0, "case %zu refused: %s", i, p.detail);
		} else {
			cr_assert_eq(r, -ERR_CONFLICT, "case %zu allowed", i);
			cr_assert_str_eq(p.code, c->code, "case %zu", i);
			cr_assert(p.detail[0], "case %zu says why", i);
		}
	}
}

Test(org, C5_effective_roles_of_an_account_that_broke_the_rule)
{
	struct user u = { .roles = ROLE_AUDIT_ADMIN | ROLE_IT_STAFF };

	cr_assert_eq(org_effective_roles(&u), (unsigned)ROLE_AUDIT_ADMIN);
	u.roles = ROLE_IT_STAFF | ROLE_LEADER;
	cr_assert_eq(org_effective_roles(&u), (unsigned)(ROLE_IT_STAFF | ROLE_LEADER));
	u.roles = ROLE_SYS_ADMIN | ROLE_AUDIT_ADMIN;
	cr_assert_eq(org_effective_roles(&u), 0u);
}

Test(org, C5_administrator_gains_no_business_role_nor_a_department)
{
	struct actor sec = acting("sec6", ROLE_SECURITY_ADMIN);
	struct actor sys = acting("sys6", ROLE_SYS_ADMIN);
	int64_t aud = make_user("aud6", ROLE_AUDIT_ADMIN), dept = 0, before;
	struct problem p = { 0 };
	json_t *in =
	        json_pack("{s:s, s:I}", "name", "信息科", "head_user_id", (json_int_t)sys.user_id);

	before = audit_entries();
	cr_assert_eq(org_user_set_roles(st, &sec, aud, ROLE_AUDIT_ADMIN | ROLE_IT_STAFF, &p),
	             -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "admin_exclusive");
	cr_assert_eq(roles_of(aud), (unsigned)ROLE_AUDIT_ADMIN);
	/* The system administrator cannot make itself (or any administrator) a head. */
	cr_assert_eq(org_department_create(st, &sys, in, &dept, &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "admin_exclusive");
	cr_assert_str_eq(p.field, "head_user_id");
	cr_assert_eq(audit_entries(), before, "refusals write nothing");
	/* A department head cannot then be given an administrator role. */
	json_object_set_new(in, "head_user_id", json_integer(make_user("head6", 0)));
	cr_assert_eq(org_department_create(st, &sys, in, &dept, &p), 0, "%s", p.detail);
	json_decref(in);
}

Test(org, C5_report_names_accounts_that_broke_the_rule)
{
	static const char SQL_GRANT[] =
	        "INSERT INTO user_roles (user_id, role, granted_at) VALUES (?1, 'it_staff', 0)";
	int64_t ok = make_user("aud7", ROLE_AUDIT_ADMIN),
	        mixed = make_user("aud8", ROLE_AUDIT_ADMIN);
	json_t *items = NULL;
	struct stmt *s;

	(void)ok;
	cr_assert_eq(org_separation_report(st, &items), 0);
	cr_assert_eq(json_array_size(items), 0);
	json_decref(items);
	/* A mix stored before the rule (written below the application). */
	s = store_stmt(st, SQL_GRANT);
	store_bind_int(s, 1, mixed);
	cr_assert_eq(store_exec_stmt(st, s), 0);
	cr_assert_eq(org_separation_report(st, &items), 0);
	cr_assert_eq(json_array_size(items), 1);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 0), "user_id")),
	             mixed);
	json_decref(items);
}
