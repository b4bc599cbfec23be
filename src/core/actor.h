/*
 * actor.h: who is acting, as every domain verb needs it for permission checks and the
 * audit trail. Built by the HTTP dispatcher from the session or API token, and by the CLI
 * for local operator commands.
 */
#ifndef ISMS_CORE_ACTOR_H
#define ISMS_CORE_ACTOR_H

#include <stdint.h>

/* The built-in roles (rows of table roles). */
enum role_bit {
	ROLE_SYS_ADMIN = 1u << 0,
	ROLE_SECURITY_ADMIN = 1u << 1,
	ROLE_AUDIT_ADMIN = 1u << 2,
	ROLE_IT_STAFF = 1u << 3,
	ROLE_LEADER = 1u << 4,
	ROLE_GENERAL_MANAGER = 1u << 5,
	ROLE_FINANCE_HEAD = 1u << 6,
	ROLE_ASSESSOR = 1u << 7,
};
#define ROLE_ADMIN_MASK (ROLE_SYS_ADMIN | ROLE_SECURITY_ADMIN | ROLE_AUDIT_ADMIN)

struct actor {
	int64_t user_id;       /* 0 for the system itself or a local CLI operator */
	const char *username;  /* "system" or "cli:<unix user>" when user_id is 0 */
	const char *source;    /* client address, or "cli" */
	unsigned roles;        /* role bits: the built-in ROLE_*, then the pack's own roles */
	int64_t department_id; /* the actor's department, for department-scoped grants (0 none) */
	int64_t request_id;    /* the approved request this act executes (0 = none) */
};

/* Role name <-> bit; 0 / NULL when unknown. */
unsigned role_from_name(const char *name);
const char *role_name(unsigned bit);
/* The role names in bit order, NULL-terminated: the eight built-in roles, then the roles the
 * policy pack adds (role_define, when the pack loads). */
extern const char *role_names[];
/* The bit of a role the pack defines (the same bit for the same name on every call);
 * 0 when the 32 bits are taken or the name is not 1-48 of a-z, 0-9 and _. */
unsigned role_define(const char *name);

#endif
