/*
 * auth_store.c: every SQL statement of the authentication module.
 */
#include "core/common.h"
#include "core/clock.h"
#include "auth/auth_int.h"
#include "org/org_store.h"
#include "store/store.h"

static const char SQL_FAILURES[] =
        "SELECT at FROM auth_failures WHERE user_id = $1 AND at >= $2 ORDER BY at DESC LIMIT $3";

int auth_store_failures(struct store *st, int64_t uid, int64_t since, int64_t *times, size_t *ret_n)
{
	struct stmt *s = store_stmt(st, SQL_FAILURES);
	size_t n = 0;
	int r;

	store_bind_int(s, 1, uid);
	store_bind_int(s, 2, since);
	store_bind_int(s, 3, FAILURES_MAX);
	while ((r = store_step(st, s)) == 1 && n < FAILURES_MAX)
		times[n++] = store_col_int(s, 0);
	store_reset(s);
	if (r < 0)
		return r;
	*ret_n = n;
	return 0;
}

static const char SQL_PENDING[] =
        "SELECT count(*) FROM auth_failures WHERE user_id = $1 AND kind = 'pending'";

int auth_store_pending(struct store *st, int64_t uid, int *ret_n)
{
	int64_t n = 0;
	int r = store_query_int(st, SQL_PENDING, uid, &n);

	if (r < 0)
		return r;
	*ret_n = (int)n;
	return 0;
}

static const char SQL_ATTEMPT_BEGIN[] =
        "INSERT INTO auth_failures (user_id, at, kind) VALUES ($1, $2, 'pending')";

int auth_store_attempt_begin(struct store *st, int64_t uid, int64_t at, int64_t *ret_row)
{
	struct stmt *s = store_stmt(st, SQL_ATTEMPT_BEGIN);
	int r;

	store_bind_int(s, 1, uid);
	store_bind_int(s, 2, at);
	r = store_exec_stmt(st, s);
	if (r == 0)
		*ret_row = store_last_id(st);
	return r;
}

static const char SQL_ATTEMPT_CANCEL[] =
        "DELETE FROM auth_failures WHERE rowid = $1 AND kind = 'pending'";

int auth_store_attempt_cancel(struct store *st, int64_t row)
{
	struct stmt *s = store_stmt(st, SQL_ATTEMPT_CANCEL);

	store_bind_int(s, 1, row);
	return store_exec_stmt(st, s);
}

static const char SQL_ATTEMPT_FAIL[] =
        "UPDATE auth_failures SET kind = $2 WHERE rowid = $1 AND kind = 'pending'";
static const char SQL_FAILURE_ADD[] =
        "INSERT INTO auth_failures (user_id, at, kind) VALUES ($1, $2, $3)";
static const char SQL_FAILURE_COUNT[] =
        "UPDATE users SET fails_since_success = fails_since_success + 1, "
        "hard_locked = CASE WHEN fails_since_success + 1 >= $2 THEN 1 ELSE hard_locked END "
        "WHERE id = $1";
static const char SQL_FAILURE_PRUNE[] = "DELETE FROM auth_failures WHERE user_id = $1 AND at < $2";

int auth_store_attempt_fail(struct store *st, int64_t uid, int64_t row, int64_t at,
                            const char *kind, int ceiling)
{
	struct stmt *s = store_stmt(st, SQL_ATTEMPT_FAIL);
	int r;

	store_bind_int(s, 1, row);
	store_bind_text(s, 2, kind);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	if (store_changes(st) == 0) {
		/* A success meanwhile cleared the tally with this attempt's pending row: the
		 * failure counts after it. */
		s = store_stmt(st, SQL_FAILURE_ADD);
		store_bind_int(s, 1, uid);
		store_bind_int(s, 2, at);
		store_bind_text(s, 3, kind);
		r = store_exec_stmt(st, s);
		if (r < 0)
			return r;
	}
	s = store_stmt(st, SQL_FAILURE_COUNT);
	store_bind_int(s, 1, uid);
	store_bind_int(s, 2, ceiling);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	/* Keep the table small: older than a day never counts again. */
	s = store_stmt(st, SQL_FAILURE_PRUNE);
	store_bind_int(s, 1, uid);
	store_bind_int(s, 2, at - 86400);
	return store_exec_stmt(st, s);
}

