/*
 * auth_int.h: shared inside src/auth: the store functions (all SQL is in auth_store.c)
 * and helpers used by auth.c, session.c and token.c.
 */
#ifndef ISMS_AUTH_AUTH_INT_H
#define ISMS_AUTH_AUTH_INT_H

#include "auth/auth.h"

#define FAILURES_MAX 256

/* Failure times of a user at or after since (newest FAILURES_MAX). */
int auth_store_failures(struct store *st, int64_t uid, int64_t since, int64_t *times,
                        size_t *ret_n);
/*
 * A login attempt counts before its password is checked (pam_faillock's tally, without the
 * race of parallel attempts): attempt_begin records it as a pending failure in the same
 * transaction as the lock check; attempt_fail makes it a failure of kind (password, totp,
 * recovery) and counts it toward the ceiling (a success that cleared it meanwhile: a new
 * row); attempt_cancel removes it (a success or an attempt that does not count). A pending
 * row left by a crash stays a failure.
 */
int auth_store_attempt_begin(struct store *st, int64_t uid, int64_t at, int64_t *ret_row);
int auth_store_attempt_fail(struct store *st, int64_t uid, int64_t row, int64_t at,
                            const char *kind, int ceiling);
int auth_store_attempt_cancel(struct store *st, int64_t row);
/* The pending attempts of a user. */
int auth_store_pending(struct store *st, int64_t uid, int *ret_n);
/* fail_reset_at = at, fails_since_success = 0, hard_locked = 0. */
int auth_store_failures_reset(struct store *st, int64_t uid, int64_t at);
/* A lock's time has passed: a fresh window starts (fail_reset_at = at), but the count
 * towards the hard ceiling stays (SECURITY.md: only a success or an administrator clears
 * it). */
int auth_store_timed_unlock(struct store *st, int64_t uid, int64_t at);
int auth_store_login_success(struct store *st, int64_t uid, int64_t at);
int auth_store_set_password(struct store *st, int64_t uid, const char *hash, int64_t at,
                            bool must_change, int keep_history);
/* Up to max previous hashes, newest first; each entry malloc'ed. */
int auth_store_history(struct store *st, int64_t uid, int max, char **hashes, int *ret_n);
int auth_store_set_totp(struct store *st, int64_t uid, const unsigned char *secret, size_t slen,
                        const unsigned char *pending, size_t plen, int64_t last_counter);
int auth_store_totp_counter(struct store *st, int64_t uid, int64_t counter);
int auth_store_recovery_replace(struct store *st, int64_t uid, const unsigned char (*hashes)[32],
                                size_t n);
/* Marks an unused code used; 1 when one was, 0 when none matched. */
int auth_store_recovery_use(struct store *st, int64_t uid, const unsigned char hash[32],
                            int64_t at);
int auth_store_department_names(struct store *st, char ***ret_names, size_t *ret_n);

int auth_store_session_insert(struct store *st, const unsigned char id_hash[32], int64_t uid,
                              const unsigned char csrf_hash[32], int64_t now, const char *source,
                              const char *ua);
/* The session and its account in one statement (one snapshot): 1 when found, 0 when not. */
int auth_store_session_user(struct store *st, const unsigned char id_hash[32],
                            unsigned char csrf_hash[32], int64_t *ret_created, int64_t *ret_seen,
                            struct user *ret_user);
int auth_store_session_touch(struct store *st, const unsigned char id_hash[32], int64_t now);
int auth_store_session_delete(struct store *st, const unsigned char id_hash[32]);
/* Deletes the user's sessions except keep (may be NULL); returns how many. */
int auth_store_sessions_end(struct store *st, int64_t uid, const unsigned char *keep);
/* What a credential change ends (ASVS V3, B5): every session of the account but keep (NULL:
 * all) and every live API token; the counts in *ret_sessions and *ret_tokens. */
int auth_store_credentials_end(struct store *st, int64_t uid, const unsigned char *keep,
                               int64_t now, int *ret_sessions, int *ret_tokens);

/* The user's sessions, newest use first; "current" marks the one whose hash is current. */
int auth_store_session_list(struct store *st, int64_t uid, const unsigned char *current,
                            json_t **ret_items);
int auth_store_token_insert(struct store *st, int64_t uid, const char *name,
                            const unsigned char hash[32], const char *scopes, int64_t now,
                            int64_t expires, int64_t *ret_id);
/* 1 and fields when a live token matches. */
int auth_store_token_get(struct store *st, const unsigned char hash[32], int64_t now,
                         int64_t *ret_id, int64_t *ret_uid, char **ret_scopes, int64_t *ret_used);
int auth_store_token_touch(struct store *st, int64_t id, int64_t now);
int auth_store_token_list(struct store *st, int64_t uid, json_t **ret_items);
/* Revokes the user's token; 1 when revoked, 0 when none matched. */
int auth_store_token_revoke(struct store *st, int64_t uid, int64_t id, int64_t now);

/* Fills the derived flags of an auth_session from its user and the policy. */
void auth_session_flags(struct app *a, struct auth_session *s);
/* "user:<id>"; caller frees. */
char *auth_object(int64_t uid);

#endif
