/*
 * org_store.h: for other modules' store files only: the columns of an account row and
 * their decoder, so that a query joining users (e.g. a session lookup) reads an account in
 * the same statement.
 */
#ifndef ISMS_ORG_ORG_STORE_H
#define ISMS_ORG_ORG_STORE_H

#include "org/org.h"

struct stmt;

/* The account columns, qualified by table name, in the order the decoder reads them. */
#define ORG_USER_COLUMNS                                                                                  \
 "users.id, users.username, users.display_name, users.department_id, users.email, "                       \
 "users.pw_hash, users.pw_changed_at, users.must_change_pw, users.disabled, "                             \
 "users.fail_reset_at, users.fails_since_success, users.hard_locked, "                                    \
 "users.totp_secret, users.totp_pending, users.totp_last_counter, "                                       \
 "users.last_login_at, users.created_at, users.version, "                                                 \
 "(SELECT group_concat(role) FROM user_roles WHERE user_id = users.id), users.expires_at, users.locale, " \
 "EXISTS (SELECT 1 FROM departments WHERE head_user_id = users.id)"

/* Fills u from the ORG_USER_COLUMNS starting at column c of the current row. */
void org_store_user_from_row(struct stmt *s, int c, struct user *u);

#endif
