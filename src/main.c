/*
 * main.c: CLI dispatch only (git's commands[] table, then the modules' subcommands).
 */
#include "core/common.h"
#include "app/module.h"
#include "cli/cli.h"

#include <sys/stat.h>

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "init", cmd_init, "create a data folder and the three administrators" },
	{ "serve", cmd_serve, "run the web server and JSON API" },
	{ "routes", cmd_routes, "print the HTTP API's routes" },
	{ "version", cmd_version, "print the version" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: isms COMMAND [OPTIONS]\n\n"
	           "isms — information security management system (信息安全管理系统)\n\n"
	           "commands:\n");
	size_t m, j;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	for (m = 0; modules[m]; m++)
		for (j = 0; j < modules[m]->ncli; j++)
			fprintf(f, "  %-8s %s\n", modules[m]->cli[j].name, modules[m]->cli[j].help);
	fprintf(f, "\nrun 'isms COMMAND --help' for a command's options\n");
}

int main(int argc, char **argv)
{
	size_t i, m, j;

	/* Everything isms creates (database, WAL, keys, backups) is private to its user. */
	umask(077);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (STREQ(argv[1], "--help") || STREQ(argv[1], "-h") || STREQ(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (STREQ(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (STREQ(commands[i].name, argv[1]))
			return commands[i].fn(argc - 1, argv + 1);
	/* A module's subcommand (app/module.h). */
	for (m = 0; modules[m]; m++)
		for (j = 0; j < modules[m]->ncli; j++)
			if (STREQ(modules[m]->cli[j].name, argv[1]))
				return modules[m]->cli[j].fn(argc - 1, argv + 1);
	fprintf(stderr, "isms: '%s' is not a command\n\n", argv[1]);
	usage(stderr);
	return 2;
}
