/*
 * perm.h: named permissions (DESIGN "Permissions"). Each module declares the permissions it
 * owns (struct module.perms, registered once at start by modules_init); the policy pack's
 * roles ("roles" in policy/roles.json) say which permissions each role holds and in which
 * scope; an account holds the permissions of "everyone" and of its roles.
 *
 * The three-administrator rule (三员分立) is stated on the permissions: each permission has
 * a class, a role may hold the permissions of one administrator class at most, and an account
 * holding any administrator permission holds no business permission (not even everyone's).
 */
#ifndef ISMS_CORE_PERM_H
#define ISMS_CORE_PERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct actor;

enum perm_class {
	PERM_COMMON,   /* everybody's own things: profile, notifications, the directory */
	PERM_BUSINESS, /* the organization's work: registers, requests, approvals */
	PERM_SYSTEM,   /* 系统管理员: accounts, departments, calendar, own backups */
	PERM_SECURITY, /* 安全管理员: grants, policy, 2FA resets, channels, the vault's keys */
	PERM_AUDIT,    /* 审计管理员: the audit trail and its proofs */
	PERM_OPERATIONS, /* IT operations: backup runs, vault entries (IT staff, administrators) */
	PERM_OVERSIGHT   /* reading evidence: assessors, leadership (neither admin nor business) */
};

struct permission {
	const char *name; /* "vault.reveal": module.verb */
	enum perm_class cls;
	const char *zh, *en; /* what it lets one do */
};

/* Where a role holds a permission. */
enum perm_scope {
	SCOPE_NONE,
	SCOPE_OWN_DEPARTMENT, /* the records and people of the holder's department */
	SCOPE_ALL,
};

#define PERM_MAX 128
#define ROLE_MAX 32

struct perm_set {
	uint64_t w[PERM_MAX / 64];
};

/* Registers a module's permissions (at start, before any thread): -1 when a name is taken
 * or the table is full. */
int perm_register(const char *module, const struct permission *p, size_t n);
size_t perm_count(void);
const struct permission *perm_at(size_t i);
/* The module that declared the i-th permission. */
const char *perm_module(size_t i);
/* The index of a registered permission, or -1. */
int perm_index(const char *name);
const char *perm_class_name(enum perm_class c);
bool perm_class_admin(enum perm_class c);

static inline void perm_set_add(struct perm_set *s, int i)
{
	s->w[i / 64] |= UINT64_C(1) << (i % 64);
}
static inline bool perm_set_has(const struct perm_set *s, int i)
{
	return i >= 0 && (s->w[i / 64] >> (i % 64)) & 1;
}

/* The grants of the loaded pack: what each role bit holds in each scope, and everyone's.
 * Set when the pack loads (pack.c), read by perm_check. */
struct perm_grants {
	struct perm_set all[ROLE_MAX], own[ROLE_MAX];
	struct perm_set everyone_all, everyone_own;
};
void perm_grants_set(const struct perm_grants *g);
/* Counts the perm_grants_set calls: what was derived from older grants is stale. */
unsigned perm_grants_generation(void);

/* The permissions an actor holds (all: anywhere; own: in its department only). */
void perm_effective(const struct actor *a, struct perm_set *all, struct perm_set *own);
/* May a do perm? department_id 0: not about one department (a scoped grant suffices);
 * otherwise the department the thing belongs to. */
bool perm_check(const struct actor *a, const char *perm, int64_t department_id);
/* Does this role set hold an administrator permission? (the account is an administrator) */
bool perm_roles_admin(unsigned roles);

#endif
