/*
 * notify.c: the verbs of notify.h. Channel management (validation, sealing of secrets,
 * audit entries), the queue (notify_enqueue) and the worker step (notify_deliver_due) that
 * claims due deliveries, sends them outside any transaction through smtp.c or webhook.c and
 * records each outcome with its backoff.
 */
#include "core/common.h"
#include "core/perm.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "audit/audit.h"
#include "notify/notify_int.h"
#include "store/store.h"

#include <sodium.h>

#define URL_MAX    1024
#define SECRET_MAX 256
#define EMAIL_MAX  254
/* Seconds a claimed delivery is hidden from other workers: longer than the whole batch
 * can take, so no delivery is sent twice by two workers. */
#define LEASE(max) (60 + (int64_t)(max)*NOTIFY_TOTAL_TIMEOUT)

/* The wait after failed attempt n (1..5); the 6th failure is final. */
static const int64_t backoff[NOTIFY_MAX_ATTEMPTS - 1] = { 60, 300, 1800, 7200, 21600 };

static const char *const kind_names[NOTIFY_KIND__COUNT] = {
	[NOTIFY_EMAIL] = "email",
	[NOTIFY_WECOM] = "wecom",
	[NOTIFY_DINGTALK] = "dingtalk",
	[NOTIFY_FEISHU] = "feishu",
};

const char *notify_kind_to_string(enum notify_kind k)
{
	if ((unsigned)k >= NOTIFY_KIND__COUNT)
		return NULL;
	return kind_names[k];
}

int notify_kind_from_string(const char *s)
{
	size_t i;

	for (i = 0; s && i < NOTIFY_KIND__COUNT; i++)
		if (STREQ(s, kind_names[i]))
			return (int)i;
	return -ERR_INVALID;
}

static bool may_manage(const struct actor *a)
{
	return a->user_id == 0 || perm_check(a, "channels.manage", 0);
}

/* --- validation ------------------------------------------------------------------- */

/* Printable ASCII without spaces, quotes or angle brackets: what a URL or address may hold
 * here, so none can smuggle a header line or an SMTP command. */
static bool plain_token(const char *s, size_t max)
{
	size_t n = strlen(s);
	size_t i;

	if (n == 0 || n > max)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\')
			return false;
	}
	return true;
}

/* scheme "://" host [...], with a non-empty host and no credentials. */
static bool url_valid(const char *s, const char *const *schemes)
{
	const char *host, *end;
	size_t i;

	if (!plain_token(s, URL_MAX))
		return false;
	for (i = 0; schemes[i]; i++) {
		size_t n = strlen(schemes[i]);

		if (strncasecmp(s, schemes[i], n) == 0 && strncmp(s + n, "://", 3) == 0)
			break;
	}
	if (!schemes[i])
		return false;
	host = s + strlen(schemes[i]) + 3;
	end = host + strcspn(host, "/?#");
	if (end == host || memchr(host, '@', (size_t)(end - host)))
		return false;
	return true;
}

static bool email_valid(const char *s)
{
	const char *at = strchr(s, '@');

	return plain_token(s, EMAIL_MAX) && at && at != s && at[1] != '\0' && !strchr(at + 1, '@');
}

static bool name_valid(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && utf8_valid(s, n, false) && utf8_count(s) <= NOTIFY_NAME_MAX;
}

char *notify_url_redact(const char *url)
{
	const char *p = strstr(url, "://");
	const char *host, *end, *at;

	if (!p)
		return xstrdup("…");
	host = p + 3;
	end = host + strcspn(host, "/?#");
	at = memchr(host, '@', (size_t)(end - host));
	if (at)
		host = at + 1;
	return xasprintf("%.*s://%.*s/…", (int)(p - url), url, (int)(end - host), host);
}

/* --- secrets ---------------------------------------------------------------------- */

static char *secret_ad(int64_t id, const char *field)
{
	return xasprintf("notify:channel:%" PRId64 ":%s", id, field);
}

/* config[field] (plain) becomes config[field "_sealed"] (base64 of the sealed blob). */
static void seal_field(json_t *config, const unsigned char key[SEAL_KEY_LEN], int64_t id,
                       const char *field)
{
	const char *plain = json_string_value(json_object_get(config, field));
	char *sealed_name = xasprintf("%s_sealed", field);
	unsigned char *blob = NULL;
	size_t n = 0;

	if (plain) {
		char *ad = secret_ad(id, field);
		char *b64;

		seal(key, ad, plain, strlen(plain), &blob, &n);
		b64 = b64_encode(blob, n);
		json_object_set_new(config, sealed_name, json_string(b64));
		free(b64);
		free(blob);
		free(ad);
		/* jansson keeps its own copy of the plain text: overwrite it before freeing */
		sodium_memzero((char *)(uintptr_t)plain, strlen(plain));
		json_object_del(config, field);
	}
	free(sealed_name);
}

