/*
 * routes_vault.c: the credential vault over HTTP (src/vault): status, init, unseal and seal;
 * entries (metadata only), reveal, rotation and vendor access; the generator; the reveal
 * record. Bodies that carry a passphrase or a secret are wiped once the verb has run; every
 * answer is sent with Cache-Control: no-store (reply_json).
 */
#include "core/common.h"

#include "app/app.h"
#include "settings/settings.h"
#include "core/spec.h"
#include "http/http.h"
#include "http/routes.h"
#include "cli/cli.h"
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
static const struct spec_field passphrase_fields[] = {
	{ .name = "passphrase",
	  .type = SPEC_TEXT,
	  .flags = SPEC_REQUIRED | SPEC_MULTILINE,
	  .max_len = 1024,
	  .zh = "保管库口令",
	  .en = "the vault passphrase" },
	{ .name = NULL },
};
static const struct spec passphrase_spec = { .fields = passphrase_fields };
static const struct spec_field no_fields[] = { { .name = NULL } };
static const struct spec nothing = { .fields = no_fields };
static const struct spec_field generate_fields[] = {
	{ .name = "length",
	  .type = SPEC_INT,
	  .flags = SPEC_RANGE,
	  .min = VAULT_GENERATE_MIN,
	  .max = VAULT_GENERATE_MAX,
	  .zh = "密码长度",
	  .en = "the length" },
	{ .name = NULL },
};
static const struct spec generate = { .fields = generate_fields };
static const struct spec_field reveal_fields[] = {
	{ .name = "reason",
	  .type = SPEC_TEXT,
	  .flags = SPEC_NULLABLE | SPEC_MULTILINE,
	  .max_len = 2000,
	  .zh = "查看原因",
	  .en = "the reason" },
	{ .name = NULL },
};
static const struct spec reveal_spec = { .fields = reveal_fields };

static int passphrase_body(struct req *rq, const char **ret)
{
	json_t *body;
	int r = req_spec(rq, &passphrase_spec, false, &body);

	if (r == 0)
		*ret = json_string_value(json_object_get(body, "passphrase"));
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
	json_t *status = NULL, *body;
	int r = req_spec(rq, &nothing, true, &body);

	if (r == 0)
		r = vault_seal(rq->app->vault, rq->st, &rq->actor, &status, &rq->problem);
	return reply_status(rq, r, 200, status);
}

int h_vault_generate(struct req *rq)
{
	struct security_policy pol;
	json_t *body, *len;
	char *pw = NULL;
	int r = req_spec(rq, &generate, true, &body);

	len = json_object_get(body, "length");
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
	const char *reason = NULL;
	json_t *body, *out;
	char *secret = NULL;
	int r = req_spec(rq, &reveal_spec, false, &body);

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

/* Credential rotation reminders: due soon, overdue, daily while overdue. */
static int vault_module_tick(struct app *a, struct store *st, int64_t now, json_t *events)
{
	json_t *report = NULL;
	int r = vault_tick(st, now, &report);

	(void)a;
	if (r == 0)
		json_array_extend(events, report);
	json_decref(report);
	return r;
}

/* --- the module (app/module.h) ---------------------------------------------------- */

static const struct permission vault_perms[] = {
	{ "vault.status", PERM_OVERSIGHT, "查看密码保管库状态", "See the state of the vault" },
	{ "vault.init", PERM_SECURITY, "初始化密码保管库", "Initialize the vault" },
	{ "vault.unseal", PERM_OPERATIONS, "解封和封存密码保管库", "Unseal and seal the vault" },
	{ "vault.generate", PERM_OPERATIONS, "生成符合策略的密码",
	  "Generate a password that meets the policy" },
	{ "vault.reveals.read", PERM_OVERSIGHT, "查看密码查看记录",
	  "See who revealed which password" },
	{ "vault.read", PERM_OVERSIGHT, "查看密码登记条目（不含密码）",
	  "See the vault entries (not their passwords)" },
	{ "vault.write", PERM_OPERATIONS, "登记和修改密码条目", "Record and change vault entries" },
	{ "vault.rotate", PERM_OPERATIONS, "更换密码", "Rotate a password" },
	{ "vault.reveal", PERM_OPERATIONS, "查看密码、为厂商开通临时访问",
	  "Reveal a password, open temporary vendor access" },
};

static const struct route vault_routes[] = {
	{ "GET", "/api/v1/vault", h_vault_status, 0, "vault.status" },
	{ "POST", "/api/v1/vault/init", h_vault_init, ROUTE_NO_TOKEN, "vault.init" },
	{ "POST", "/api/v1/vault/unseal", h_vault_unseal, ROUTE_NO_TOKEN, "vault.unseal" },
	{ "POST", "/api/v1/vault/seal", h_vault_seal, ROUTE_NO_TOKEN, "vault.unseal" },
	{ "POST", "/api/v1/vault/generate", h_vault_generate, 0, "vault.generate" },
	{ "GET", "/api/v1/vault/reveals", h_vault_reveals, 0, "vault.reveals.read" },
	{ "GET", "/api/v1/vault/entries", h_vault_entries_list, 0, "vault.read" },
	{ "POST", "/api/v1/vault/entries", h_vault_entries_create, 0, "vault.write" },
	{ "GET", "/api/v1/vault/entries/{id}", h_vault_entry_get, 0, "vault.read" },
	{ "PATCH", "/api/v1/vault/entries/{id}", h_vault_entry_patch, 0, "vault.write" },
	{ "POST", "/api/v1/vault/entries/{id}/rotate", h_vault_entry_rotate, 0, "vault.rotate" },
	{ "POST", "/api/v1/vault/entries/{id}/reveal", h_vault_entry_reveal, ROUTE_NO_TOKEN,
	  "vault.reveal" },
	{ "POST", "/api/v1/vault/entries/{id}/vendor-access", h_vault_entry_vendor_access, 0,
	  "vault.reveal" },
};

static const struct error_text vault_errors[] = {
	{ "wrong_passphrase", "保管库口令错误", "Wrong vault passphrase" },
	{ "vault_locked", "保管库口令连续错误次数过多，已暂时锁定",
	  "Too many wrong vault passphrases: the vault is locked for a while" },
	{ "vault_sealed", "密码保管库已封存，请先用保管库口令解封",
	  "The vault is sealed: unseal it with the vault passphrase first" },
	{ "vault_initialized", "密码保管库已初始化", "The vault is initialized already" },
	{ "vault_uninitialized", "密码保管库尚未初始化，请先设置保管库口令",
	  "The vault is not initialized yet: set its passphrase first" },
	{ "vault_key_invalid",
	  "保管库密钥文件缺失、损坏或与数据库不符，请从备份恢复 keys/vault.key",
	  "The vault key file is missing, damaged or not the one of this database: restore keys/vault.key from the backup" },
	{ "secret_reused", "该密码已被其他条目使用，请使用新密码",
	  "Another entry already uses this password: use a new one" },
};

static const struct cli_command vault_cli[] = {
	{ "vault", cmd_vault, "unseal, seal and check the credential vault (密码登记)" },
};

const struct module vault_module = {
	.name = "vault",
	.perms = MODULE_LIST(vault_perms),
	.routes = MODULE_LIST(vault_routes),
	.errors = MODULE_LIST(vault_errors),
	.cli = MODULE_LIST(vault_cli),
	.tick = vault_module_tick,
};
