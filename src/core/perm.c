/*
 * perm.c: the permission registry and the check every verb asks (perm.h).
 */
#include "core/common.h"
#include "core/actor.h"
#include "core/perm.h"

static const struct permission *table[PERM_MAX];
static const char *owner[PERM_MAX];
static size_t count;
static struct perm_grants grants;
static unsigned generation; /* perm_grants_set calls */

static const char *const class_names[] = {
	[PERM_COMMON] = "common",       [PERM_BUSINESS] = "business",
	[PERM_SYSTEM] = "system",       [PERM_SECURITY] = "security",
	[PERM_AUDIT] = "audit",         [PERM_OPERATIONS] = "operations",
	[PERM_OVERSIGHT] = "oversight",
};

int perm_register(const char *module, const struct permission *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (perm_index(p[i].name) >= 0 || count >= PERM_MAX)
			return -1;
		owner[count] = module;
		table[count++] = &p[i];
	}
	return 0;
}

const char *perm_module(size_t i)
{
	return i < count ? owner[i] : NULL;
}

size_t perm_count(void)
{
	return count;
}

const struct permission *perm_at(size_t i)
{
	return i < count ? table[i] : NULL;
}

int perm_index(const char *name)
{
	size_t i;

	/* A route names a permission with the same string literal its module declares, which
	 * the linker keeps once: the pointers match before any strcmp is needed. */
	for (i = 0; name && i < count; i++)
		if (table[i]->name == name)
			return (int)i;
	for (i = 0; name && i < count; i++)
		if (STREQ(table[i]->name, name))
			return (int)i;
	return -1;
}

const char *perm_class_name(enum perm_class c)
{
	return (unsigned)c < ARRAY_SIZE(class_names) ? class_names[c] : "?";
}

bool perm_class_admin(enum perm_class c)
{
	return c == PERM_SYSTEM || c == PERM_SECURITY || c == PERM_AUDIT;
}

void perm_grants_set(const struct perm_grants *g)
{
	grants = *g;
	generation++;
}

unsigned perm_grants_generation(void)
{
	return generation;
}

static void set_or(struct perm_set *d, const struct perm_set *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(d->w); i++)
		d->w[i] |= s->w[i];
}

static bool holds_admin(const struct perm_set *all, const struct perm_set *own)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (perm_class_admin(table[i]->cls) &&
		    (perm_set_has(all, (int)i) || perm_set_has(own, (int)i)))
			return true;
	return false;
}

static void roles_effective(unsigned roles, struct perm_set *all, struct perm_set *own)
{
	struct perm_set ra = { { 0 } }, ro = { { 0 } };
	unsigned b;
	size_t i;

	for (b = 0; b < ROLE_MAX; b++)
		if (roles & (1u << b)) {
			set_or(&ra, &grants.all[b]);
			set_or(&ro, &grants.own[b]);
		}
	*all = grants.everyone_all;
	*own = grants.everyone_own;
	/* An administrator account holds its role's permissions and everyone's common ones:
	 * no business permission (三员分立, docs/security.md). */
	if (holds_admin(&ra, &ro))
		for (i = 0; i < count; i++)
			if (table[i]->cls == PERM_BUSINESS) {
				all->w[i / 64] &= ~(UINT64_C(1) << (i % 64));
				own->w[i / 64] &= ~(UINT64_C(1) << (i % 64));
			}
	set_or(all, &ra);
	set_or(own, &ro);
}

void perm_effective(const struct actor *a, struct perm_set *all, struct perm_set *own)
{
	/* The last role set asked, per thread: a request asks for the same one again and again. */
	static __thread struct {
		unsigned roles, generation;
		bool known;
		struct perm_set all, own;
	} last;

	if (!last.known || last.roles != a->roles || last.generation != generation) {
		roles_effective(a->roles, &last.all, &last.own);
		last.roles = a->roles;
		last.generation = generation;
		last.known = true;
	}
	*all = last.all;
	*own = last.own;
}

bool perm_roles_admin(unsigned roles)
{
	struct perm_set ra = { { 0 } }, ro = { { 0 } };
	unsigned b;

	for (b = 0; b < ROLE_MAX; b++)
		if (roles & (1u << b)) {
			set_or(&ra, &grants.all[b]);
			set_or(&ro, &grants.own[b]);
		}
	return holds_admin(&ra, &ro);
}

bool perm_check(const struct actor *a, const char *perm, int64_t department_id)
{
	struct perm_set all, own;
	int i = perm_index(perm);

	if (i < 0)
		return false;
	perm_effective(a, &all, &own);
	if (perm_set_has(&all, i))
		return true;
	return perm_set_has(&own, i) &&
	       (department_id == 0 || (a->department_id != 0 && department_id == a->department_id));
}