/* The plain secret config[field "_sealed"], or NULL (none, or it does not open). */
static char *unseal_field(const json_t *config, const unsigned char key[SEAL_KEY_LEN], int64_t id,
                          const char *field)
{
	char *sealed_name = xasprintf("%s_sealed", field);
	const char *b64 = json_string_value(json_object_get(config, sealed_name));
	unsigned char blob[SECRET_MAX + SEAL_OVERHEAD];
	char *out = NULL, *ad = NULL;
	int n, m;

	free(sealed_name);
	if (!b64)
		return NULL;
	n = b64_decode(b64, strlen(b64), blob, sizeof(blob));
	if (n < SEAL_OVERHEAD)
		return NULL;
	out = xmalloc(SECRET_MAX + 1);
	ad = secret_ad(id, field);
	m = unseal(key, ad, blob, (size_t)n, out, SECRET_MAX);
	free(ad);
	if (m < 0) {
		free(out);
		return NULL;
	}
	out[m] = '\0';
	return out;
}

static void secret_free(char *s)
{
	if (s) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

/* --- channels --------------------------------------------------------------------- */

static const char *const mail_schemes[] = { "smtp", "smtps", NULL };
static const char *const web_schemes[] = { "http", "https", NULL };

/*
 * Checks a config given by an administrator for kind and returns a copy of it fit to store
 * (starttls filled in); its "password" / "secret" are still plain, sealed by the caller.
 * old (may be NULL) is the stored config whose sealed secrets an update keeps.
 */
static int config_check_base(enum notify_kind kind, json_t *in, const json_t *old, json_t **ret,
                             struct problem *p)
{
	const char *url = NULL, *from = NULL, *user = NULL;
	json_t *secret = NULL, *out;
	const char *secret_name = kind == NOTIFY_EMAIL ? "password" : "secret";
	json_error_t jerr;
	int starttls = 1;

	if (!json_is_object(in))
		return problem_set(p, ERR_INVALID, "invalid", "config");
	if (kind == NOTIFY_EMAIL) {
		if (json_unpack_ex(in, &jerr, JSON_STRICT, "{s:s, s:s, s?s, s?o, s?b}", "smtp_url",
		                   &url, "from", &from, "username", &user, "password", &secret,
		                   "starttls", &starttls) < 0)
			return problem_setf(p, ERR_INVALID, "invalid", "config", "%s", jerr.text);
		if (!url_valid(url, mail_schemes))
			return problem_setf(p, ERR_INVALID, "invalid", "config.smtp_url",
			                    "an smtp:// or smtps:// URL is required");
		if (!email_valid(from))
			return problem_set(p, ERR_INVALID, "invalid", "config.from");
		if (user && !plain_token(user, 128))
			return problem_set(p, ERR_INVALID, "invalid", "config.username");
	} else {
		if (json_unpack_ex(in, &jerr, JSON_STRICT, "{s:s, s?o}", "webhook_url", &url,
		                   "secret", &secret) < 0 ||
		    (kind == NOTIFY_WECOM && secret))
			return problem_setf(p, ERR_INVALID, "invalid", "config", "%s",
			                    secret ? "a wecom robot has no secret" : jerr.text);
		if (!url_valid(url, web_schemes))
			return problem_setf(p, ERR_INVALID, "invalid", "config.webhook_url",
			                    "an http:// or https:// URL is required");
	}
	if (secret && !json_is_null(secret) &&
	    (!json_is_string(secret) || json_string_length(secret) == 0 ||
	     json_string_length(secret) > SECRET_MAX ||
	     !utf8_valid(json_string_value(secret), json_string_length(secret), false)))
		return problem_setf(p, ERR_INVALID, "invalid",
		                    kind == NOTIFY_EMAIL ? "config.password" : "config.secret",
		                    "1..%d characters", SECRET_MAX);

	out = json_deep_copy(in);
	if (kind == NOTIFY_EMAIL)
		json_object_set_new(out, "starttls", json_boolean(starttls));
	if (json_is_null(secret)) {
		json_object_del(out, secret_name);
	} else if (!secret && old) {
		char *sealed_name = xasprintf("%s_sealed", secret_name);
		json_t *keep = json_object_get(old, sealed_name);

		if (keep)
			json_object_set(out, sealed_name, keep);
		free(sealed_name);
	}
	*ret = out;
	return 0;
}

/* The public view of a channel: no secret, URLs cut to their host. New reference. */
static json_t *channel_json(const struct notify_channel *c)
{
	json_t *cfg = json_object(), *v;
	const char *k;

	json_object_foreach(c->config, k, v) {
		if (STREQ(k, "password_sealed") || STREQ(k, "secret_sealed")) {
			json_object_set_new(
			        cfg, STREQ(k, "password_sealed") ? "password_set" : "secret_set",
			        json_true());
		} else if (STREQ(k, "webhook_url") || STREQ(k, "smtp_url")) {
			char *red = notify_url_redact(json_string_value(v));

			json_object_set_new(cfg, k, json_string(red));
			free(red);
		} else {
			json_object_set(cfg, k, v);
		}
	}
	return json_pack("{s:I, s:s, s:s, s:b, s:I, s:o}", "id", (json_int_t)c->id, "kind",
	                 notify_kind_to_string(c->kind), "name", c->name, "enabled", c->enabled,
	                 "version", (json_int_t)c->version, "config", cfg);
}

/* A kind pattern: 1-64 of a-z 0-9 _ . with an optional trailing '*' ("request.*"). */
static bool kind_pattern_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 64)
		return false;
	if (s[n - 1] == '*')
		n--;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_.") == n;
}

