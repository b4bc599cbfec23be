/*
 * auth.c: login, password change, TOTP enrolment and the administrator's unlock and
 * reset verbs. The slow argon2id work happens outside any write transaction; every state
 * change and its audit entry share one transaction.
 */
#include "core/common.h"
#include "core/perm.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/util.h"
#include "core/host.h"
#include "settings/settings.h"
#include "audit/audit.h"
#include "auth/auth_int.h"
#include "crypto/password.h"
#include "crypto/seal.h"
#include "crypto/totp.h"
#include "store/store.h"

#include <sodium.h>

/* The actor recorded for events before anyone is authenticated. */
static void anonymous(struct actor *a, const char *username, const char *source)
{
	a->user_id = 0;
	a->username = username;
	a->source = source;
	a->roles = 0;
}

static void actor_of(struct actor *a, const struct user *u, const char *source)
{
	a->user_id = u->id;
	a->username = u->username;
	a->source = source;
	a->roles = org_effective_roles(u);
}

static void totp_ad(int64_t uid, char out[48])
{
	(void)snprintf(out, 48, "totp:user:%" PRId64, uid);
}

int auth_lock_status(struct app *a, struct store *st, const struct user *u,
                     struct lockout_status *ret)
{
	struct security_policy pol;
	int64_t times[FAILURES_MAX];
	size_t n = 0;
	int r;

	int pending = 0;

	app_policy(a, &pol);
	r = auth_store_failures(st, u->id, u->fail_reset_at, times, &n);
	if (r == 0)
		r = auth_store_pending(st, u->id, &pending);
	if (r < 0)
		return r;
	/* Attempts under way count as failures until they are settled (attempt_begin). */
	lockout_evaluate(&pol.lockout, times, n, u->fail_reset_at, u->fails_since_success + pending,
	                 u->hard_locked, clock_now(), ret);
	return 0;
}

/* A credential check under way (a login, the current password of a change): counted as a
 * failure from the moment it passed the lock check, so that parallel guesses cannot
 * outrun the lock (pam_faillock's tally is per attempt, not per finished attempt). */
struct attempt {
	int64_t row;  /* its pending row in auth_failures; 0: none */
	int64_t at;   /* when it began */
	bool crosses; /* its failure is the one that reaches lockout_deny */
};

/* Records the failure of attempt t (password, totp or recovery) and, when it locks the
 * account, the lock with its notifications. Returns the state after the failure. */
static int attempt_fail(struct app *a, struct store *st, const struct user *u, struct attempt *t,
                        const char *kind, const char *reason, const char *source,
                        struct lockout_status *ret)
{
	struct security_policy pol;
	struct actor act;
	json_t *detail = NULL, *params = NULL;
	char *obj = auth_object(u->id);
	struct user fresh = { 0 };
	int r;

	app_policy(a, &pol);
	anonymous(&act, u->username, source);
	act.user_id = u->id;
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = auth_store_attempt_fail(st, u->id, t->row, t->at ? t->at : clock_now(), kind,
	                            pol.lockout.ceiling);
	t->row = 0;
	if (r < 0)
		goto end;
	r = org_user_load(st, u->id, &fresh);
	if (r < 0)
		goto end;
	r = auth_lock_status(a, st, &fresh, ret);
	if (r < 0)
		goto end;
	detail = json_pack("{s:s, s:s, s:i}", "factor", kind, "reason", reason, "failures",
	                   fresh.fails_since_success);
	r = audit_append(st, &(struct audit_event){ .actor = &act,
	                                            .action = "login.failure",
	                                            .object = obj,
	                                            .outcome = "failure",
	                                            .detail = detail });
	if (r < 0)
		goto end;
	if (ret->state != LOCKOUT_OPEN) {
		char until[RFC3339_LEN];

		time_format_rfc3339(ret->until, until);
		params = json_pack("{s:s, s:o, s:s}", "username", u->username, "until",
		                   ret->state == LOCKOUT_LOCKED ? json_string(until) : json_null(),
		                   "source", source);
		/* Only the failure that crosses the threshold locks (and notifies). */
		if ((ret->state == LOCKOUT_LOCKED && t->crosses) ||
		    (ret->state == LOCKOUT_HARD &&
		     fresh.fails_since_success == pol.lockout.ceiling)) {
			r = audit_append(
			        st, &(struct audit_event){ .actor = &act,
			                                   .action = ret->state == LOCKOUT_HARD
			                                                     ? "account.lock_hard"
			                                                     : "account.lock",
			                                   .object = obj,
			                                   .outcome = "success",
			                                   .detail = params });
			if (r == 0)
				r = org_notify(st, u->id, "account_locked", params);
			if (r == 0)
				r = org_notify_role(st, ROLE_SECURITY_ADMIN, "account_locked",
				                    params);
			if (r < 0)
				goto end;
		}
	}
	if (STREQ(kind, "totp") || STREQ(kind, "recovery")) {
		/* SECURITY.md: alert the security administrator on every second-factor failure. */
		json_t *alert = json_pack("{s:s, s:s, s:s}", "username", u->username, "reason",
		                          reason, "source", source);

		r = org_notify_role(st, ROLE_SECURITY_ADMIN, "second_factor_failure", alert);
		json_decref(alert);
		if (r < 0)
			goto end;
	}
end:
	r = store_end(st, r);
out:
	json_decref(detail);
	json_decref(params);
	user_release(&fresh);
	free(obj);
	return r;
}

