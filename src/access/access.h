/*
 * access.h: who can do what (等保 8.1.7.3 授权审批事项): the permissions the modules declare,
 * the roles of the policy pack with the permissions each holds and in which scope, and the
 * people holding each role today. Served as GET /api/v1/permissions (JSON, XLSX, CSV) for the
 * security administrator, the auditors and the assessors.
 */
#ifndef ISMS_ACCESS_ACCESS_H
#define ISMS_ACCESS_ACCESS_H

#include <jansson.h>
#include <stdbool.h>

struct app;
struct store;
struct sheet;
struct actor;

/* {"permissions":[{name, module, class, title_zh, title_en}],
 *  "roles":[{id, title_zh, title_en, everyone, administrator,
 *            permissions:[{name, scope}], holders:[{id, username, display_name}]}]} */
int access_matrix(struct app *a, struct store *st, json_t **ret);
/* The matrix as a table: one row per permission, one column per role ("✓" everywhere,
 * "本部门"/"own department" in its holders' department), then the holders' rows. */
void access_sheet(json_t *matrix, bool en, struct sheet *ret);
/* The names of the permissions a holds anywhere (all) and only in its department (own). */
void access_names(const struct actor *a, json_t **ret_all, json_t **ret_own);

#endif
