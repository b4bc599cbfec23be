/*
 * cmd_misc.c: isms version, isms routes, and the local operator's actor.
 */
#include "core/common.h"
#include "core/actor.h"
#include "cli/cli.h"
#include "app/module.h"
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
	size_t m, i;

	bool perms = argc == 2 && STREQ(argv[1], "--permissions");

	if (argc > 1 && !perms) {
		fprintf(stderr, "usage: isms routes [--permissions]\n"
		                "  --permissions  each route's permission and module too\n");
		return 2;
	}
	for (m = 0; modules[m]; m++)
		for (i = 0; i < modules[m]->nroutes; i++) {
			const struct route *rt = &modules[m]->routes[i];

			if (perms)
				printf("%s %s %s %s\n", rt->method, rt->pattern,
				       rt->perm ? rt->perm : "public", modules[m]->name);
			else
				printf("%s %s\n", rt->method, rt->pattern);
		}
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