/* An attempt that does not count after all (a correct password, or a refusal that is not a
 * guess): its pending row goes. */
static void attempt_cancel(struct store *st, struct attempt *t)
{
	if (!t->row)
		return;
	if (store_begin(st) == 0)
		(void)store_end(st, auth_store_attempt_cancel(st, t->row));
	t->row = 0;
}

static int locked_problem(const struct lockout_status *ls, struct problem *p)
{
	int r = problem_set(p, ERR_LOCKED, "account_locked", NULL);

	if (p)
		p->until = ls->state == LOCKOUT_LOCKED ? ls->until : 0;
	return r;
}

/*
 * Begins a credential check, in one transaction: the lock check (a lock whose time has passed
 * ends here, pam_faillock's timed unlock, audited) and, when the account is open, the
 * attempt's pending failure, before any password is checked. A locked account is refused
 * with denied_action audited: 423 account_locked.
 */
static int attempt_begin(struct app *a, struct store *st, const struct actor *act, struct user *u,
                         const char *obj, const char *denied_action, struct attempt *t,
                         struct problem *p)
{
	struct security_policy pol;
	struct lockout_status ls;
	struct user fresh = { 0 };
	int64_t now = clock_now();
	bool locked = false;
	int r;

	app_policy(a, &pol);
	memset(t, 0, sizeof(*t));
	r = store_begin(st);
	if (r < 0)
		return r;
	r = org_user_load(st, u->id, &fresh);
	if (r == 0)
		r = auth_lock_status(a, st, &fresh, &ls);
	if (r == 0 && ls.timed_unlock) {
		r = auth_store_timed_unlock(st, u->id, now);
		if (r == 0)
			r = audit_change(st, (struct audit_event){
			                             .actor = act,
			                             .action = "account.unlock",
			                             .object = obj,
			                             .detail = json_pack("{s:s}", "reason",
			                                                 "unlock_time_passed") });
		if (r == 0) {
			fresh.fail_reset_at = u->fail_reset_at = now;
			r = auth_lock_status(a, st, &fresh, &ls);
		}
	}
	if (r == 0 && ls.state != LOCKOUT_OPEN) {
		locked = true;
		r = audit_change(st, (struct audit_event){ .actor = act,
		                                           .action = denied_action,
		                                           .object = obj,
		                                           .outcome = "denied",
		                                           .detail = json_pack("{s:s}", "reason",
		                                                               "account_locked") });
	}
	if (r == 0 && !locked) {
		t->at = now;
		r = auth_store_attempt_begin(st, u->id, now, &t->row);
	}
	if (r == 0 && !locked) {
		/* Would this attempt's failure be the one that locks? */
		struct lockout_status after;

		r = auth_lock_status(a, st, &fresh, &after);
		t->crosses = r == 0 && after.state == LOCKOUT_LOCKED &&
		             after.failures == pol.lockout.deny;
	}
	r = store_end(st, r);
	if (r < 0)
		t->row = 0;
	else if (locked)
		r = locked_problem(&ls, p);
	user_release(&fresh);
	return r;
}