/*
 * The channel's settings plus "kinds": the notification kinds it carries (patterns such as
 * "request.*"). A mail channel without "kinds" carries every kind, to the person notified;
 * a robot channel posts to its group only the kinds listed.
 */
static int config_check(enum notify_kind kind, json_t *in, const json_t *old, json_t **ret,
                        struct problem *p)
{
	json_t *kinds = json_object_get(in, "kinds"), *base, *e;
	size_t i;
	int r;

	if (!json_is_object(in))
		return problem_set(p, ERR_INVALID, "invalid", "config");
	if (kinds) {
		if (!json_is_array(kinds) || json_array_size(kinds) > 32)
			return problem_setf(p, ERR_INVALID, "invalid", "config.kinds",
			                    "an array of at most 32 notification kinds");
		json_array_foreach(kinds, i, e) {
			if (!kind_pattern_valid(json_string_value(e)))
				return problem_setf(
				        p, ERR_INVALID, "invalid",
				        problem_path(p, "config.kinds[%zu]", i),
				        "a notification kind such as request.waiting or request.*");
		}
	}
	base = json_deep_copy(in);
	json_object_del(base, "kinds");
	r = config_check_base(kind, base, old, ret, p);
	json_decref(base);
	if (r == 0 && kinds)
		json_object_set(*ret, "kinds", kinds);
	return r;
}

/* Does the channel carry kind? explicit: only when its "kinds" name it (a mail channel
 * without "kinds" carries every kind of a person's notifications, not system messages). */
static bool carries_kind(const struct notify_channel *c, const char *kind, bool explicit)
{
	json_t *kinds = json_object_get(c->config, "kinds"), *e;
	size_t i, n;

	if (!kinds)
		return !explicit && c->kind == NOTIFY_EMAIL;
	json_array_foreach(kinds, i, e) {
		const char *k = json_string_value(e);

		n = strlen(k);
		if (n && k[n - 1] == '*' ? strncmp(kind, k, n - 1) == 0 : strcmp(kind, k) == 0)
			return true;
	}
	return false;
}

int notify_route(struct store *st, int64_t notification_id, const char *kind, const char *email,
                 const char *subject, const char *body)
{
	struct notify_channel *v = NULL;
	size_t n = 0, i;
	int r = notify_store_channel_all(st, &v, &n);

	for (i = 0; r == 0 && i < n; i++) {
		if (!v[i].enabled || !carries_kind(&v[i], kind, false))
			continue;
		if (v[i].kind == NOTIFY_EMAIL && (!email || !*email))
			continue; /* nobody to mail: the in-app inbox has it */
		r = notify_enqueue(st, notification_id, v[i].id,
		                   v[i].kind == NOTIFY_EMAIL ? email : "", subject, body);
		if (r == -ERR_INVALID)
			r = 0; /* an address the mail channel cannot take: in-app only */
	}
	for (i = 0; i < n; i++)
		notify_channel_release(&v[i]);
	free(v);
	return r;
}

