/*
 * demo.h: what a module's demo seeding (struct module.demo, isms init --demo) is given: the
 * demo organization's people and departments, made first by src/cli/demo.c, to file the
 * module's example work through its own verbs, so every step is in the audit trail.
 */
#ifndef ISMS_CORE_DEMO_H
#define ISMS_CORE_DEMO_H

#include <stdint.h>

#include "core/actor.h"

struct store;
struct pack;
struct problem;

struct demo_org {
	struct store *st;
	const struct pack *pk;
	const struct actor *op; /* the local operator running init */
	int64_t now;
	struct problem *p; /* what went wrong, for the message init prints */
	/* The actor of a demo person as if logged in ("lina"); user_id 0 when unknown. */
	struct actor (*as)(const struct demo_org *d, const char *username);
	/* A demo department's id by its name ("客服中心"); 0 when unknown. */
	int64_t (*department)(const struct demo_org *d, const char *name);
	void *ctx; /* demo.c's own */
};

#endif
