/*
 * cli.h: the subcommands of isms; each parses its own options (getopt_long) and calls
 * the same domain verbs as the HTTP API, so the CLI cannot bypass the audit trail.
 * Exit codes: 0 ok, 1 failure, 2 usage.
 */
#ifndef ISMS_CLI_CLI_H
#define ISMS_CLI_CLI_H

struct actor;

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_sla(int argc, char **argv);

/* The actor of a local operator: user_id 0, "cli:<login name>", source "cli". */
void cli_actor(struct actor *a);

#endif
