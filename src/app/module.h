/*
 * module.h: what the rest of isms needs from a module (DESIGN "The module table"). Each module
 * exports one const struct module, listed once in app/modules.c; the router, the error table,
 * the clock tick, the CLI, the permission registry, the request actions and init --demo
 * iterate over the table. docs/adding-a-module.md walks through adding one.
 */
#ifndef ISMS_APP_MODULE_H
#define ISMS_APP_MODULE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/perm.h"

struct app;
struct store;
struct actor;
struct req;
struct request_action;
struct demo_org;
struct pack_section;

typedef int (*route_fn)(struct req *rq);

enum route_flags {
	ROUTE_PUBLIC = 1 << 0,           /* no session needed (and no permission) */
	ROUTE_ALLOW_PW_CHANGE = 1 << 1,  /* reachable while the password must be changed */
	ROUTE_ALLOW_TOTP_SETUP = 1 << 2, /* reachable while 2FA enrolment is required */
	ROUTE_NO_TOKEN = 1 << 3,         /* sessions only: never with an API token */
	ROUTE_UPLOAD = 1 << 4,           /* the body is a file (up to UPLOAD_MAX), not JSON */
};

struct route {
	const char *method;
	const char *pattern; /* "/api/v1/users/{id}/roles": {id} is a positive integer */
	route_fn fn;
	unsigned flags;
	const char *perm; /* the permission the caller needs (NULL only with ROUTE_PUBLIC);
	                   * the verb may ask more (a department, a step of a chain) */
};

/* The user-facing message of an error code, zh-CN and en. */
struct error_text {
	const char *code, *zh, *en;
};

/* isms NAME …: a subcommand of the CLI. */
struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

struct module {
	const char *name;
	const struct permission *perms;
	size_t nperms;
	const struct route *routes;
	size_t nroutes;
	const struct error_text *errors;
	size_t nerrors;
	/* The clock tick (once a minute in isms serve, on demand by isms sla run --at): appends
	 * what it did to events, one object each with a "kind". */
	int (*tick)(struct app *a, struct store *st, int64_t now, json_t *events);
	/* isms sla run: a module that reports its tick's events itself prints them here (its
	 * lines and a summary, to stdout) and they stay out of the common list and --json;
	 * NULL: they are among the common events. when is the tick's time. */
	void (*tick_report)(json_t *events, const char *when);
	const struct cli_command *cli;
	size_t ncli;
	/* What an approved request of a type whose "action" it owns does (workflow.h). */
	const struct request_action *actions;
	size_t nactions;
	/* init --demo: the module's example work, filed after the people exist (core/demo.h). */
	int (*demo)(const struct demo_org *d);
	/* Its own sections of the policy pack (forms/pack.h), checked when a pack loads. */
	const struct pack_section *const *pack_sections; /* NULL-terminated, or NULL */
	/* The notification kinds it sends (their templates are in its pack file). */
	const char *const *notifications;
};

#define MODULE_LIST(arr) arr, (sizeof(arr) / sizeof((arr)[0]))

extern const struct module *const modules[]; /* NULL-terminated, in app/modules.c */

/* Registers every module's permissions and request actions (once; safe to call again). */
void modules_init(void);
/* modules_init, and the grants of the built-in pack's roles (perm_grants_set), for code
 * that checks permissions without a data folder (unit tests); app_open does it with the
 * folder's pack. */
int modules_builtin_grants(void);
/* Runs every module's tick, tagging each event with "module"; *ret_events gets them all.
 * A failing tick is reported and the others still run: the first error is returned. */
int modules_tick(struct app *a, int64_t now, json_t **ret_events);
/* The module a tick event came from, or NULL. */
const struct module *module_find(const char *name);
/* The message of a module's error code, or NULL. */
const struct error_text *modules_error(const char *code);

#endif
