/*
 * routes_vault.c: the credential vault over HTTP (src/vault): status, init, unseal and seal;
 * entries (metadata only), reveal, rotation and vendor access; the generator; the reveal
 * record. Bodies that carry a passphrase or a secret are wiped once the verb has run; every
 * answer is sent with Cache-Control: no-store (reply_json).
 */
#include "core/common.h"

#include "app/app.h"
#include "app/settings.h"
#include "http/http.h"
#include "http/routes.h"
#include "vault/vault.h"

#include <sodium.h>

/* Wipes the raw body and the parsed copy of a secret member. */
static void wipe_body(struct req *rq, const char *key)
{
	json_t *v = rq->json ? json_object_get(rq->json, key) : NULL;

	if (json_is_string(v))
		sodium_memzero((char *)(uintptr_t)json_string_value(v), json_string_length(v));
	if (rq->body.len > 0)
		sodium_memzero(rq->body.data, rq->body.len);
}

static void free_secret(char *s)
{
	if (s) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

static int reply_status(struct req *rq, int r, unsigned code, json_t *status)
{
	if (r < 0)
		return r;
	return reply_json(rq, code, status);
}

int h_vault_status(struct req *rq)
{
	json_t *status = NULL;
	int r = vault_status(rq->app->vault, rq->st, &rq->actor, &status, &rq->problem);

	return reply_status(rq, r, 200, status);
}

/* The {"passphrase"} body of init and unseal; borrowed from rq->json. */
static int passphrase_body(struct req *rq, const char **ret)
{
	static const char *const allowed[] = { "passphrase", NULL };
	json_t *body;
	int r = req_body(rq, &body);

	if (r == 0)
		r = body_only(rq, body, allowed);
	if (r == 0)
		r = body_string(rq, body, "passphrase", true, 1024, ret);
	return r;
}

int h_vault_init(struct req *rq)
{
	struct security_policy pol;
	const char *pass = NULL;
	json_t *status = NULL;
	int r = passphrase_body(rq, &pass);

	app_policy(rq->app, &pol);
	if (r == 0)
		r = vault_init(rq->app->vault, rq->st, &rq->actor, &pol.password, pass, &status,
		               &rq->problem);
	wipe_body(rq, "passphrase");
	return reply_status(rq, r, 201, status);
}

int h_vault_unseal(struct req *rq)
{
	const char *pass = NULL;
	json_t *status = NULL;
	int r = passphrase_body(rq, &pass);

	if (r == 0)
		r = vault_unseal(rq->app->vault, rq->st, &rq->actor, pass, &status, &rq->problem);
	wipe_body(rq, "passphrase");
	return reply_status(rq, r, 200, status);
}

int h_vault_seal(struct req *rq)
{
	static const char *const allowed[] = { NULL };
	json_t *status = NULL;
	int r = rq->json ? body_only(rq, rq->json, allowed) : 0;

	if (r == 0)
		r = vault_seal(rq->app->vault, rq->st, &rq->actor, &status, &rq->problem);
	return reply_status(rq, r, 200, status);
}

int h_vault_generate(struct req *rq)
{
	static const char *const allowed[] = { "length", NULL };
	struct security_policy pol;
	json_t *len = rq->json ? json_object_get(rq->json, "length") : NULL;
	char *pw = NULL;
	int r = rq->json ? body_only(rq, rq->json, allowed) : 0;

	if (r == 0 && len && !json_is_integer(len))
		r = problem_setf(&rq->problem, ERR_INVALID, "invalid", "length",
		                 "a whole number from %d to %d", VAULT_GENERATE_MIN,
		                 VAULT_GENERATE_MAX);
	if (r == 0 && len &&
	    (json_integer_value(len) < VAULT_GENERATE_MIN ||
	     json_integer_value(len) > VAULT_GENERATE_MAX))
		r = problem_setf(&rq->problem, ERR_INVALID, "invalid", "length",
		                 "a whole number from %d to %d", VAULT_GENERATE_MIN,
		                 VAULT_GENERATE_MAX);
	app_policy(rq->app, &pol);
	if (r == 0)
		r = vault_generate(&pol.password, len ? (int)json_integer_value(len) : 0, &pw,
		                   &rq->problem);
	if (r < 0)
		return r;
	r = reply_json(rq, 200, json_pack("{s:s}", "password", pw));
	free_secret(pw);
	return r;
}

int h_vault_entries_list(struct req *rq)
{
	json_t *items = NULL;
	int64_t after, next = 0;
	int limit, r = req_page(rq, &limit, &after);

	if (r == 0)
		r = vault_entry_list(rq->st, &rq->actor, req_query(rq, "kind"), after, limit,
		                     &items, &next, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

/* {entry, secret?}: the generated secret is in the answer once, then wiped here. */
static int reply_with_secret(struct req *rq, int r, unsigned code, json_t *out)
{
	json_t *s;

	if (r < 0)
		return r;
	s = json_object_get(out, "secret");
	r = reply_json(rq, code, json_incref(out));
	if (json_is_string(s))
		sodium_memzero((char *)(uintptr_t)json_string_value(s), json_string_length(s));
	json_decref(out);
	return r;
}

int h_vault_entries_create(struct req *rq)
{
	struct security_policy pol;
	json_t *body, *out = NULL;
	int r = req_body(rq, &body);

	app_policy(rq->app, &pol);
	if (r == 0)
		r = vault_entry_create(rq->app->vault, rq->st, &rq->actor, &pol.password, body,
		                       &out, &rq->problem);
	wipe_body(rq, "secret");
	return reply_with_secret(rq, r, 201, out);
}

int h_vault_entry_get(struct req *rq)
{
	json_t *e = NULL;
	int r = vault_entry_get(rq->st, &rq->actor, rq->params[0], &e, &rq->problem);

	if (r < 0)
		return r;
	return reply_json(rq, 200, e);
}

int h_vault_entry_patch(struct req *rq)
{
	json_t *body, *e = NULL;
	int r = req_body(rq, &body);

	if (r == 0)
		r = vault_entry_update(rq->st, &rq->actor, rq->params[0], body, &e, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, e);
}

int h_vault_entry_rotate(struct req *rq)
{
	struct security_policy pol;
	json_t *body, *out = NULL;
	int r = req_body(rq, &body);

	app_policy(rq->app, &pol);
	if (r == 0)
		r = vault_entry_rotate(rq->app->vault, rq->st, &rq->actor, &pol.password,
		                       rq->params[0], body, &out, &rq->problem);
	wipe_body(rq, "secret");
	return reply_with_secret(rq, r, 200, out);
}

int h_vault_entry_reveal(struct req *rq)
{
	static const char *const allowed[] = { "reason", NULL };
	const char *reason = NULL;
	json_t *body, *out;
	char *secret = NULL;
	int r = req_body(rq, &body);

	if (r == 0)
		r = body_only(rq, body, allowed);
	if (r == 0 && json_object_get(body, "reason") &&
	    !json_is_string(json_object_get(body, "reason")))
		r = problem_setf(&rq->problem, ERR_INVALID, "invalid", "reason", "must be text");
	if (r == 0) {
		reason = json_string_value(json_object_get(body, "reason"));
		r = vault_entry_reveal(rq->app->vault, rq->st, &rq->actor, rq->params[0], reason,
		                       &secret, &rq->problem);
	}
	if (r < 0)
		return r;
	out = json_pack("{s:s, s:i}", "secret", secret, "hide_after", VAULT_HIDE_AFTER);
	free_secret(secret);
	return reply_with_secret(rq, 0, 200, out);
}

int h_vault_entry_vendor_access(struct req *rq)
{
	json_t *body, *e = NULL;
	int r = req_body(rq, &body);

	if (r == 0)
		r = vault_entry_vendor_access(rq->st, &rq->actor, rq->params[0], body, &e,
		                              &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, e);
}

int h_vault_reveals(struct req *rq)
{
	json_t *items = NULL;
	int64_t after, entry = 0, next = 0;
	int limit, r = req_page(rq, &limit, &after);

	if (r == 0)
		r = req_query_id(rq, "entry_id", &entry);
	if (r == 0)
		r = vault_reveal_list(rq->st, &rq->actor, entry, after, limit, &items, &next,
		                      &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}