/* Checks the second factor inside the caller's write transaction, so that two logins with
 * the same code cannot both succeed. Returns 0, or -ERR_INVALID / -ERR_CONFLICT (replay)
 * with *ret_reason and *ret_kind set. */
static int check_second_factor(struct app *a, struct store *st, const struct user *u,
                               const char *otp, const char **ret_kind, const char **ret_reason)
{
	unsigned char secret[TOTP_SECRET_LEN + 16], h[32];
	struct user fresh = { 0 };
	int64_t counter;
	char ad[48];
	int r, n;

	*ret_kind = "totp";
	*ret_reason = "bad_code";
	r = org_user_load(st, u->id, &fresh);
	if (r < 0)
		return r;
	if (strlen(otp) == TOTP_DIGITS) {
		totp_ad(u->id, ad);
		n = unseal(app_seal_key(a), ad, fresh.totp_secret, fresh.totp_secret_len, secret,
		           sizeof(secret));
		if (n < 0) {
			r = -ERR_INTERNAL;
			goto out;
		}
		r = totp_validate(secret, (size_t)n, clock_now(), fresh.totp_last_counter, otp,
		                  &counter);
		sodium_memzero(secret, sizeof(secret));
		if (r == -ERR_CONFLICT)
			*ret_reason = "replayed_code";
		if (r < 0)
			goto out;
		r = auth_store_totp_counter(st, u->id, counter);
		if (r == -ERR_CONFLICT)
			*ret_reason = "replayed_code";
		goto out;
	}
	*ret_kind = "recovery";
	r = recovery_code_hash(otp, h);
	if (r < 0)
		goto out;
	r = auth_store_recovery_use(st, u->id, h, clock_now());
	if (r == 0) {
		*ret_reason = "unknown_or_used_recovery_code";
		r = -ERR_INVALID;
	}
	if (r > 0)
		r = 0;
out:
	user_release(&fresh);
	return r;
}

int auth_login(struct app *a, struct store *st, const struct login_input *in,
               struct login_output *out, struct problem *p)
{
	struct security_policy pol;
	struct lockout_status ls;
	struct attempt t = { 0 };
	struct user u = { 0 };
	struct actor act;
	unsigned char id_hash[32], csrf_hash[32], prior[32];
	char *sid = NULL, *csrf = NULL, *obj = NULL;
	const char *kind = "password", *reason = NULL;
	json_t *detail = NULL;
	bool ok, used_second = false;
	int64_t now;
	int r;

	memset(out, 0, sizeof(*out));
	app_policy(a, &pol);
	r = org_user_load_by_name(st, in->username, &u);
	if (r == -ERR_NOT_FOUND) {
		password_verify_dummy(in->password);
		/* People type passwords into the name field: keep the typed name only when it
		 * could be a login name at all (lower-case letters, digits, . _ -). */
		anonymous(&act,
		          org_username_valid(in->username) ? in->username : "(not a login name)",
		          in->source);
		detail = json_pack("{s:s}", "reason", "unknown_user");
		r = audit_record(st, &(struct audit_event){ .actor = &act,
		                                            .action = "login.failure",
		                                            .object = NULL,
		                                            .outcome = "failure",
		                                            .detail = detail });
		if (r == 0)
			r = problem_set(p, ERR_UNAUTHENTICATED, "bad_credentials", NULL);
		goto out;
	}
	if (r < 0)
		goto out;
	obj = auth_object(u.id);
	anonymous(&act, u.username, in->source);
	act.user_id = u.id;

