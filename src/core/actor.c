/*
 * actor.c: the role name table.
 */
#include "core/common.h"
#include "core/actor.h"

#define ROLE_BITS 32

const char *role_names[ROLE_BITS + 1] = {
	"sys_admin",       "security_admin", "audit_admin", "it_staff", "leader",
	"general_manager", "finance_head",   "assessor",    NULL,
};
static char defined[ROLE_BITS][49];

unsigned role_define(const char *name)
{
	size_t n = strlen(name), i;
	unsigned b = role_from_name(name);

	if (b)
		return b;
	if (n == 0 || n > 48 || !(name[0] >= 'a' && name[0] <= 'z'))
		return 0;
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '_'))
			return 0;
	for (i = 0; i < ROLE_BITS; i++)
		if (!role_names[i]) {
			memcpy(defined[i], name, n + 1);
			role_names[i] = defined[i];
			role_names[i + 1] = NULL;
			return 1u << i;
		}
	return 0;
}

unsigned role_from_name(const char *name)
{
	unsigned i;

	for (i = 0; role_names[i]; i++)
		if (STREQ(role_names[i], name))
			return 1u << i;
	return 0;
}

const char *role_name(unsigned bit)
{
	unsigned i;

	for (i = 0; role_names[i]; i++)
		if (bit == 1u << i)
			return role_names[i];
	return NULL;
}