static const char SQL_FAILURES_RESET[] =
        "UPDATE users SET fail_reset_at = $2, fails_since_success = 0, hard_locked = 0 "
        "WHERE id = $1";

/*
 * A success or an unlock clears the tally, as pam_faillock does. Moving fail_reset_at alone
 * is not enough: failure times are whole seconds, so a failure recorded earlier in the same
 * second as the reset would still count (at >= fail_reset_at).
 */
static const char SQL_FAILURES_CLEAR[] =
        "DELETE FROM auth_failures WHERE user_id = $1 AND at <= $2";

static int failures_clear(struct store *st, int64_t uid, int64_t at)
{
	struct stmt *s = store_stmt(st, SQL_FAILURES_CLEAR);

	store_bind_int(s, 1, uid);
	store_bind_int(s, 2, at);
	return store_exec_stmt(st, s);
}

int auth_store_failures_reset(struct store *st, int64_t uid, int64_t at)
{
	struct stmt *s = store_stmt(st, SQL_FAILURES_RESET);
	int r;

	store_bind_int(s, 1, uid);
	store_bind_int(s, 2, at);
	r = store_exec_stmt(st, s);
	return r < 0 ? r : failures_clear(st, uid, at);
}

static const char SQL_TIMED_UNLOCK[] = "UPDATE users SET fail_reset_at = $2 WHERE id = $1";

int auth_store_timed_unlock(struct store *st, int64_t uid, int64_t at)
{
	struct stmt *s = store_stmt(st, SQL_TIMED_UNLOCK);
	int r;

	store_bind_int(s, 1, uid);
	store_bind_int(s, 2, at);
	r = store_exec_stmt(st, s);
	return r < 0 ? r : failures_clear(st, uid, at);
}

static const char SQL_LOGIN_SUCCESS[] =
        "UPDATE users SET fail_reset_at = $2, fails_since_success = 0, last_login_at = $2 "
        "WHERE id = $1";

int auth_store_login_success(struct store *st, int64_t uid, int64_t at)
{
	struct stmt *s = store_stmt(st, SQL_LOGIN_SUCCESS);
	int r;

	store_bind_int(s, 1, uid);
	store_bind_int(s, 2, at);
	r = store_exec_stmt(st, s);
	return r < 0 ? r : failures_clear(st, uid, at);
}

static const char SQL_SET_PASSWORD[] =
        "UPDATE users SET pw_hash = $2, pw_changed_at = $3, must_change_pw = $4, "
        "version = version + 1 WHERE id = $1";
static const char SQL_HISTORY_ADD[] =
        "INSERT INTO password_history (user_id, pw_hash, created_at) VALUES ($1, $2, $3)";
static const char SQL_HISTORY_TRIM[] =
        "DELETE FROM password_history WHERE user_id = $1 AND rowid NOT IN "
        "(SELECT rowid FROM password_history WHERE user_id = $1 "
        " ORDER BY created_at DESC, rowid DESC LIMIT $2)";

int auth_store_set_password(struct store *st, int64_t uid, const char *hash, int64_t at,
                            bool must_change, int keep_history)
{
	struct stmt *s = store_stmt(st, SQL_SET_PASSWORD);
	int r;

	store_bind_int(s, 1, uid);
	store_bind_text(s, 2, hash);
	store_bind_int(s, 3, at);
	store_bind_int(s, 4, must_change);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	s = store_stmt(st, SQL_HISTORY_ADD);
	store_bind_int(s, 1, uid);
	store_bind_text(s, 2, hash);
	store_bind_int(s, 3, at);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	s = store_stmt(st, SQL_HISTORY_TRIM);
	store_bind_int(s, 1, uid);
	store_bind_int(s, 2, keep_history < 1 ? 1 : keep_history);
	return store_exec_stmt(st, s);
}

static const char SQL_HISTORY[] = "SELECT pw_hash FROM password_history WHERE user_id = $1 "
                                  "ORDER BY created_at DESC, rowid DESC LIMIT $2";

