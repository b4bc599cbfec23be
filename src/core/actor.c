/*
 * actor.c: the role name table.
 */
#include "core/common.h"
#include "core/actor.h"

const char *const role_names[] = {
	"sys_admin",       "security_admin", "audit_admin", "it_staff", "leader",
	"general_manager", "finance_head",   "assessor",    NULL,
};

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
