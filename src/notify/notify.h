/*
 * notify.h: notifications outside the application (SPEC SLA-4): e-mail over SMTP and the
 * chat robots of 企业微信 (wecom), 钉钉 (dingtalk) and 飞书 (feishu).
 *
 * A change that notifies someone enqueues its deliveries in its own transaction, next to the
 * in-app notification (org_notify), so all of them commit or roll back together. Nothing is
 * sent inside a transaction: a worker calls notify_deliver_due() now and then, which claims
 * the due deliveries, sends each with no transaction open (10 s to connect, 30 s in all per
 * attempt) and records the outcome:
 *
 *   pending --ok--> sent (sent_at)
 *      |  --failure, attempt 1..5--> pending, next_at = now + 1 min, 5 min, 30 min, 2 h, 6 h
 *      +----failure, attempt 6-----> failed (last_error)
 *
 * Channels are managed by the security administrator (or the local operator, user_id 0);
 * every change writes an audit entry in its transaction. Secrets (the SMTP password, a
 * robot's signing secret) are stored only sealed (auth/seal.h) and never appear in the
 * audit trail, in listings or in the log; webhook URLs, which carry the robot's token, are
 * shown only as "scheme://host/…".
 */
#ifndef ISMS_NOTIFY_NOTIFY_H
#define ISMS_NOTIFY_NOTIFY_H

#include <jansson.h>
#include <stdint.h>

#include "core/common.h"
#include "crypto/seal.h"

struct store;
struct actor;
struct problem;

enum notify_kind { NOTIFY_EMAIL, NOTIFY_WECOM, NOTIFY_DINGTALK, NOTIFY_FEISHU, NOTIFY_KIND__COUNT };

/* "email", "wecom", "dingtalk", "feishu"; NULL for an unknown kind. */
const char *notify_kind_to_string(enum notify_kind k);
/* The kind, or -ERR_INVALID when unknown. */
int notify_kind_from_string(const char *s);

#define NOTIFY_NAME_MAX        64    /* code points of a channel name */
#define NOTIFY_SUBJECT_MAX     200   /* code points */
#define NOTIFY_BODY_MAX        65536 /* bytes */
#define NOTIFY_MAX_ATTEMPTS    6     /* the 6th failure is final */
#define NOTIFY_CONNECT_TIMEOUT 10    /* seconds, per attempt */
#define NOTIFY_TOTAL_TIMEOUT   30    /* seconds, per attempt */

/*
 * Channel management. in is a JSON object:
 *   {"kind", "name", "enabled"?, "config": {...}} where config is, by kind,
 *   email     {"smtp_url": "smtp://host:port" | "smtps://…", "from", "username"?,
 *              "password"?, "starttls"? (default true; STARTTLS is then required)}
 *   wecom     {"webhook_url"}
 *   dingtalk  {"webhook_url", "secret"?}   (signed as the DingTalk robot documents)
 *   feishu    {"webhook_url", "secret"?}   (signed as the Feishu robot documents)
 * Webhook URLs must be http(s); names are 1..64 code points. Unknown keys are refused.
 * The plain secrets in "password" / "secret" are sealed under seal_key before they are
 * stored. 403 "forbidden" unless the actor is a security_admin or user_id 0; 400
 * "invalid_field" (p->field names it); 409 "name_taken".
 */
int notify_channel_create(struct store *st, const struct actor *a,
                          const unsigned char seal_key[SEAL_KEY_LEN], json_t *in, int64_t *ret_id,
                          struct problem *p);
/*
 * {"version", "name"?, "enabled"?, "config"?}: a new config replaces the old one, except
 * that an absent "password" / "secret" keeps the stored one and null removes it. The kind
 * never changes. 409 "stale_version" when version is not the stored one; 404.
 */
int notify_channel_update(struct store *st, const struct actor *a,
                          const unsigned char seal_key[SEAL_KEY_LEN], int64_t id, json_t *changes,
                          struct problem *p);
/*
 * Every channel, by id, as {"id", "kind", "name", "enabled", "version", "config"} with the
 * config redacted: no secret (only "password_set" / "secret_set": true) and webhook URLs
 * cut to "scheme://host/…". *ret_items is a new reference. Same permission as create.
 */
int notify_channel_list(struct store *st, const struct actor *a, json_t **ret_items,
                        struct problem *p);

/*
 * Queues one message for channel_id, due at once. Must run inside the caller's transaction
 * (-ERR_INTERNAL otherwise), so that the change, its in-app notification (notification_id,
 * 0 = none) and its outside deliveries commit together. recipient is the e-mail address for
 * an e-mail channel and NULL (or "") for a robot; subject (may be NULL) is one line of at
 * most 200 code points; body is UTF-8 text of at most 64 KiB. -ERR_INVALID for bad input,
 * -ERR_NOT_FOUND for an unknown channel.
 */
int notify_enqueue(struct store *st, int64_t notification_id, int64_t channel_id,
                   const char *recipient, const char *subject, const char *body);

/* The delivery record (SPEC SLA-4: every delivery and failure recorded), newest first:
 * channel, recipient, subject, status (pending, sent, failed), attempts, next try, last
 * error. The security or audit administrator. */
int notify_delivery_list(struct store *st, const struct actor *a, int64_t after, const char *status,
                         int64_t channel_id, int limit, json_t **ret_items, int64_t *ret_next,
                         struct problem *p);

struct notify_stats {
	int picked;  /* deliveries claimed */
	int sent;    /* ... delivered */
	int retried; /* ... failed and scheduled again */
	int failed;  /* ... failed for the last time */
};

/*
 * Sends up to max (1..1000) pending deliveries due at now, over enabled channels, oldest
 * first. Must be called outside any transaction (-ERR_INTERNAL otherwise). Each delivery is
 * first claimed (next_at moved past the time the whole batch can take, so a second worker
 * skips it and a crash mid-send retries it later: delivery is at least once), then sent
 * with no transaction open, then its outcome is recorded in its own short transaction and
 * logged at info/warn (channel name and kind, never a URL, token or password). A delivery
 * that cannot be sent counts in the stats, it is not an error of this call; -ERR_* only
 * when the database fails. *ret (if not NULL) is filled.
 */
int notify_deliver_due(struct store *st, const unsigned char seal_key[SEAL_KEY_LEN], int64_t now,
                       int max, struct notify_stats *ret);

/* Queues notification notification_id of kind on every enabled channel that carries it: a
 * mail channel to email (skipped when NULL or empty), a robot to its group. Inside the
 * caller's transaction. */
int notify_route(struct store *st, int64_t notification_id, const char *kind, const char *email,
                 const char *subject, const char *body);
/* Queues a system message of kind (no in-app notification) on every enabled channel whose
 * "kinds" name it explicitly: a robot to its group, a mail channel to each address of emails
 * (a JSON array, may be NULL). Inside the caller's transaction. */
int notify_broadcast(struct store *st, const char *kind, json_t *emails, const char *subject,
                     const char *body);

#endif