	/* Counted before the password is checked (attempt_begin): parallel guesses meet the
	 * lock, not the password. */
	r = attempt_begin(a, st, &act, &u, obj, "login.denied", &t, p);
	if (r < 0)
		goto out;
	ok = password_verify(u.pw_hash, in->password);
	if (ok && u.disabled) {
		detail = json_pack("{s:s}", "reason", "account_disabled");
		r = audit_record(st, &(struct audit_event){ .actor = &act,
		                                            .action = "login.denied",
		                                            .object = obj,
		                                            .outcome = "denied",
		                                            .detail = detail });
		if (r == 0)
			r = problem_set(p, ERR_UNAUTHENTICATED, "bad_credentials", NULL);
		goto out;
	}
	if (ok && u.must_change_pw &&
	    clock_now() - u.pw_changed_at > (int64_t)pol.one_time_password_days * 86400) {
		/* ASVS A10: a one-time password that was never used expires. */
		detail = json_pack("{s:s}", "reason", "one_time_password_expired");
		r = audit_record(st, &(struct audit_event){ .actor = &act,
		                                            .action = "login.denied",
		                                            .object = obj,
		                                            .outcome = "denied",
		                                            .detail = detail });
		if (r == 0)
			r = problem_setf(p, ERR_UNAUTHENTICATED, "one_time_password_expired", NULL,
			                 "ask an administrator for a new one-time password");
		goto out;
	}
	if (!ok) {
		r = attempt_fail(a, st, &u, &t, "password", "bad_password", in->source, &ls);
		if (r == 0)
			r = ls.state == LOCKOUT_OPEN
			            ? problem_set(p, ERR_UNAUTHENTICATED, "bad_credentials", NULL)
			            : locked_problem(&ls, p);
		goto out;
	}
	if (u.totp_secret && (!in->otp || !*in->otp)) {
		r = problem_set(p, ERR_UNAUTHENTICATED, "otp_required", "otp");
		goto out;
	}

	sid = random_token(SESSION_TOKEN_BYTES);
	csrf = random_token(SESSION_TOKEN_BYTES);
	sha256(sid, strlen(sid), id_hash);
	sha256(csrf, strlen(csrf), csrf_hash);
	now = clock_now();
	r = store_begin(st);
	if (r < 0)
		goto out;
	if (u.totp_secret) {
		r = check_second_factor(a, st, &u, in->otp, &kind, &reason);
		if (r == -ERR_INVALID || r == -ERR_CONFLICT) {
			store_rollback(st);
			r = attempt_fail(a, st, &u, &t, kind, reason, in->source, &ls);
			if (r == 0 && STREQ(reason, "replayed_code")) {
				detail = json_pack("{s:s}", "source", in->source);
				r = audit_record(st, &(struct audit_event){ .actor = &act,
				                                            .action = "totp.replay",
				                                            .object = obj,
				                                            .outcome = "denied",
				                                            .detail = detail });
			}
			if (r == 0)
				r = ls.state == LOCKOUT_OPEN
				            ? problem_set(p, ERR_UNAUTHENTICATED, "bad_otp", "otp")
				            : locked_problem(&ls, p);
			goto out;
		}
		if (r < 0)
			goto rollback;
		used_second = true;
	}
	r = auth_store_login_success(st, u.id, now);
	if (r < 0)
		goto rollback;
	if (pol.single_session) {
		r = auth_store_sessions_end(st, u.id, NULL);
		if (r < 0)
			goto rollback;
	}
	if (in->prior_session && *in->prior_session && strlen(in->prior_session) <= 128) {
		sha256(in->prior_session, strlen(in->prior_session), prior);
		r = auth_store_session_delete(st, prior);
		if (r < 0)
			goto rollback;
	}
	r = auth_store_session_insert(st, id_hash, u.id, csrf_hash, now, in->source,
	                              in->user_agent);
	if (r < 0)
		goto rollback;
	detail = json_pack("{s:[s], s:s}", "factors", "password", "user_agent",
	                   in->user_agent ? in->user_agent : "");
	if (used_second)
		json_array_append_new(json_object_get(detail, "factors"), json_string(kind));
	actor_of(&act, &u, in->source);
	r = audit_append(st, &(struct audit_event){ .actor = &act,
	                                            .action = "login.success",
	                                            .object = obj,
	                                            .detail = detail });
	if (r == 0 && used_second && STREQ(kind, "recovery")) {
		json_t *params = json_pack("{s:s}", "source", in->source);

		r = audit_append(st, &(struct audit_event){ .actor = &act,
		                                            .action = "recovery_code.use",
		                                            .object = obj });
		if (r == 0)
			r = org_notify(st, u.id, "recovery_code_used", params);
		json_decref(params);
	}
	if (r < 0)
		goto rollback;
	r = store_commit(st);
	if (r < 0)
		goto out;
	t.row = 0; /* the success cleared the tally, this attempt with it */

