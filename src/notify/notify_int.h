/*
 * notify_int.h: what the files of src/notify share: the store functions (all SQL is in
 * notify_store.c) and the two senders (smtp.c, webhook.c), which know nothing of the
 * database.
 */
#ifndef ISMS_NOTIFY_NOTIFY_INT_H
#define ISMS_NOTIFY_NOTIFY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "notify/notify.h"

/* --- store ------------------------------------------------------------------------- */

struct notify_channel {
	int64_t id;
	enum notify_kind kind;
	char *name;
	json_t *config; /* as stored: secrets only sealed */
	bool enabled;
	int64_t version;
};
void notify_channel_release(struct notify_channel *c);

/* -ERR_CONFLICT when the name is taken. */
int notify_store_channel_insert(struct store *st, enum notify_kind kind, const char *name,
                                const char *config, bool enabled, int64_t now, int64_t *ret_id);
/* Sets the config without a new version (the sealing of a new channel's secrets). */
int notify_store_channel_set_config(struct store *st, int64_t id, const char *config);
/* -ERR_NOT_FOUND. */
int notify_store_channel_load(struct store *st, int64_t id, struct notify_channel *ret);
/* Bumps the version; -ERR_CONFLICT when the name is taken or version is stale. */
int notify_store_channel_update(struct store *st, int64_t id, const char *name, const char *config,
                                bool enabled, int64_t version);
/* Every channel by id, as in notify_store_channel_load; *ret_v (caller releases each and
 * frees the array) may be NULL when *ret_n is 0. */
int notify_store_channel_all(struct store *st, struct notify_channel **ret_v, size_t *ret_n);

int notify_store_delivery_insert(struct store *st, int64_t notification_id, int64_t channel_id,
                                 const char *recipient, const char *subject, const char *body,
                                 int64_t now, int64_t *ret_id);

/* A claimed delivery with its channel. */
struct notify_job {
	int64_t id;
	int attempts; /* before this one */
	char *recipient, *subject, *body;
	struct notify_channel ch;
};
void notify_job_release(struct notify_job *j);
/* In one transaction: the oldest max pending deliveries due at now over enabled channels,
 * each with next_at moved to lease_until. */
int notify_store_claim_due(struct store *st, int64_t now, int64_t lease_until, int max,
                           struct notify_job **ret_v, size_t *ret_n);
/* Outcomes (each in its own transaction). */
int notify_store_delivery_sent(struct store *st, int64_t id, int attempts, int64_t now);
int notify_store_delivery_retry(struct store *st, int64_t id, int attempts, int64_t next_at,
                                const char *err);
int notify_store_delivery_failed(struct store *st, int64_t id, int attempts, const char *err);
/* Deliveries newest first (limit rows), with their channel's name; never the body. */
int notify_store_delivery_list(struct store *st, int64_t after, const char *status,
                               int64_t channel_id, int limit, json_t **ret_rows);

/* --- senders ----------------------------------------------------------------------- */

#define NOTIFY_ERR_MAX 256

/* Timeouts of every attempt, in milliseconds (the defaults are NOTIFY_*_TIMEOUT; the unit
 * tests shorten them). */
extern long notify_connect_timeout_ms;
extern long notify_total_timeout_ms;

struct notify_msg {
	const char *recipient; /* "" for robots */
	const char *subject;   /* "" when none */
	const char *body;
};

struct notify_smtp {
	const char *url; /* smtp://host:port or smtps://host:port */
	const char *from;
	const char *username; /* NULL = no AUTH */
	const char *password; /* plain, wiped by the caller */
	bool starttls;
};

/* Sends one e-mail. 0, or -ERR_INTERNAL with a message (no secret) in err. */
int notify_smtp_send(const struct notify_smtp *cfg, const struct notify_msg *m, char *err,
                     size_t errlen);
/* The RFC 5322 message (CRLF lines; body in base64) that notify_smtp_send sends at time t;
 * the caller frees. */
char *notify_mail_build(const char *from, const char *to, const char *subject, const char *body,
                        int64_t t);
/* The RFC 2047 "=?UTF-8?B?…?=" words of a UTF-8 header value, folded; the caller frees. */
char *notify_mail_encode_header(const char *s);

/* Posts one robot message (kind wecom, dingtalk or feishu); secret NULL = unsigned.
 * 0, or -ERR_INTERNAL with a message (no secret, no URL) in err. */
int notify_webhook_send(enum notify_kind kind, const char *url, const char *secret,
                        const struct notify_msg *m, char *err, size_t errlen);
/* base64(HMAC-SHA256(key, msg)) of the robot signatures: DingTalk key = secret, msg =
 * ts "\n" secret; Feishu key = ts "\n" secret, msg = "". The caller frees. */
char *notify_sign_dingtalk(const char *secret, int64_t ts_ms);
char *notify_sign_feishu(const char *secret, int64_t ts_s);

/* "scheme://host/…" of a URL (host with port), without path, query or credentials; for
 * listings, audit entries and messages. The caller frees. */
char *notify_url_redact(const char *url);

#endif
