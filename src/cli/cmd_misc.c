/*
 * cmd_misc.c: isms version, isms routes, and the local operator's actor.
 */
#include "core/common.h"
#include "core/actor.h"
#include "cli/cli.h"
#include "http/http.h"

#include <pwd.h>
#include <unistd.h>

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("isms %s\n", ISMS_VERSION);
	return 0;
}

int cmd_routes(int argc, char **argv)
{
	size_t i;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: isms routes\n");
		return 2;
	}
	for (i = 0; i < routes_count; i++)
		printf("%s %s\n", routes[i].method, routes[i].pattern);
	return 0;
}

void cli_actor(struct actor *a)
{
	static char name[80];
	struct passwd pw, *res = NULL;
	char tmp[1024];

	if (getpwuid_r(getuid(), &pw, tmp, sizeof(tmp), &res) != 0 || !res)
		(void)snprintf(name, sizeof(name), "cli:uid%ld", (long)getuid());
	else
		(void)snprintf(name, sizeof(name), "cli:%s", res->pw_name);
	a->user_id = 0;
	a->username = name;
	a->source = "cli";
	a->roles = 0;
}