	/* Raise the stored cost when the configured one grew (not fatal if it fails). */
	if (password_needs_rehash(u.pw_hash)) {
		char h[PASSWORD_HASH_MAX];

		if (password_hash(in->password, h) == 0 && store_begin(st) == 0) {
			if (auth_store_set_password(st, u.id, h, u.pw_changed_at, u.must_change_pw,
			                            pol.password.history) == 0)
				(void)store_commit(st);
			else
				store_rollback(st);
		}
		sodium_memzero(h, sizeof(h));
	}
	(void)snprintf(out->session, sizeof(out->session), "%s", sid);
	(void)snprintf(out->csrf, sizeof(out->csrf), "%s", csrf);
	memcpy(out->s.id_hash, id_hash, 32);
	memcpy(out->s.csrf_hash, csrf_hash, 32);
	r = org_user_load(st, u.id, &out->s.user);
	if (r == 0)
		auth_session_flags(a, &out->s);
	goto out;
rollback:
	store_rollback(st);
out:
	attempt_cancel(st, &t); /* refusals that are no guess: a disabled account, ... */
	if (sid) {
		sodium_memzero(sid, strlen(sid));
		free(sid);
	}
	if (csrf) {
		sodium_memzero(csrf, strlen(csrf));
		free(csrf);
	}
	json_decref(detail);
	free(obj);
	user_release(&u);
	return r;
}

/* Context words for password checks: organization name, "isms", department names. */
static int context_words(struct app *a, struct store *st, char ***ret_words)
{
	struct security_policy pol;
	char **names = NULL;
	size_t n = 0;
	int r;

	app_policy(a, &pol);
	r = auth_store_department_names(st, &names, &n);
	if (r < 0) {
		while (n)
			free(names[--n]);
		free(names);
		return r;
	}
	names = xrealloc(names, (n + 3) * sizeof(*names));
	names[n++] = xstrdup("isms");
	if (pol.org_name[0])
		names[n++] = xstrdup(pol.org_name);
	names[n] = NULL;
	*ret_words = names;
	return 0;
}

static void words_free(char **w)
{
	size_t i;

	for (i = 0; w && w[i]; i++)
		free(w[i]);
	free(w);
}

json_t *auth_password_rules(struct app *a)
{
	struct security_policy pol;

	app_policy(a, &pol);
	return json_pack(
	        "{s:s, s:i, s:i, s:i, s:i}", "profile", password_profile_name(pol.password.profile),
	        "min_length", pol.password.min_length, "min_classes", pol.password.min_classes,
	        "history", pol.password.history, "max_age_days", pol.password.max_age_days);
}

int auth_password_try(struct app *a, struct store *st, const struct actor *actor,
                      const char *new_pw, struct problem *p)
{
	struct security_policy pol;
	struct user u = { 0 };
	char **words = NULL;
	int r;

	if (actor->user_id <= 0)
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	app_policy(a, &pol);
	r = org_user_load(st, actor->user_id, &u);
	if (r == 0)
		r = context_words(a, st, &words);
	if (r == 0)
		r = password_check(
		        &pol.password, new_pw,
		        &(struct password_context){ .username = u.username,
		                                    .display_name = u.display_name,
		                                    .context_words = (const char *const *)words },
		        p);
	words_free(words);
	user_release(&u);
	return r;
}

int auth_password_change(struct app *a, struct store *st, const struct actor *actor,
                         const unsigned char *keep_session, const char *old_pw, const char *new_pw,
                         struct problem *p)
{
	struct security_policy pol;
	struct lockout_status ls;
	struct attempt t = { 0 };
	struct user u = { 0 };
	char hash[PASSWORD_HASH_MAX];
	char *history[32] = { 0 };
	char **words = NULL, *obj = NULL;
	int r, nh = 0, i, ended = 0, revoked = 0;

