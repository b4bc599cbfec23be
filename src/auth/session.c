/*
 * session.c: resolving a session cookie into an auth_session on every request, the CSRF
 * check and logout. Session ids and CSRF tokens are only ever stored as SHA-256.
 */
#include "core/common.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/util.h"
#include "core/host.h"
#include "settings/settings.h"
#include "audit/audit.h"
#include "auth/auth_int.h"
#include "store/store.h"

#include <sodium.h>

/* last_seen is written at most this often: the idle timeout is minutes, and a write per
 * request would cost an fsync per request. */
#define TOUCH_EVERY 30

void auth_session_release(struct auth_session *s)
{
	user_release(&s->user);
	sodium_memzero(s, sizeof(*s));
}

bool auth_totp_required(const struct security_policy *pol, const struct user *u)
{
	return pol->totp_everyone || (pol->totp_roles & u->roles) ||
	       (pol->totp_heads && u->heads_department);
}

void auth_session_flags(struct app *a, struct auth_session *s)
{
	struct security_policy pol;
	int64_t age;

	app_policy(a, &pol);
	age = clock_now() - s->user.pw_changed_at;
	s->must_change_password =
	        s->user.must_change_pw ||
	        (pol.password.max_age_days > 0 && age > (int64_t)pol.password.max_age_days * 86400);
	s->totp_enrollment_required =
	        auth_totp_required(&pol, &s->user) && s->user.totp_secret == NULL;
}

char *auth_object(int64_t uid)
{
	return xasprintf("user:%" PRId64, uid);
}

int auth_session_resolve(struct app *a, struct store *st, const char *cookie,
                         struct auth_session *ret, struct problem *p)
{
	struct security_policy pol;
	unsigned char h[32], csrf[32];
	int64_t uid, created, seen, now = clock_now();
	int r;

	if (!cookie || !*cookie || strlen(cookie) > 128)
		return problem_set(p, ERR_UNAUTHENTICATED, "unauthenticated", NULL);
	sha256(cookie, strlen(cookie), h);
	memset(ret, 0, sizeof(*ret));
	r = auth_store_session_user(st, h, csrf, &created, &seen, &ret->user);
	if (r <= 0) {
		auth_session_release(ret);
		return r == 0 ? problem_set(p, ERR_UNAUTHENTICATED, "unauthenticated", NULL) : r;
	}
	uid = ret->user.id;
	app_policy(a, &pol);
	if (now - seen > pol.session_idle || now - created > pol.session_absolute) {
		auth_session_release(ret);
		(void)auth_store_session_delete(st, h);
		return problem_set(p, ERR_UNAUTHENTICATED, "session_expired", NULL);
	}
	if (ret->user.disabled) {
		(void)auth_store_sessions_end(st, uid, NULL);
		auth_session_release(ret);
		return problem_set(p, ERR_UNAUTHENTICATED, "unauthenticated", NULL);
	}
	memcpy(ret->id_hash, h, 32);
	memcpy(ret->csrf_hash, csrf, 32);
	if (now - seen >= TOUCH_EVERY)
		(void)auth_store_session_touch(st, h, now);
	auth_session_flags(a, ret);
	return 0;
}

bool auth_csrf_ok(const struct auth_session *s, const char *header)
{
	unsigned char h[32];

	if (s->via_token)
		return true;
	if (!header || !*header || strlen(header) > 128)
		return false;
	sha256(header, strlen(header), h);
	return sodium_memcmp(h, s->csrf_hash, 32) == 0;
}

int auth_logout(struct store *st, const struct actor *a, const unsigned char id_hash[32])
{
	char *obj = auth_object(a->user_id);
	int r;

	r = store_begin(st);
	if (r < 0)
		goto out;
	r = auth_store_session_delete(st, id_hash);
	if (r == 0)
		r = audit_append(
		        st, &(struct audit_event){ .actor = a, .action = "logout", .object = obj });
	r = store_end(st, r);
out:
	free(obj);
	return r;
}

int auth_session_list(struct store *st, const struct actor *a, const unsigned char current[32],
                      json_t **ret_items)
{
	return auth_store_session_list(st, a->user_id, current, ret_items);
}

int auth_sessions_end_others(struct store *st, const struct actor *a, const unsigned char keep[32],
                             int *ret_ended, int *ret_revoked)
{
	char *obj = auth_object(a->user_id);
	json_t *detail = NULL;
	int r, n = 0, t = 0;

	r = store_begin(st);
	if (r < 0)
		goto out;
	r = auth_store_credentials_end(st, a->user_id, keep, clock_now(), &n, &t);
	if (r == 0) {
		detail = json_pack("{s:i, s:i}", "sessions_ended", n, "tokens_revoked", t);
		r = audit_append(st, &(struct audit_event){ .actor = a,
		                                            .action = "sessions.end_others",
		                                            .object = obj,
		                                            .detail = detail });
	}
	r = store_end(st, r);
	if (r == 0) {
		*ret_ended = n;
		*ret_revoked = t;
	}
out:
	json_decref(detail);
	free(obj);
	return r;
}
