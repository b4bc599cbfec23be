/*
 * cmd_policy.c: isms policy check|show — validate and print the policy pack (the built-in
 * one plus an organization's overrides), so an administrator sees every problem with its
 * file and JSON path before the server refuses to start on it.
 */
#include "core/common.h"

#include <getopt.h>

#include "app/app.h"
#include "app/module.h"
#include "cli/cli.h"
#include "core/fs.h"
#include "forms/pack.h"
#include "org/org.h"

static int usage(void)
{
	fprintf(stderr,
	        "usage: isms policy check [--dir D | --data DIR]\n"
	        "       isms policy show  [--dir D | --data DIR]\n"
	        "       isms policy permissions\n"
	        "  --dir D      a folder of override files (*.json)\n"
	        "  --data DIR   the data folder: its policy/ overrides, and (check) its\n"
	        "               accounts against the three-administrator rule\n"
	        "  permissions  the permissions the roles of policy/roles.json may name\n"
	        "检查或显示制度包（内置 + 覆盖文件）；--data 时还检查账号是否违反三员分立；\n"
	        "permissions 列出角色可授予的全部权限。\n");
	return 2;
}

/* The accounts of the data folder that break the three-administrator rule, one line each:
 * 0 when none, 1 when some (or the folder cannot be read). */
static int check_accounts(const char *data)
{
	struct app *a = NULL;
	json_t *items = NULL, *e;
	size_t i;
	int r;

	r = app_open(data, &a);
	if (r == 0)
		r = org_separation_report(app_store(a), &items);
	if (r < 0) {
		fprintf(stderr, "isms policy: cannot read the accounts of '%s'\n", data);
		app_free(a);
		return 1;
	}
	json_array_foreach(items, i, e) {
		char *roles = json_dumps(json_object_get(e, "roles"), JSON_COMPACT);

		printf("%s/isms.db: account '%s' (%s%s): %s\n", data,
		       json_string_value(json_object_get(e, "username")), roles,
		       json_is_true(json_object_get(e, "heads_department")) ? ", department head"
		                                                            : "",
		       json_string_value(json_object_get(e, "problem")));
		free(roles);
	}
	if (json_array_size(items))
		fprintf(stderr,
		        "isms policy: %zu account(s) break the three-administrator rule (三员分立); "
		        "they act with their administrator role alone until the security "
		        "administrator revokes the other roles and the system administrator "
		        "names another department head\n",
		        json_array_size(items));
	r = json_array_size(items) ? 1 : 0;
	json_decref(items);
	app_free(a);
	return r;
}

int cmd_policy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "data", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *data = NULL;
	struct pack *pk = NULL;
	json_t *errors = NULL, *e;
	char *joined = NULL, *text;
	size_t i;
	int c, r;
	bool show;

	modules_init(); /* the permissions roles.json names (app/module.h) */
	if (argc == 2 && strcmp(argv[1], "permissions") == 0) {
		for (i = 0; i < perm_count(); i++)
			printf("%-20s %-10s %s (%s)\n", perm_at(i)->name,
			       perm_class_name(perm_at(i)->cls), perm_at(i)->en, perm_at(i)->zh);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[1], "check") != 0 && strcmp(argv[1], "show") != 0))
		return usage();
	show = strcmp(argv[1], "show") == 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'D':
			data = optarg;
			break;
		case 'h':
			usage();
			return 0;
		default:
			return usage();
		}
	}
	if (optind != argc || (dir && data))
		return usage();
	if (data)
		dir = joined = fs_join(data, "policy");
	if (dir && !data && !fs_exists(dir)) {
		fprintf(stderr, "isms policy: no folder '%s'\n", dir);
		return 1;
	}
	r = pack_load(dir, &pk, &errors);
	if (r < 0) {
		json_array_foreach(errors, i, e) {
			printf("%s\n", json_string_value(e));
		}
		fprintf(stderr,
		        "isms policy: %zu error(s); the server will not start on this pack\n",
		        json_array_size(errors));
		json_decref(errors);
		free(joined);
		return 1;
	}
	if (show) {
		text = json_dumps(pk->root, JSON_INDENT(2));
		printf("%s\n", text);
		free(text);
	} else {
		printf("policy pack OK: %zu forms, %zu registers, %zu request types, %zu roles%s%s",
		       pk->nforms, pk->nregs, pk->nreqs, pk->nroles,
		       dir ? " (with overrides from " : "", dir ? dir : "");
		if (dir)
			printf(")");
		printf("\n");
	}
	pack_free(pk);
	free(joined);
	if (!show && data) {
		char *db = fs_join(data, "isms.db");

		r = fs_exists(db) ? check_accounts(data) : 0;
		free(db);
		return r;
	}
	return 0;
}
