/*
 * cmd_sla.c: isms sla run — the clock tick of the time rules on demand, as of now or of any
 * given time: operators and tests see tomorrow today. It prints what it did, one line per
 * task opened, done or missed and per escalation; a second run at the same time prints none.
 */
#include "core/common.h"

#include <getopt.h>

#include "app/app.h"
#include "app/module.h"
#include "cli/cli.h"
#include "core/clock.h"

static int usage(void)
{
	fprintf(stderr,
	        "usage: isms sla run --data DIR [--at RFC3339] [--json]\n"
	        "  --at T     evaluate as of T (e.g. 2026-11-28T09:00:00+08:00; default now)\n"
	        "  --json     print the events as one JSON array\n"
	        "运行一次时限时钟：生成例行工作待办、标记未完成、逐级上报超时事项。\n");
	return 2;
}

static void print_event(json_t *e)
{
	const char *ev = json_string_value(json_object_get(e, "event"));
	json_int_t task = json_integer_value(json_object_get(e, "task_id"));

	if (strcmp(ev, "task") == 0) {
		printf("task #%" JSON_INTEGER_FORMAT
		       " opened: %s at %s, due %s, owner #%" JSON_INTEGER_FORMAT "\n",
		       task, json_string_value(json_object_get(e, "duty")),
		       json_string_value(json_object_get(e, "occurs_at")),
		       json_string_value(json_object_get(e, "due_at")),
		       json_integer_value(json_object_get(e, "owner_id")));
	} else if (strcmp(ev, "done") == 0) {
		printf("task #%" JSON_INTEGER_FORMAT " done by record #%" JSON_INTEGER_FORMAT "\n",
		       task, json_integer_value(json_object_get(e, "record_id")));
	} else if (strcmp(ev, "missed") == 0) {
		printf("task #%" JSON_INTEGER_FORMAT " missed: %s\n", task,
		       json_string_value(json_object_get(e, "duty")));
	} else if (strncmp(ev, "vault_", 6) == 0) {
		printf("vault entry #%" JSON_INTEGER_FORMAT " %s: %s, due %s, to %zu person(s)\n",
		       json_integer_value(json_object_get(e, "entry_id")),
		       json_string_value(json_object_get(e, "name")),
		       strcmp(ev, "vault_rotation_due") == 0 ? "rotation due" : "rotation overdue",
		       json_string_value(json_object_get(e, "due_at")),
		       json_array_size(json_object_get(e, "to")));
	} else {
		json_t *rec = json_object_get(e, "record_id");

		printf("deadline #%" JSON_INTEGER_FORMAT " %s on %s #%" JSON_INTEGER_FORMAT
		       ": level %" JSON_INTEGER_FORMAT " (%s) to %zu person(s)\n",
		       json_integer_value(json_object_get(e, "deadline_id")),
		       json_string_value(json_object_get(e, "rule")), rec ? "record" : "request",
		       json_integer_value(rec ? rec : json_object_get(e, "request_id")),
		       json_integer_value(json_object_get(e, "level")),
		       json_string_value(json_object_get(e, "target")),
		       json_array_size(json_object_get(e, "to")));
	}
}

static int count(json_t *report, const char *event)
{
	json_t *e;
	size_t i;
	int n = 0;

	json_array_foreach(report, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "event")), event) == 0)
			n++;
	}
	return n;
}

int cmd_sla(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "at", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *at_text = NULL;
	struct app *a = NULL;
	json_t *all = NULL, *report = json_array(), *e;
	char when[RFC3339_LEN];
	int64_t at, t0, took;
	bool as_json = false;
	size_t i;
	int c, r;

	if (argc < 2 || strcmp(argv[1], "run") != 0)
		return usage();
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'a':
			at_text = optarg;
			break;
		case 'j':
			as_json = true;
			break;
		case 'h':
			usage();
			return 0;
		default:
			return usage();
		}
	}
	if (optind != argc || !dir)
		return usage();
	at = clock_now();
	if (at_text && time_parse_rfc3339(at_text, &at) < 0) {
		fprintf(stderr,
		        "isms sla run: --at '%s' is not an RFC 3339 time (e.g. "
		        "2026-11-28T09:00:00+08:00)\n",
		        at_text);
		return 2;
	}
	if (app_open(dir, &a) < 0)
		return 1;
	t0 = clock_mono_us();
	/* Every module's tick (app/module.h), once. */
	r = modules_tick(a, at, &all);
	took = clock_mono_us() - t0;
	if (r < 0) {
		fprintf(stderr,
		        "isms sla run: the tick failed (%d); what the failing module had done "
		        "in its batch was undone, the other modules ran\n",
		        r);
		json_decref(all);
		json_decref(report);
		app_free(a);
		return 1;
	}
	time_format_rfc3339(at, when);
	/* The common events; a module that reports its own (tick_report) prints them below. */
	json_array_foreach(all, i, e) {
		const struct module *m =
		        module_find(json_string_value(json_object_get(e, "module")));

		if (!m || !m->tick_report) {
			json_t *copy = json_copy(e);

			json_object_del(copy, "module");
			json_array_append_new(report, copy);
		}
	}
	if (as_json) {
		char *text = json_dumps(report, JSON_INDENT(1));

		puts(text);
		free(text);
	} else {
		json_array_foreach(report, i, e) {
			print_event(e);
		}
	}
	fprintf(as_json ? stderr : stdout,
	        "sla run at %s: %d task(s) opened, %d done, %d missed, %d escalation(s); the "
	        "tick took %" PRId64 ".%03" PRId64 " ms\n",
	        when, count(report, "task"), count(report, "done"), count(report, "missed"),
	        count(report, "escalated"), took / 1000, took % 1000);
	for (i = 0; modules[i]; i++) {
		json_t *mine = json_array();
		size_t j;

		if (!modules[i]->tick_report) {
			json_decref(mine);
			continue;
		}
		json_array_foreach(all, j, e) {
			if (STREQ(json_string_value(json_object_get(e, "module")),
			          modules[i]->name))
				json_array_append(mine, e);
		}
		if (!as_json)
			modules[i]->tick_report(mine, when);
		json_decref(mine);
	}
	json_decref(all);

	json_decref(report);
	app_free(a);
	return 0;
}
