/*
 * cmd_user.c: the local operator's account commands (break glass when every
 * administrator is locked out): list, unlock, reset-password. Each goes through the same
 * domain verbs as the API and is recorded in the audit trail as "cli:<login>".
 */
#include "core/common.h"
#include "core/actor.h"
#include "core/log.h"
#include "app/app.h"
#include "auth/auth.h"
#include "cli/cli.h"
#include "org/org.h"
#include "store/store.h"

#include <getopt.h>
#include <sodium.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: isms user list --data DIR\n"
	           "       isms user unlock --data DIR NAME\n"
	           "       isms user reset-password --data DIR NAME\n\n"
	           "Local operator commands, recorded in the audit trail. reset-password prints a\n"
	           "one-time password that must be changed at the next login.\n");
}

static int list(struct app *a, struct store *st)
{
	struct actor act;
	struct user_filter f = { .limit = 500 };
	json_t *items = NULL, *u;
	int64_t next = 0;
	size_t i;
	int r;

	cli_actor(&act);
	act.roles = ROLE_SYS_ADMIN;
	(void)a;
	do {
		r = org_user_list(st, &act, &f, &items, &next, NULL);
		if (r < 0)
			return r;
		json_array_foreach(items, i, u) {
			json_t *roles = json_object_get(u, "roles"), *e;
			size_t j;

			printf("%-20s %-24s %s", json_string_value(json_object_get(u, "username")),
			       json_string_value(json_object_get(u, "display_name")),
			       json_is_true(json_object_get(u, "disabled")) ? "disabled " : "");
			json_array_foreach(roles, j, e)
				printf("%s%s", j ? "," : "", json_string_value(e));
			printf("\n");
		}
		json_decref(items);
		f.after = next;
	} while (next);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *verb, *name = NULL;
	struct problem p = { 0 };
	struct user u = { 0 };
	struct app *a = NULL;
	struct store *st;
	struct actor act;
	char *pw = NULL;
	int c, r;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	verb = argv[1];
	if (STREQ(verb, "--help") || STREQ(verb, "-h")) {
		usage(stdout);
		return 0;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd') {
			dir = optarg;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc)
		name = argv[optind++];
	if (!dir || optind != argc || (STREQ(verb, "list") ? name != NULL : name == NULL) ||
	    (!STREQ(verb, "list") && !STREQ(verb, "unlock") && !STREQ(verb, "reset-password"))) {
		usage(stderr);
		return 2;
	}
	r = app_open(dir, &a);
	if (r < 0)
		return 1;
	st = app_store(a);
	if (STREQ(verb, "list")) {
		r = list(a, st);
		goto out;
	}
	r = org_user_load_by_name(st, name, &u);
	if (r == -ERR_NOT_FOUND) {
		fprintf(stderr, "isms: no account '%s'\n", name);
		goto out;
	}
	if (r < 0)
		goto out;
	cli_actor(&act);
	if (STREQ(verb, "unlock")) {
		r = auth_admin_unlock(a, st, &act, u.id, &p);
		if (r == 0)
			printf("isms: unlocked '%s'\n", u.username);
	} else {
		r = auth_admin_reset_password(a, st, &act, u.id, &pw, &p);
		if (r == 0) {
			printf("isms: one-time password of '%s' (must be changed at the next "
			       "login):\n%s\n",
			       u.username, pw);
			sodium_memzero(pw, strlen(pw));
			free(pw);
		}
	}
out:
	if (r < 0 && r != -ERR_NOT_FOUND)
		fprintf(stderr, "isms: %s failed%s%s\n", verb, p.detail[0] ? ": " : "", p.detail);
	user_release(&u);
	app_free(a);
	return r < 0 ? 1 : 0;
}