	if (actor->user_id <= 0)
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	app_policy(a, &pol);
	r = org_user_load(st, actor->user_id, &u);
	if (r < 0)
		return r;
	obj = auth_object(u.id);
	/* The current password is a credential like the login's: guessing it here counts
	 * toward the lockout, and a locked account cannot change it (ASVS A6). */
	r = attempt_begin(a, st, actor, &u, obj, "password.change", &t, p);
	if (r < 0)
		goto out;
	if (password_verify(u.pw_hash, old_pw)) {
		attempt_cancel(st, &t);
	} else {
		r = attempt_fail(a, st, &u, &t, "password", "bad_current_password", actor->source,
		                 &ls);
		if (r == 0)
			r = ls.state == LOCKOUT_OPEN
			            ? problem_setf(p, ERR_FORBIDDEN, "bad_credentials",
			                           "old_password", "the current password is wrong")
			            : locked_problem(&ls, p);
		goto out;
	}
	if (STREQ(old_pw, new_pw)) {
		r = problem_setf(p, ERR_INVALID, "weak_password", "new_password",
		                 "must differ from the current password");
		goto out;
	}
	r = context_words(a, st, &words);
	if (r < 0)
		goto out;
	r = password_check(
	        &pol.password, new_pw,
	        &(struct password_context){ .username = u.username,
	                                    .display_name = u.display_name,
	                                    .old_password = old_pw,
	                                    .context_words = (const char *const *)words },
	        p);
	if (r < 0)
		goto out;
	if (pol.password.history > 0) {
		r = auth_store_history(st, u.id,
		                       pol.password.history < 32 ? pol.password.history : 32,
		                       history, &nh);
		if (r < 0)
			goto out;
		for (i = 0; i < nh; i++) {
			if (password_verify(history[i], new_pw)) {
				r = problem_setf(p, ERR_INVALID, "weak_password", "new_password",
				                 "must not be one of your last %d passwords",
				                 pol.password.history);
				goto out;
			}
		}
	}
	r = password_hash(new_pw, hash);
	if (r < 0) {
		r = problem_setf(p, ERR_INVALID, "weak_password", "new_password",
		                 "at most %d characters", PASSWORD_MAX_CODEPOINTS);
		goto out;
	}
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = auth_store_set_password(st, u.id, hash, clock_now(), false,
	                            pol.password.history > 0 ? pol.password.history : 1);
	if (r < 0)
		goto end;
	r = auth_store_credentials_end(st, u.id, keep_session, clock_now(), &ended, &revoked);
	if (r < 0)
		goto end;
	r = audit_change(
	        st, (struct audit_event){ .actor = actor,
	                                  .action = "password.change",
	                                  .object = obj,
	                                  .detail = json_pack("{s:i, s:i}", "sessions_ended", ended,
	                                                      "tokens_revoked", revoked) });
	if (r == 0)
		r = org_notify(st, u.id, "password_changed", NULL);
end:
	r = store_end(st, r);
out:
	for (i = 0; i < nh; i++)
		free(history[i]);
	words_free(words);
	sodium_memzero(hash, sizeof(hash));
	free(obj);
	user_release(&u);
	return r;
}

int auth_totp_begin(struct app *a, struct store *st, const struct actor *actor, json_t **ret,
                    struct problem *p)
{
	struct security_policy pol;
	unsigned char secret[TOTP_SECRET_LEN], *blob = NULL;
	struct user u = { 0 };
	char *b32 = NULL, *uri = NULL, *svg = NULL, *obj = NULL, ad[48];
	size_t blen = 0;
	int r;