int auth_store_history(struct store *st, int64_t uid, int max, char **hashes, int *ret_n)
{
	struct stmt *s = store_stmt(st, SQL_HISTORY);
	int r, n = 0;

	store_bind_int(s, 1, uid);
	store_bind_int(s, 2, max);
	while ((r = store_step(st, s)) == 1 && n < max)
		hashes[n++] = xstrdup(store_col_text(s, 0));
	store_reset(s);
	*ret_n = n;
	return r < 0 ? r : 0;
}

static const char SQL_SET_TOTP[] =
        "UPDATE users SET totp_secret = $2, totp_pending = $3, totp_last_counter = $4, "
        "version = version + 1 WHERE id = $1";

int auth_store_set_totp(struct store *st, int64_t uid, const unsigned char *secret, size_t slen,
                        const unsigned char *pending, size_t plen, int64_t last_counter)
{
	struct stmt *s = store_stmt(st, SQL_SET_TOTP);

	store_bind_int(s, 1, uid);
	store_bind_blob(s, 2, secret, slen);
	store_bind_blob(s, 3, pending, plen);
	store_bind_int(s, 4, last_counter);
	return store_exec_stmt(st, s);
}

static const char SQL_TOTP_COUNTER[] =
        "UPDATE users SET totp_last_counter = $2 WHERE id = $1 AND totp_last_counter < $2";

int auth_store_totp_counter(struct store *st, int64_t uid, int64_t counter)
{
	struct stmt *s = store_stmt(st, SQL_TOTP_COUNTER);
	int r;

	store_bind_int(s, 1, uid);
	store_bind_int(s, 2, counter);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 0 : -ERR_CONFLICT;
}

static const char SQL_RECOVERY_CLEAR[] = "DELETE FROM recovery_codes WHERE user_id = $1";
static const char SQL_RECOVERY_ADD[] =
        "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)";

int auth_store_recovery_replace(struct store *st, int64_t uid, const unsigned char (*hashes)[32],
                                size_t n)
{
	struct stmt *s = store_stmt(st, SQL_RECOVERY_CLEAR);
	size_t i;
	int r;

	store_bind_int(s, 1, uid);
	r = store_exec_stmt(st, s);
	for (i = 0; r == 0 && i < n; i++) {
		s = store_stmt(st, SQL_RECOVERY_ADD);
		store_bind_int(s, 1, uid);
		store_bind_blob(s, 2, hashes[i], 32);
		r = store_exec_stmt(st, s);
	}
	return r;
}

static const char SQL_RECOVERY_USE[] =
        "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 "
        "AND used_at IS NULL";

int auth_store_recovery_use(struct store *st, int64_t uid, const unsigned char hash[32], int64_t at)
{
	struct stmt *s = store_stmt(st, SQL_RECOVERY_USE);
	int r;

	store_bind_int(s, 1, uid);
	store_bind_blob(s, 2, hash, 32);
	store_bind_int(s, 3, at);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 1 : 0;
}

static const char SQL_DEPARTMENT_NAMES[] = "SELECT name FROM departments ORDER BY id LIMIT 500";

int auth_store_department_names(struct store *st, char ***ret_names, size_t *ret_n)
{
	struct stmt *s = store_stmt(st, SQL_DEPARTMENT_NAMES);
	char **names = xcalloc(501, sizeof(*names));
	size_t n = 0;
	int r;

	while ((r = store_step(st, s)) == 1 && n < 500)
		names[n++] = xstrdup(store_col_text(s, 0));
	store_reset(s);
	*ret_names = names;
	*ret_n = n;
	return r < 0 ? r : 0;
}

static const char SQL_SESSION_INSERT[] =
        "INSERT INTO sessions (id_hash, user_id, csrf_hash, created_at, last_seen, source, "
        "user_agent) VALUES ($1, $2, $3, $4, $4, $5, $6)";

int auth_store_session_insert(struct store *st, const unsigned char id_hash[32], int64_t uid,
                              const unsigned char csrf_hash[32], int64_t now, const char *source,
                              const char *ua)
{
	struct stmt *s = store_stmt(st, SQL_SESSION_INSERT);

	store_bind_blob(s, 1, id_hash, 32);
	store_bind_int(s, 2, uid);
	store_bind_blob(s, 3, csrf_hash, 32);
	store_bind_int(s, 4, now);
	store_bind_text(s, 5, source);
	store_bind_text(s, 6, ua ? ua : "");
	return store_exec_stmt(st, s);
}