int notify_broadcast(struct store *st, const char *kind, json_t *emails, const char *subject,
                     const char *body)
{
	struct notify_channel *v = NULL;
	size_t n = 0, i, j;
	json_t *e;
	int r = notify_store_channel_all(st, &v, &n);

	for (i = 0; r == 0 && i < n; i++) {
		if (!v[i].enabled || !carries_kind(&v[i], kind, true))
			continue;
		if (v[i].kind != NOTIFY_EMAIL) {
			r = notify_enqueue(st, 0, v[i].id, "", subject, body);
			continue;
		}
		json_array_foreach(emails, j, e) {
			if (r == 0 && json_string_length(e) > 0)
				r = notify_enqueue(st, 0, v[i].id, json_string_value(e), subject,
				                   body);
			if (r == -ERR_INVALID)
				r = 0;
		}
	}
	for (i = 0; i < n; i++)
		notify_channel_release(&v[i]);
	free(v);
	return r;
}

static char *config_text(const json_t *config)
{
	return json_dumps(config, JSON_COMPACT | JSON_SORT_KEYS);
}

static int channel_audit(struct store *st, const struct actor *a, const char *action, int64_t id,
                         json_t *before, json_t *after)
{
	char *obj = xasprintf("notify_channel:%" PRId64, id);
	int r;

	r = audit_append(st, &(struct audit_event){ .actor = a,
	                                            .action = action,
	                                            .object = obj,
	                                            .before = before,
	                                            .after = after });
	free(obj);
	return r;
}

int notify_channel_create(struct store *st, const struct actor *a,
                          const unsigned char seal_key[SEAL_KEY_LEN], json_t *in, int64_t *ret_id,
                          struct problem *p)
{
	const char *kind_s = NULL, *name = NULL;
	json_t *cfg_in = NULL, *config = NULL, *after = NULL;
	struct notify_channel ch = { 0 };
	char *text = NULL;
	json_error_t jerr;
	int enabled = 1, kind, r;
	int64_t id = 0;

