/*
 * token.c: API tokens for scripts and sensors (SPEC ID-9): named, scoped, expiring,
 * revocable, audited. A token is "isms_" + 256 random bits; only its SHA-256 is stored and
 * looked up, so checking one costs a hash, never a password KDF.
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
#include "store/store.h"

#include <sodium.h>

#define TOKEN_MAX_DAYS 365

static int scopes_parse(json_t *v, unsigned *ret, struct problem *p)
{
	size_t i;
	json_t *e;

	*ret = 0;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return problem_setf(p, ERR_INVALID, "invalid", "scopes",
		                    "a list of \"read\" and/or \"write\"");
	json_array_foreach(v, i, e) {
		const char *s = json_string_value(e);

		if (s && STREQ(s, "read"))
			*ret |= TOKEN_READ;
		else if (s && STREQ(s, "write"))
			*ret |= TOKEN_WRITE;
		else
			return problem_setf(p, ERR_INVALID, "invalid", "scopes",
			                    "unknown scope at position %zu", i);
	}
	return 0;
}

static json_t *scopes_json(unsigned scopes)
{
	json_t *arr = json_array();

	if (scopes & TOKEN_READ)
		json_array_append_new(arr, json_string("read"));
	if (scopes & TOKEN_WRITE)
		json_array_append_new(arr, json_string("write"));
	return arr;
}

int auth_token_create(struct store *st, const struct actor *actor, json_t *in, json_t **ret,
                      struct problem *p)
{
	const char *name = NULL;
	json_t *jscopes = NULL, *after = NULL, *view = NULL;
	json_int_t days = 90;
	unsigned scopes;
	unsigned char hash[32];
	char *raw = NULL, *token = NULL, *scopes_text = NULL, *obj = NULL;
	char exp[RFC3339_LEN];
	int64_t id = 0, now = clock_now(), expires;
	json_error_t jerr;
	int r;

	if (actor->user_id <= 0)
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (json_unpack_ex(in, &jerr, JSON_STRICT, "{s:s, s:o, s?I}", "name", &name, "scopes",
	                   &jscopes, "expires_in_days", &days) < 0)
		return problem_setf(p, ERR_INVALID, "invalid", NULL, "%s", jerr.text);
	if (!*name || strlen(name) > 100 || !utf8_valid(name, strlen(name), false))
		return problem_setf(p, ERR_INVALID, "invalid", "name", "1 to 100 characters");
	if (days < 1 || days > TOKEN_MAX_DAYS)
		return problem_setf(p, ERR_INVALID, "invalid", "expires_in_days",
		                    "from 1 to %d days", TOKEN_MAX_DAYS);
	r = scopes_parse(jscopes, &scopes, p);
	if (r < 0)
		return r;
	raw = random_token(SESSION_TOKEN_BYTES);
	token = xasprintf(TOKEN_PREFIX "%s", raw);
	sha256(token, strlen(token), hash);
	expires = now + (int64_t)days * 86400;
	{
		json_t *sj = scopes_json(scopes);

		scopes_text = json_dumps(sj, JSON_COMPACT);
		json_decref(sj);
	}
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = auth_store_token_insert(st, actor->user_id, name, hash, scopes_text, now, expires, &id);
	if (r < 0)
		goto end;
	time_format_rfc3339(expires, exp);
	view = json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)id, "name", name, "scopes",
	                 scopes_json(scopes), "expires_at", exp);
	obj = xasprintf("token:%" PRId64, id);
	r = audit_append(st, &(struct audit_event){ .actor = actor,
	                                            .action = "token.create",
	                                            .object = obj,
	                                            .after = view });
end:
	r = store_end(st, r);
	if (r == 0) {
		after = json_deep_copy(view);
		json_object_set_new(after, "token", json_string(token));
		*ret = after;
	}
out:
	json_decref(view);
	if (token) {
		sodium_memzero(token, strlen(token));
		free(token);
	}
	if (raw) {
		sodium_memzero(raw, strlen(raw));
		free(raw);
	}
	free(scopes_text);
	free(obj);
	return r;
}

/* One's own tokens, or (the security administrator) anyone's. */
static int may_manage(const struct actor *actor, int64_t uid, struct problem *p)
{
	if (actor->user_id <= 0 || (actor->user_id != uid && !perm_check(actor, "users.grant", 0)))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	return 0;
}

int auth_token_list(struct store *st, const struct actor *actor, int64_t uid, json_t **ret_items,
                    struct problem *p)
{
	int r = may_manage(actor, uid, p);

	return r < 0 ? r : auth_store_token_list(st, uid, ret_items);
}

int auth_token_revoke(struct store *st, const struct actor *actor, int64_t uid, int64_t id,
                      struct problem *p)
{
	char *obj = xasprintf("token:%" PRId64, id);
	json_t *detail = NULL;
	int r = may_manage(actor, uid, p);

	if (r < 0)
		goto out;
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = auth_store_token_revoke(st, uid, id, clock_now());
	if (r == 0)
		r = problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
	if (r > 0) {
		detail = json_pack("{s:I}", "user_id", (json_int_t)uid);
		r = audit_append(st, &(struct audit_event){ .actor = actor,
		                                            .action = "token.revoke",
		                                            .object = obj,
		                                            .detail = detail });
	}
	/* A token revoked by the security administrator: its owner is told. */
	if (r == 0 && uid != actor->user_id) {
		json_t *params = json_pack("{s:I}", "token_id", (json_int_t)id);

		r = org_notify(st, uid, "token_revoked", params);
		json_decref(params);
	}
	r = store_end(st, r);
out:
	json_decref(detail);
	free(obj);
	return r;
}

int auth_token_resolve(struct app *a, struct store *st, const char *token, struct auth_session *ret,
                       struct problem *p)
{
	unsigned char h[32];
	int64_t id, uid, used, now = clock_now();
	char *scopes = NULL;
	json_t *js;
	int r;

	if (!token || strncmp(token, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0 ||
	    strlen(token) > 128)
		return problem_set(p, ERR_UNAUTHENTICATED, "unauthenticated", NULL);
	sha256(token, strlen(token), h);
	r = auth_store_token_get(st, h, now, &id, &uid, &scopes, &used);
	if (r < 0)
		return r;
	if (r == 0)
		return problem_set(p, ERR_UNAUTHENTICATED, "unauthenticated", NULL);
	memset(ret, 0, sizeof(*ret));
	r = org_user_load(st, uid, &ret->user);
	if (r < 0 || ret->user.disabled) {
		if (r == 0)
			auth_session_release(ret);
		free(scopes);
		return problem_set(p, ERR_UNAUTHENTICATED, "unauthenticated", NULL);
	}
	ret->via_token = true;
	ret->token_id = id;
	js = json_loads(scopes, 0, NULL);
	free(scopes);
	(void)scopes_parse(js, &ret->token_scopes, NULL);
	json_decref(js);
	if (now - used >= 60)
		(void)auth_store_token_touch(st, id, now);
	auth_session_flags(a, ret);
	return 0;
}
