/*
 * auth.h: logins, sessions, password changes, two-factor enrolment, administrator
 * unlock/reset and API tokens (SPEC ID-1..ID-9; SECURITY.md A, B, F).
 *
 * Login (auth_login):
 *   unknown user / wrong password / disabled   -> 401 bad_credentials (same answer, same
 *                                                 argon2 cost), audited
 *   locked (pam_faillock semantics, lockout.h)  -> 423 account_locked (+ until), not counted
 *   TOTP enrolled and no code                   -> 401 otp_required (not counted)
 *   wrong or replayed code                      -> 401 bad_otp, counted as a failure
 *   success -> a new session (the older one ends under the single-session policy, and a
 *              session the client already held is replaced: ASVS B2)
 * Sessions are 256-bit random ids kept only as SHA-256; idle and absolute timeouts; the
 * CSRF token is likewise random and stored hashed.
 */
#ifndef ISMS_AUTH_AUTH_H
#define ISMS_AUTH_AUTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "crypto/lockout.h"
#include "core/common.h"
#include "org/org.h"

struct app;
struct store;
struct actor;
struct problem;
struct security_policy;

#define SESSION_TOKEN_BYTES 32
#define TOKEN_PREFIX        "isms_"

enum token_scope { TOKEN_READ = 1u << 0, TOKEN_WRITE = 1u << 1 };

/* Who a request is, once its cookie or bearer token has been checked. */
struct auth_session {
	struct user user; /* with roles; release with auth_session_release */
	unsigned char id_hash[32];
	unsigned char csrf_hash[32];
	bool via_token;
	unsigned token_scopes;
	int64_t token_id;
	bool must_change_password;     /* first login, reset, or older than the maximum age */
	bool totp_enrollment_required; /* the policy requires 2FA and none is enrolled */
};
void auth_session_release(struct auth_session *s);

struct login_input {
	const char *username, *password, *otp; /* otp may be NULL */
	const char *source, *user_agent;
	const char *prior_session; /* the session cookie the client sent, if any */
};

struct login_output {
	char session[64]; /* the new session id (cookie value) */
	char csrf[64];
	struct auth_session s;
};

MUST_CHECK int auth_login(struct app *a, struct store *st, const struct login_input *in,
                          struct login_output *out, struct problem *p);
/* Ends the session with this id hash; audited. */
int auth_logout(struct store *st, const struct actor *a, const unsigned char id_hash[32]);

/* The caller's live sessions (ASVS B5): created_at, last_seen, source, user_agent, current.
 * Session ids are never shown. */
int auth_session_list(struct store *st, const struct actor *a, const unsigned char current[32],
                      json_t **ret_items);
/* Ends every other session of the caller and revokes the caller's API tokens ("log out
 * everywhere else": a script's token is a login like a browser's); audited. */
int auth_sessions_end_others(struct store *st, const struct actor *a, const unsigned char keep[32],
                             int *ret_ended, int *ret_revoked);

/* Resolves a session cookie: -ERR_UNAUTHENTICATED ("unauthenticated" or "session_expired")
 * when absent, unknown, expired or the account is disabled. */
MUST_CHECK int auth_session_resolve(struct app *a, struct store *st, const char *cookie,
                                    struct auth_session *ret, struct problem *p);
/* Resolves "isms_..." bearer tokens the same way. */
MUST_CHECK int auth_token_resolve(struct app *a, struct store *st, const char *token,
                                  struct auth_session *ret, struct problem *p);
/* Constant-time check of a CSRF header against the session's token. */
bool auth_csrf_ok(const struct auth_session *s, const char *header);

/* Does the policy require 2FA of this account (its roles, heading a department)? */
bool auth_totp_required(const struct security_policy *pol, const struct user *u);
/* The lock state of an account now. */
int auth_lock_status(struct app *a, struct store *st, const struct user *u,
                     struct lockout_status *ret);

/* The rules a new password must meet, for the change screen: {profile, min_length,
 * min_classes, history, max_age_days}. New reference. */
json_t *auth_password_rules(struct app *a);
/* Checks a candidate for the caller as auth_password_change would (policy, dictionary, login
 * and organization names), without the history and without changing anything: 0 or
 * -ERR_INVALID "weak_password" with the reason in p->detail. */
int auth_password_try(struct app *a, struct store *st, const struct actor *actor,
                      const char *new_pw, struct problem *p);
/*
 * Changes the caller's password (old and new required: ASVS A5/B6). Ends every other
 * session of the account; keep_session (may be NULL) goes on. 400 weak_password with a
 * reason; 403 bad_credentials for a wrong current password (counted as a failure).
 */
MUST_CHECK int auth_password_change(struct app *a, struct store *st, const struct actor *actor,
                                    const unsigned char *keep_session, const char *old_pw,
                                    const char *new_pw, struct problem *p);

/* Starts TOTP enrolment: {"secret","uri","qr_svg"}; 409 totp_already_enabled. */
int auth_totp_begin(struct app *a, struct store *st, const struct actor *actor, json_t **ret,
                    struct problem *p);
/* Confirms it with a code: {"recovery_codes":[...]} (shown once). */
int auth_totp_confirm(struct app *a, struct store *st, const struct actor *actor, const char *code,
                      json_t **ret, struct problem *p);

/* Administrator actions on another account, each audited and notified to the account. */
int auth_admin_unlock(struct app *a, struct store *st, const struct actor *actor, int64_t uid,
                      struct problem *p); /* sys_admin */
int auth_admin_reset_password(struct app *a, struct store *st, const struct actor *actor,
                              int64_t uid, char **ret_password, struct problem *p); /* sys_admin */
int auth_admin_reset_totp(struct app *a, struct store *st, const struct actor *actor, int64_t uid,
                          struct problem *p); /* security_admin */

/* API tokens (ID-9): {"name","scopes":["read","write"],"expires_in_days"} ->
 * {"id","name","token","scopes","expires_at"}; the token is shown once. */
int auth_token_create(struct store *st, const struct actor *actor, json_t *in, json_t **ret,
                      struct problem *p);
/* The tokens of account uid (live, expired and revoked, newest first) and revoking one: the
 * account itself, or the security administrator for anyone (the owner is notified). Tokens
 * also end with every password change, reset and two-factor reset, and with "log out
 * everywhere else". */
int auth_token_list(struct store *st, const struct actor *actor, int64_t uid, json_t **ret_items,
                    struct problem *p);
int auth_token_revoke(struct store *st, const struct actor *actor, int64_t uid, int64_t id,
                      struct problem *p);

#endif