	if (actor->user_id <= 0)
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	app_policy(a, &pol);
	r = org_user_load(st, actor->user_id, &u);
	if (r < 0)
		return r;
	if (u.totp_secret) {
		r = problem_setf(p, ERR_CONFLICT, "totp_already_enabled", NULL,
		                 "two-factor login is already set up; ask the security "
		                 "administrator to reset it");
		goto out;
	}
	totp_secret_new(secret);
	totp_ad(u.id, ad);
	seal(app_seal_key(a), ad, secret, sizeof(secret), &blob, &blen);
	b32 = totp_secret_base32(secret, sizeof(secret));
	uri = totp_uri(pol.org_name[0] ? pol.org_name : "isms", u.username, secret, sizeof(secret));
	svg = totp_qr_svg(uri);
	obj = auth_object(u.id);
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = auth_store_set_totp(st, u.id, NULL, 0, blob, blen, u.totp_last_counter);
	if (r == 0)
		r = audit_append(st, &(struct audit_event){ .actor = actor,
		                                            .action = "totp.enroll_start",
		                                            .object = obj });
	r = store_end(st, r);
	if (r < 0)
		goto out;
	*ret = json_pack("{s:s, s:s, s:s}", "secret", b32, "uri", uri, "qr_svg", svg ? svg : "");
out:
	sodium_memzero(secret, sizeof(secret));
	if (b32) {
		sodium_memzero(b32, strlen(b32));
		free(b32);
	}
	if (uri) {
		sodium_memzero(uri, strlen(uri));
		free(uri);
	}
	free(svg);
	free(blob);
	free(obj);
	user_release(&u);
	return r;
}

int auth_totp_confirm(struct app *a, struct store *st, const struct actor *actor, const char *code,
                      json_t **ret, struct problem *p)
{
	unsigned char secret[TOTP_SECRET_LEN + 16];
	char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 1];
	unsigned char hashes[RECOVERY_CODES][32];
	struct user u = { 0 };
	char ad[48], *obj = NULL;
	int64_t counter;
	json_t *list = NULL;
	int r, n;
	size_t i;

	if (actor->user_id <= 0)
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	r = org_user_load(st, actor->user_id, &u);
	if (r < 0)
		return r;
	if (u.totp_secret) {
		r = problem_set(p, ERR_CONFLICT, "totp_already_enabled", NULL);
		goto out;
	}
	if (!u.totp_pending) {
		r = problem_setf(p, ERR_CONFLICT, "totp_not_started", NULL,
		                 "start the enrolment first (POST /api/v1/me/totp)");
		goto out;
	}
	totp_ad(u.id, ad);
	n = unseal(app_seal_key(a), ad, u.totp_pending, u.totp_pending_len, secret, sizeof(secret));
	if (n < 0) {
		r = -ERR_INTERNAL;
		goto out;
	}
	r = totp_validate(secret, (size_t)n, clock_now(), -1, code, &counter);
	sodium_memzero(secret, sizeof(secret));
	if (r < 0) {
		r = problem_setf(p, ERR_INVALID, "bad_otp", "code",
		                 "the code does not match; check the time on your phone");
		goto out;
	}
	recovery_codes_new(codes);
	for (i = 0; i < RECOVERY_CODES; i++)
		(void)recovery_code_hash(codes[i], hashes[i]);
	obj = auth_object(u.id);
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = auth_store_set_totp(st, u.id, u.totp_pending, u.totp_pending_len, NULL, 0, counter);
	if (r == 0)
		r = auth_store_recovery_replace(st, u.id, (const unsigned char(*)[32])hashes,
		                                RECOVERY_CODES);
	if (r == 0)
		r = audit_append(st, &(struct audit_event){ .actor = actor,
		                                            .action = "totp.enable",
		                                            .object = obj });
	if (r == 0)
		r = org_notify(st, u.id, "totp_enabled", NULL);
	r = store_end(st, r);
	if (r < 0)
		goto out;
	list = json_array();
	for (i = 0; i < RECOVERY_CODES; i++)
		json_array_append_new(list, json_string(codes[i]));
	*ret = json_pack("{s:o}", "recovery_codes", list);
out:
	sodium_memzero(codes, sizeof(codes));
	free(obj);
	user_release(&u);
	return r;
}

/* Loads the target of an administrator action and checks it exists. */
static int admin_target(struct store *st, int64_t uid, struct user *u, char **obj)
{
	int r = org_user_load(st, uid, u);

	if (r < 0)
		return r;
	*obj = auth_object(uid);
	return 0;
}

int auth_admin_unlock(struct app *a, struct store *st, const struct actor *actor, int64_t uid,
                      struct problem *p)
{
	struct user u = { 0 };
	char *obj = NULL;
	int r;