static const char SQL_SESSION_USER[] =
        "SELECT sessions.csrf_hash, sessions.created_at, sessions.last_seen, " ORG_USER_COLUMNS
        " FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id_hash = $1";

int auth_store_session_user(struct store *st, const unsigned char id_hash[32],
                            unsigned char csrf_hash[32], int64_t *ret_created, int64_t *ret_seen,
                            struct user *ret_user)
{
	struct stmt *s = store_stmt(st, SQL_SESSION_USER);
	int r;

	store_bind_blob(s, 1, id_hash, 32);
	r = store_step(st, s);
	if (r == 1) {
		if (store_col_bytes(s, 0) == 32)
			memcpy(csrf_hash, store_col_blob(s, 0), 32);
		else
			memset(csrf_hash, 0, 32);
		*ret_created = store_col_int(s, 1);
		*ret_seen = store_col_int(s, 2);
		org_store_user_from_row(s, 3, ret_user);
	}
	store_reset(s);
	return r;
}

static const char SQL_SESSION_TOUCH[] = "UPDATE sessions SET last_seen = $2 WHERE id_hash = $1";

int auth_store_session_touch(struct store *st, const unsigned char id_hash[32], int64_t now)
{
	struct stmt *s = store_stmt(st, SQL_SESSION_TOUCH);

	store_bind_blob(s, 1, id_hash, 32);
	store_bind_int(s, 2, now);
	return store_exec_stmt(st, s);
}

static const char SQL_SESSION_DELETE[] = "DELETE FROM sessions WHERE id_hash = $1";

int auth_store_session_delete(struct store *st, const unsigned char id_hash[32])
{
	struct stmt *s = store_stmt(st, SQL_SESSION_DELETE);

	store_bind_blob(s, 1, id_hash, 32);
	return store_exec_stmt(st, s);
}

static const char SQL_SESSIONS_END_EXCEPT[] =
        "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id_hash <> $2)";

int auth_store_sessions_end(struct store *st, int64_t uid, const unsigned char *keep)
{
	struct stmt *s = store_stmt(st, SQL_SESSIONS_END_EXCEPT);
	int r;

	store_bind_int(s, 1, uid);
	store_bind_blob(s, 2, keep, keep ? 32 : 0);
	r = store_exec_stmt(st, s);
	return r < 0 ? r : store_changes(st);
}

static const char SQL_TOKEN_INSERT[] =
        "INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)";

int auth_store_token_insert(struct store *st, int64_t uid, const char *name,
                            const unsigned char hash[32], const char *scopes, int64_t now,
                            int64_t expires, int64_t *ret_id)
{
	struct stmt *s = store_stmt(st, SQL_TOKEN_INSERT);
	int r;

	store_bind_int(s, 1, uid);
	store_bind_text(s, 2, name);
	store_bind_blob(s, 3, hash, 32);
	store_bind_text(s, 4, scopes);
	store_bind_int(s, 5, now);
	store_bind_int(s, 6, expires);
	r = store_exec_stmt(st, s);
	if (r == 0)
		*ret_id = store_last_id(st);
	return r;
}

static const char SQL_TOKEN_GET[] =
        "SELECT id, user_id, scopes, coalesce(last_used_at, 0) FROM api_tokens "
        "WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2";

int auth_store_token_get(struct store *st, const unsigned char hash[32], int64_t now,
                         int64_t *ret_id, int64_t *ret_uid, char **ret_scopes, int64_t *ret_used)
{
	struct stmt *s = store_stmt(st, SQL_TOKEN_GET);
	int r;

	store_bind_blob(s, 1, hash, 32);
	store_bind_int(s, 2, now);
	r = store_step(st, s);
	if (r == 1) {
		*ret_id = store_col_int(s, 0);
		*ret_uid = store_col_int(s, 1);
		*ret_scopes = xstrdup(store_col_text(s, 2));
		*ret_used = store_col_int(s, 3);
	}
	store_reset(s);
	return r;
}