	if (!may_manage(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (json_unpack_ex(in, &jerr, JSON_STRICT, "{s:s, s:s, s:o, s?b}", "kind", &kind_s, "name",
	                   &name, "config", &cfg_in, "enabled", &enabled) < 0)
		return problem_setf(p, ERR_INVALID, "invalid", NULL, "%s", jerr.text);
	kind = notify_kind_from_string(kind_s);
	if (kind < 0)
		return problem_set(p, ERR_INVALID, "invalid", "kind");
	if (!name_valid(name))
		return problem_setf(p, ERR_INVALID, "invalid", "name", "1..%d characters",
		                    NOTIFY_NAME_MAX);
	r = config_check((enum notify_kind)kind, cfg_in, NULL, &config, p);
	if (r < 0)
		return r;

	r = store_begin(st);
	if (r < 0)
		goto out;
	/* The secrets are sealed to the row's id, known once the row exists. */
	r = notify_store_channel_insert(st, (enum notify_kind)kind, name, "{}", enabled,
	                                clock_now(), &id);
	if (r == -ERR_CONFLICT) {
		r = problem_set(p, ERR_CONFLICT, "name_taken", "name");
		goto end;
	}
	if (r < 0)
		goto end;
	seal_field(config, seal_key, id, kind == NOTIFY_EMAIL ? "password" : "secret");
	text = config_text(config);
	r = notify_store_channel_set_config(st, id, text);
	if (r < 0)
		goto end;
	r = notify_store_channel_load(st, id, &ch);
	if (r < 0)
		goto end;
	after = channel_json(&ch);
	r = channel_audit(st, a, "notify_channel.create", id, NULL, after);
end:
	r = store_end(st, r);
	if (r == 0)
		*ret_id = id;
out:
	notify_channel_release(&ch);
	json_decref(config);
	json_decref(after);
	free(text);
	return r;
}

int notify_channel_update(struct store *st, const struct actor *a,
                          const unsigned char seal_key[SEAL_KEY_LEN], int64_t id, json_t *changes,
                          struct problem *p)
{
	struct notify_channel ch = { 0 }, now_ch = { 0 };
	json_t *cfg_in = NULL, *config = NULL, *before = NULL, *after = NULL;
	const char *name = NULL;
	json_int_t version = 0;
	json_error_t jerr;
	char *text = NULL;
	int enabled = -1, r;

	if (!may_manage(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (json_unpack_ex(changes, &jerr, JSON_STRICT, "{s:I, s?s, s?o, s?b}", "version", &version,
	                   "name", &name, "config", &cfg_in, "enabled", &enabled) < 0)
		return problem_setf(p, ERR_INVALID, "invalid", NULL, "%s", jerr.text);
	if (name && !name_valid(name))
		return problem_setf(p, ERR_INVALID, "invalid", "name", "1..%d characters",
		                    NOTIFY_NAME_MAX);

	r = store_begin(st);
	if (r < 0)
		return r;
	r = notify_store_channel_load(st, id, &ch);
	if (r < 0)
		goto end;
	if (ch.version != version) {
		r = problem_set(p, ERR_CONFLICT, "stale_version", "version");
		goto end;
	}
	if (cfg_in) {
		r = config_check(ch.kind, cfg_in, ch.config, &config, p);
		if (r < 0)
			goto end;
		seal_field(config, seal_key, id, ch.kind == NOTIFY_EMAIL ? "password" : "secret");
	} else {
		config = json_incref(ch.config);
	}
	text = config_text(config);
	r = notify_store_channel_update(st, id, name ? name : ch.name, text,
	                                enabled < 0 ? ch.enabled : enabled != 0, ch.version);
	if (r == -ERR_CONFLICT) {
		r = problem_set(p, ERR_CONFLICT, "name_taken", "name");
		goto end;
	}
	if (r < 0)
		goto end;
	r = notify_store_channel_load(st, id, &now_ch);
	if (r < 0)
		goto end;
	before = channel_json(&ch);
	after = channel_json(&now_ch);
	r = channel_audit(st, a, "notify_channel.update", id, before, after);
end:
	r = store_end(st, r);
	notify_channel_release(&ch);
	notify_channel_release(&now_ch);
	json_decref(config);
	json_decref(before);
	json_decref(after);
	free(text);
	return r;
}

int notify_channel_list(struct store *st, const struct actor *a, json_t **ret_items,
                        struct problem *p)
{
	struct notify_channel *v = NULL;
	json_t *items;
	size_t n = 0, i;
	int r;

	if (!may_manage(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	r = notify_store_channel_all(st, &v, &n);
	if (r < 0)
		return r;
	items = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(items, channel_json(&v[i]));
		notify_channel_release(&v[i]);
	}
	free(v);
	*ret_items = items;
	return 0;
}

int notify_delivery_list(struct store *st, const struct actor *a, int64_t after, const char *status,
                         int64_t channel_id, int limit, json_t **ret_items, int64_t *ret_next,
                         struct problem *p)
{
	static const char *const statuses[] = { "pending", "sent", "failed", NULL };
	json_t *rows;
	size_t i;
	int r;

	if (a->user_id != 0 && !perm_check(a, "deliveries.read", 0))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	for (i = 0; status && statuses[i]; i++)
		if (strcmp(status, statuses[i]) == 0)
			break;
	if (status && !statuses[i])
		return problem_setf(p, ERR_INVALID, "invalid", "status", "pending, sent or failed");
	r = notify_store_delivery_list(st, after, status, channel_id, limit + 1, &rows);
	if (r < 0)
		return r;
	*ret_next = json_page_trim(rows, limit);
	*ret_items = rows;
	return 0;
}

/* --- queue ------------------------------------------------------------------------ */

static bool one_line(const char *s)
{
	return !strchr(s, '\r') && !strchr(s, '\n');
}

int notify_enqueue(struct store *st, int64_t notification_id, int64_t channel_id,
                   const char *recipient, const char *subject, const char *body)
{
	struct notify_channel ch = { 0 };
	int64_t id = 0;
	int r;

	if (!store_in_tx(st))
		return -ERR_INTERNAL;
	if (!recipient)
		recipient = "";
	if (!subject)
		subject = "";
	if (!body || strlen(body) > NOTIFY_BODY_MAX || !utf8_valid(body, strlen(body), true))
		return -ERR_INVALID;
	if (!utf8_valid(subject, strlen(subject), false) || !one_line(subject) ||
	    utf8_count(subject) > NOTIFY_SUBJECT_MAX)
		return -ERR_INVALID;
	r = notify_store_channel_load(st, channel_id, &ch);
	if (r < 0)
		return r;
	if (ch.kind == NOTIFY_EMAIL ? !email_valid(recipient) : recipient[0] != '\0')
		r = -ERR_INVALID;
	else
		r = notify_store_delivery_insert(st, notification_id, channel_id, recipient,
		                                 subject, body, clock_now(), &id);
	notify_channel_release(&ch);
	return r;
}

/* --- delivery --------------------------------------------------------------------- */

long notify_connect_timeout_ms = NOTIFY_CONNECT_TIMEOUT * 1000L;
long notify_total_timeout_ms = NOTIFY_TOTAL_TIMEOUT * 1000L;

/* One attempt; 0 when sent, else -ERR_* with err filled. */
static int send_one(const struct notify_job *j, const unsigned char key[SEAL_KEY_LEN], char *err,
                    size_t errlen)
{
	const json_t *cfg = j->ch.config;
	const struct notify_msg m = { .recipient = j->recipient,
		                      .subject = j->subject,
		                      .body = j->body };
	char *secret = NULL;
	int r;

	if (j->ch.kind == NOTIFY_EMAIL) {
		struct notify_smtp smtp = {
			.url = json_string_value(json_object_get(cfg, "smtp_url")),
			.from = json_string_value(json_object_get(cfg, "from")),
			.username = json_string_value(json_object_get(cfg, "username")),
			.starttls = !json_is_false(json_object_get(cfg, "starttls")),
		};

		secret = unseal_field(cfg, key, j->ch.id, "password");
		smtp.password = secret;
		if (!smtp.url || !smtp.from) {
			(void)snprintf(err, errlen, "channel config incomplete");
			r = -ERR_INVALID;
		} else if (json_object_get(cfg, "password_sealed") && !secret) {
			(void)snprintf(err, errlen, "stored password does not open with this key");
			r = -ERR_INTERNAL;
		} else {
			r = notify_smtp_send(&smtp, &m, err, errlen);
		}
	} else {
		const char *url = json_string_value(json_object_get(cfg, "webhook_url"));

		secret = unseal_field(cfg, key, j->ch.id, "secret");
		if (!url) {
			(void)snprintf(err, errlen, "channel config incomplete");
			r = -ERR_INVALID;
		} else if (json_object_get(cfg, "secret_sealed") && !secret) {
			(void)snprintf(err, errlen, "stored secret does not open with this key");
			r = -ERR_INTERNAL;
		} else {
			r = notify_webhook_send(j->ch.kind, url, secret, &m, err, errlen);
		}
	}
	secret_free(secret);
	return r;
}

int notify_deliver_due(struct store *st, const unsigned char seal_key[SEAL_KEY_LEN], int64_t now,
                       int max, struct notify_stats *ret)
{
	struct notify_stats stats = { 0 };
	struct notify_job *v = NULL;
	size_t n = 0, i;
	int r;

	if (store_in_tx(st))
		return -ERR_INTERNAL; /* network never inside a transaction */
	if (max < 1 || max > 1000)
		return -ERR_INVALID;
	r = notify_store_claim_due(st, now, now + LEASE(max), max, &v, &n);
	if (r < 0)
		return r;
	stats.picked = (int)n;
	for (i = 0; i < n; i++) {
		struct notify_job *j = &v[i];
		const char *kind = notify_kind_to_string(j->ch.kind);
		char err[NOTIFY_ERR_MAX] = "";
		int attempt = j->attempts + 1, s;

		s = send_one(j, seal_key, err, sizeof(err));
		if (s == 0) {
			log_info("notify: delivery %" PRId64 " via %s '%s' sent (attempt %d)",
			         j->id, kind, j->ch.name, attempt);
			r = notify_store_delivery_sent(st, j->id, attempt, now);
			stats.sent++;
		} else if (attempt < NOTIFY_MAX_ATTEMPTS) {
			log_warn("notify: delivery %" PRId64
			         " via %s '%s' failed (attempt %d): %s; "
			         "retrying in %" PRId64 " s",
			         j->id, kind, j->ch.name, attempt, err, backoff[attempt - 1]);
			r = notify_store_delivery_retry(st, j->id, attempt,
			                                now + backoff[attempt - 1], err);
			stats.retried++;
		} else {
			log_warn("notify: delivery %" PRId64
			         " via %s '%s' failed (attempt %d): %s; "
			         "giving up",
			         j->id, kind, j->ch.name, attempt, err);
			r = notify_store_delivery_failed(st, j->id, attempt, err);
			stats.failed++;
		}
		if (r < 0)
			break;
	}
	for (i = 0; i < n; i++)
		notify_job_release(&v[i]);
	free(v);
	if (r < 0)
		return r;
	if (ret)
		*ret = stats;
	return 0;
}