	(void)a;
	if (!perm_check(actor, "users.manage", 0) && actor->user_id != 0)
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	r = admin_target(st, uid, &u, &obj);
	if (r < 0)
		return r;
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = auth_store_failures_reset(st, uid, clock_now());
	if (r == 0)
		r = audit_change(
		        st, (struct audit_event){
		                    .actor = actor,
		                    .action = "account.unlock",
		                    .object = obj,
		                    .before = json_pack("{s:b, s:i}", "hard_locked", u.hard_locked,
		                                        "failures", u.fails_since_success),
		                    .detail = json_pack("{s:s}", "reason", "administrator") });
	if (r == 0)
		r = org_notify(st, uid, "account_unlocked", NULL);
	r = store_end(st, r);
out:
	free(obj);
	user_release(&u);
	return r;
}

int auth_admin_reset_password(struct app *a, struct store *st, const struct actor *actor,
                              int64_t uid, char **ret_password, struct problem *p)
{
	struct security_policy pol;
	struct user u = { 0 };
	char hash[PASSWORD_HASH_MAX], *pw = NULL, *obj = NULL;
	int r, ended = 0, revoked = 0;

	if (!perm_check(actor, "users.manage", 0) && actor->user_id != 0)
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (actor->user_id == uid)
		return problem_setf(p, ERR_FORBIDDEN, "forbidden", NULL,
		                    "change your own password with your current one");
	app_policy(a, &pol);
	r = admin_target(st, uid, &u, &obj);
	if (r < 0)
		return r;
	pw = password_generate();
	r = password_hash(pw, hash);
	if (r < 0)
		goto out;
	r = store_begin(st);
	if (r < 0)
		goto out;
	/* ID-3: must change at next login; every session ends; TOTP stays (ASVS A11). */
	r = auth_store_set_password(st, uid, hash, clock_now(), true,
	                            pol.password.history > 0 ? pol.password.history : 1);
	if (r == 0)
		r = auth_store_credentials_end(st, uid, NULL, clock_now(), &ended, &revoked);
	if (r == 0)
		r = audit_change(st,
		                 (struct audit_event){
		                         .actor = actor,
		                         .action = "password.reset",
		                         .object = obj,
		                         .detail = json_pack("{s:i, s:i}", "sessions_ended", ended,
		                                             "tokens_revoked", revoked) });
	if (r == 0)
		r = org_notify(st, uid, "password_reset", NULL);
	r = store_end(st, r);
	if (r == 0) {
		*ret_password = pw;
		pw = NULL;
	}
out:
	if (pw) {
		sodium_memzero(pw, strlen(pw));
		free(pw);
	}
	sodium_memzero(hash, sizeof(hash));
	free(obj);
	user_release(&u);
	return r;
}

int auth_admin_reset_totp(struct app *a, struct store *st, const struct actor *actor, int64_t uid,
                          struct problem *p)
{
	struct user u = { 0 };
	char *obj = NULL;
	int r, ended = 0, revoked = 0;

	(void)a;
	if (!perm_check(actor, "users.grant", 0) && actor->user_id != 0)
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (actor->user_id == uid)
		return problem_setf(p, ERR_FORBIDDEN, "forbidden", NULL,
		                    "another security administrator must reset your second factor");
	r = admin_target(st, uid, &u, &obj);
	if (r < 0)
		return r;
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = auth_store_set_totp(st, uid, NULL, 0, NULL, 0, -1);
	if (r == 0)
		r = auth_store_recovery_replace(st, uid, NULL, 0);
	if (r == 0)
		r = auth_store_credentials_end(st, uid, NULL, clock_now(), &ended, &revoked);
	if (r == 0)
		r = audit_change(
		        st,
		        (struct audit_event){
		                .actor = actor,
		                .action = "totp.reset",
		                .object = obj,
		                .before = json_pack("{s:b}", "totp_enabled", u.totp_secret != NULL),
		                .detail = json_pack("{s:i, s:i}", "sessions_ended", ended,
		                                    "tokens_revoked", revoked) });
	if (r == 0)
		r = org_notify(st, uid, "totp_reset", NULL);
	r = store_end(st, r);
out:
	free(obj);
	user_release(&u);
	return r;
}