static const char SQL_TOKEN_TOUCH[] = "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1";

int auth_store_token_touch(struct store *st, int64_t id, int64_t now)
{
	struct stmt *s = store_stmt(st, SQL_TOKEN_TOUCH);

	store_bind_int(s, 1, id);
	store_bind_int(s, 2, now);
	return store_exec_stmt(st, s);
}

static const char SQL_TOKEN_LIST[] =
        "SELECT id, name, scopes, created_at, expires_at, revoked_at, last_used_at "
        "FROM api_tokens WHERE user_id = $1 ORDER BY id DESC LIMIT 200";

static json_t *time_or_null(struct stmt *s, int i)
{
	char t[RFC3339_LEN];

	if (store_col_is_null(s, i))
		return json_null();
	time_format_rfc3339(store_col_int(s, i), t);
	return json_string(t);
}

int auth_store_token_list(struct store *st, int64_t uid, json_t **ret_items)
{
	struct stmt *s = store_stmt(st, SQL_TOKEN_LIST);
	json_t *items = json_array();
	int r;

	store_bind_int(s, 1, uid);
	while ((r = store_step(st, s)) == 1) {
		json_t *scopes = json_loads(store_col_text(s, 2), 0, NULL);

		json_array_append_new(items, json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
		                                       (json_int_t)store_col_int(s, 0), "name",
		                                       store_col_text(s, 1), "scopes",
		                                       scopes ? scopes : json_array(), "created_at",
		                                       time_or_null(s, 3), "expires_at",
		                                       time_or_null(s, 4), "revoked_at",
		                                       time_or_null(s, 5), "last_used_at",
		                                       time_or_null(s, 6)));
	}
	store_reset(s);
	if (r < 0) {
		json_decref(items);
		return r;
	}
	*ret_items = items;
	return 0;
}

static const char SQL_TOKEN_REVOKE[] =
        "UPDATE api_tokens SET revoked_at = $3 WHERE id = $2 AND user_id = $1 "
        "AND revoked_at IS NULL";

int auth_store_token_revoke(struct store *st, int64_t uid, int64_t id, int64_t now)
{
	struct stmt *s = store_stmt(st, SQL_TOKEN_REVOKE);
	int r;

	store_bind_int(s, 1, uid);
	store_bind_int(s, 2, id);
	store_bind_int(s, 3, now);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	return store_changes(st) == 1 ? 1 : 0;
}

static const char SQL_TOKENS_REVOKE_ALL[] =
        "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";

int auth_store_credentials_end(struct store *st, int64_t uid, const unsigned char *keep,
                               int64_t now, int *ret_sessions, int *ret_tokens)
{
	struct stmt *s;
	int r = auth_store_sessions_end(st, uid, keep);

	if (r < 0)
		return r;
	*ret_sessions = r;
	s = store_stmt(st, SQL_TOKENS_REVOKE_ALL);
	store_bind_int(s, 1, uid);
	store_bind_int(s, 2, now);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	*ret_tokens = store_changes(st);
	return 0;
}

static const char SQL_SESSION_LIST[] =
        "SELECT id_hash, created_at, last_seen, source, user_agent FROM sessions "
        "WHERE user_id = $1 ORDER BY last_seen DESC LIMIT 100";

int auth_store_session_list(struct store *st, int64_t uid, const unsigned char *current,
                            json_t **ret_items)
{
	struct stmt *s = store_stmt(st, SQL_SESSION_LIST);
	json_t *items = json_array();
	int r;

	store_bind_int(s, 1, uid);
	while ((r = store_step(st, s)) == 1) {
		bool cur = current && store_col_bytes(s, 0) == 32 &&
		           memcmp(store_col_blob(s, 0), current, 32) == 0;

		json_array_append_new(items,
		                      json_pack("{s:o, s:o, s:s, s:s, s:b}", "created_at",
		                                time_or_null(s, 1), "last_seen", time_or_null(s, 2),
		                                "source", store_col_text(s, 3), "user_agent",
		                                store_col_text(s, 4), "current", cur));
	}
	store_reset(s);
	if (r < 0) {
		json_decref(items);
		return r;
	}
	*ret_items = items;
	return 0;
}
