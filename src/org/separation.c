/*
 * separation.c: the three-administrator rule (三员分立, GB/T 22239 8.1.4.x and 8.1.7.2
 * "配备专职安全管理员，不可兼任"), in one function that every path asks before it changes
 * what an account holds or does: granting roles, creating an account with roles, naming a
 * department head, and resolving who approves or executes a step of a request.
 *
 * An administrator role is one that holds an administrator's permission (core/perm.h: the
 * system, security or audit class; policy/roles.json says which role holds what, and the pack
 * check refuses a role with two administrators' permissions).
 *
 * The rule: an account that holds an administrator role (system, security, audit) holds
 * exactly that one role and nothing else, heads no department and approves or executes no
 * business step; the only steps it takes are those that name its own administrator role
 * (e.g. the security administrator granting the roles of an approved permission change).
 *
 * Accounts that broke the rule before it existed keep their rows (nothing is deleted behind
 * anyone's back) but act with their administrator role alone (org_effective_roles), and
 * are listed by org_separation_report for `isms policy check`, the server's start and the
 * account review.
 */
#include "core/common.h"
#include "core/actor.h"
#include "core/perm.h"
#include "org/org_int.h"

static bool several(unsigned bits)
{
	return (bits & (bits - 1)) != 0;
}

/* The administrator roles among roles: those holding an administrator's permission. */
static unsigned admin_roles(unsigned roles)
{
	unsigned b, admin = 0;

	for (b = 0; b < 32; b++)
		if ((roles & (1u << b)) && perm_roles_admin(1u << b))
			admin |= 1u << b;
	return admin;
}

int org_separation_check(const struct duties *d, struct problem *p)
{
	unsigned admin = admin_roles(d->roles);

	if (several(admin))
		return problem_setf(p, ERR_CONFLICT, "admin_separation", "roles",
		                    "the system, security and audit administrator roles are held "
		                    "by three different accounts");
	if (!admin)
		return 0;
	if (d->roles & ~admin)
		return problem_setf(p, ERR_CONFLICT, "admin_exclusive", "roles",
		                    "an administrator account holds its one administrator role "
		                    "and no other role");
	if (d->heads_department)
		return problem_setf(p, ERR_CONFLICT, "admin_exclusive", "head_user_id",
		                    "an administrator account cannot head a department");
	if (d->step && d->step_role != admin)
		return problem_setf(p, ERR_CONFLICT, "admin_exclusive", NULL,
		                    "an administrator account approves or executes only the "
		                    "steps of its own administrator role");
	return 0;
}

unsigned org_effective_roles(const struct user *u)
{
	unsigned admin = admin_roles(u->roles);

	if (!admin)
		return u->roles;
	/* Two administrator roles cannot be stored (a trigger refuses them); should they be,
	 * the account acts with neither. */
	return several(admin) ? 0 : admin;
}

bool org_user_breaks_separation(const struct user *u)
{
	return org_separation_check(&(struct duties){ .roles = u->roles,
	                                              .heads_department = u->heads_department },
	                            NULL) < 0;
}

int org_separation_report(struct store *st, json_t **ret_items)
{
	struct user u = { 0 };
	json_t *items = json_array();
	int64_t after = 0;
	int r;

	/* Only accounts with an administrator role can break the rule. */
	for (;;) {
		r = org_store_next_admin(st, after, &u);
		if (r <= 0)
			break;
		after = u.id;
		if (org_user_breaks_separation(&u)) {
			struct problem p = { 0 };
			json_t *roles = json_array();
			unsigned i;

			(void)org_separation_check(
			        &(struct duties){ .roles = u.roles,
			                          .heads_department = u.heads_department },
			        &p);
			for (i = 0; role_names[i]; i++)
				if (u.roles & (1u << i))
					json_array_append_new(roles, json_string(role_names[i]));
			json_array_append_new(items,
			                      json_pack("{s:I, s:s, s:o, s:b, s:s}", "user_id",
			                                (json_int_t)u.id, "username", u.username,
			                                "roles", roles, "heads_department",
			                                u.heads_department, "problem", p.detail));
		}
		user_release(&u);
	}
	user_release(&u);
	if (r < 0) {
		json_decref(items);
		return r;
	}
	*ret_items = items;
	return 0;
}
