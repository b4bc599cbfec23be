/*
 * cli.h: the subcommands of isms; each parses its own options (getopt_long) and calls
 * the same domain verbs as the HTTP API, so the CLI cannot bypass the audit trail.
 * Exit codes: 0 ok, 1 failure, 2 usage.
 */
#ifndef ISMS_CLI_CLI_H
#define ISMS_CLI_CLI_H

#include <jansson.h>

#include <stdbool.h>

struct actor;
struct app;
struct buf;

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_sla(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_vault(int argc, char **argv);
/* isms backup report|jobs (cmd_backup_jobs.c): the organization's backup runs and jobs;
 * argv[0] is the subcommand's name. */
int cmd_backup_report(int argc, char **argv);
int cmd_backup_jobs(int argc, char **argv);
/* isms sla run's lines for the backup jobs' tick (app/module.h tick_report). */
void backup_jobs_tick_report(json_t *events, const char *when);

/* isms init --demo: departments, staff and work under way (demo.c); their one-time passwords
 * are appended to out ("login password" lines when file_format). */
int demo_seed(struct app *a, const struct actor *op, struct buf *out, bool file_format);

/* The actor of a local operator: user_id 0, "cli:<login name>", source "cli". */
void cli_actor(struct actor *a);

#endif
