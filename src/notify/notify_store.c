/*
 * notify_store.c: every SQL statement of the notify module (tables notify_channels and
 * deliveries, migrations/0003_notify.sql).
 */
#include "core/common.h"
#include "notify/notify_int.h"
#include "store/store.h"

void notify_channel_release(struct notify_channel *c)
{
	free(c->name);
	json_decref(c->config);
	memset(c, 0, sizeof(*c));
}

void notify_job_release(struct notify_job *j)
{
	free(j->recipient);
	free(j->subject);
	free(j->body);
	notify_channel_release(&j->ch);
	memset(j, 0, sizeof(*j));
}

#define CHANNEL_COLUMNS "c.id, c.kind, c.name, c.config, c.enabled, c.version"

/* Reads CHANNEL_COLUMNS from column col on. */
static int channel_from_row(struct stmt *s, int col, struct notify_channel *ret)
{
	int kind = notify_kind_from_string(store_col_text(s, col + 1));
	json_t *config = json_loads(store_col_text(s, col + 3), JSON_REJECT_DUPLICATES, NULL);

	if (kind < 0 || !json_is_object(config)) {
		json_decref(config);
		return -ERR_INTERNAL;
	}
	ret->id = store_col_int(s, col);
	ret->kind = (enum notify_kind)kind;
	ret->name = xstrdup(store_col_text(s, col + 2));
	ret->config = config;
	ret->enabled = store_col_i32(s, col + 4) != 0;
	ret->version = store_col_int(s, col + 5);
	return 0;
}

static const char SQL_CHANNEL_INSERT[] =
        "INSERT INTO notify_channels (kind, name, config, enabled, created_at) "
        "VALUES ($1, $2, $3, $4, $5)";

int notify_store_channel_insert(struct store *st, enum notify_kind kind, const char *name,
                                const char *config, bool enabled, int64_t now, int64_t *ret_id)
{
	struct stmt *s = store_stmt(st, SQL_CHANNEL_INSERT);
	int r;

	store_bind_text(s, 1, notify_kind_to_string(kind));
	store_bind_text(s, 2, name);
	store_bind_text(s, 3, config);
	store_bind_int(s, 4, enabled);
	store_bind_int(s, 5, now);
	r = store_exec_stmt(st, s);
	if (r == 0)
		*ret_id = store_last_id(st);
	return r;
}

static const char SQL_CHANNEL_SET_CONFIG[] = "UPDATE notify_channels SET config = $2 WHERE id = $1";

int notify_store_channel_set_config(struct store *st, int64_t id, const char *config)
{
	struct stmt *s = store_stmt(st, SQL_CHANNEL_SET_CONFIG);

	store_bind_int(s, 1, id);
	store_bind_text(s, 2, config);
	return store_exec_stmt(st, s);
}

static const char SQL_CHANNEL_BY_ID[] =
        "SELECT " CHANNEL_COLUMNS " FROM notify_channels c WHERE c.id = $1";

int notify_store_channel_load(struct store *st, int64_t id, struct notify_channel *ret)
{
	struct stmt *s = store_stmt(st, SQL_CHANNEL_BY_ID);
	int r;

	store_bind_int(s, 1, id);
	r = store_step(st, s);
	if (r == 0)
		r = -ERR_NOT_FOUND;
	if (r > 0)
		r = channel_from_row(s, 0, ret);
	store_reset(s);
	return r;
}

static const char SQL_CHANNEL_UPDATE[] =
        "UPDATE notify_channels SET name = $2, config = $3, enabled = $4, version = version + 1 "
        "WHERE id = $1 AND version = $5";

int notify_store_channel_update(struct store *st, int64_t id, const char *name, const char *config,
                                bool enabled, int64_t version)
{
	struct stmt *s = store_stmt(st, SQL_CHANNEL_UPDATE);
	int r;

	store_bind_int(s, 1, id);
	store_bind_text(s, 2, name);
	store_bind_text(s, 3, config);
	store_bind_int(s, 4, enabled);
	store_bind_int(s, 5, version);
	r = store_exec_stmt(st, s);
	if (r == 0 && store_changes(st) != 1)
		r = -ERR_CONFLICT;
	return r;
}

static const char SQL_CHANNEL_ALL[] =
        "SELECT " CHANNEL_COLUMNS " FROM notify_channels c ORDER BY c.id";

int notify_store_channel_all(struct store *st, struct notify_channel **ret_v, size_t *ret_n)
{
	struct stmt *s = store_stmt(st, SQL_CHANNEL_ALL);
	struct notify_channel *v = NULL;
	size_t n = 0, alloc = 0;
	int r;

	for (;;) {
		r = store_step(st, s);
		if (r <= 0)
			break;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			v = xrealloc(v, alloc * sizeof(*v));
		}
		memset(&v[n], 0, sizeof(v[n]));
		r = channel_from_row(s, 0, &v[n]);
		if (r < 0)
			break;
		n++;
	}
	store_reset(s);
	if (r < 0) {
		while (n > 0)
			notify_channel_release(&v[--n]);
		free(v);
		return r;
	}
	*ret_v = v;
	*ret_n = n;
	return 0;
}

static const char SQL_DELIVERY_INSERT[] =
        "INSERT INTO deliveries (notification_id, channel_id, recipient, subject, body, next_at, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $6)";

int notify_store_delivery_insert(struct store *st, int64_t notification_id, int64_t channel_id,
                                 const char *recipient, const char *subject, const char *body,
                                 int64_t now, int64_t *ret_id)
{
	struct stmt *s = store_stmt(st, SQL_DELIVERY_INSERT);
	int r;

	store_bind_id(s, 1, notification_id);
	store_bind_int(s, 2, channel_id);
	store_bind_text(s, 3, recipient);
	store_bind_text(s, 4, subject);
	store_bind_text(s, 5, body);
	store_bind_int(s, 6, now);
	r = store_exec_stmt(st, s);
	if (r == 0)
		*ret_id = store_last_id(st);
	return r;
}

static const char SQL_DUE[] =
        "SELECT d.id, d.attempts, d.recipient, d.subject, d.body, " CHANNEL_COLUMNS
        " FROM deliveries d JOIN notify_channels c ON c.id = d.channel_id"
        " WHERE d.status = 'pending' AND d.next_at <= $1 AND c.enabled = 1"
        " ORDER BY d.next_at, d.id LIMIT $2";
static const char SQL_DELIVERY_LEASE[] = "UPDATE deliveries SET next_at = $2 WHERE id = $1";

static int due_select(struct store *st, int64_t now, int max, struct notify_job **ret_v,
                      size_t *ret_n)
{
	struct stmt *s = store_stmt(st, SQL_DUE);
	struct notify_job *v = xcalloc((size_t)max, sizeof(*v));
	size_t n = 0;
	int r;

	store_bind_int(s, 1, now);
	store_bind_int(s, 2, max);
	for (;;) {
		r = store_step(st, s);
		if (r <= 0 || n == (size_t)max)
			break;
		v[n].id = store_col_int(s, 0);
		v[n].attempts = store_col_i32(s, 1);
		v[n].recipient = xstrdup(store_col_text(s, 2));
		v[n].subject = xstrdup(store_col_text(s, 3));
		v[n].body = xstrdup(store_col_text(s, 4));
		r = channel_from_row(s, 5, &v[n].ch);
		n++; /* released below even when the channel row was bad */
		if (r < 0)
			break;
	}
	store_reset(s);
	if (r < 0) {
		while (n > 0)
			notify_job_release(&v[--n]);
		free(v);
		return r;
	}
	*ret_v = v;
	*ret_n = n;
	return 0;
}

int notify_store_claim_due(struct store *st, int64_t now, int64_t lease_until, int max,
                           struct notify_job **ret_v, size_t *ret_n)
{
	struct notify_job *v = NULL;
	size_t n = 0, i;
	int r;

	r = store_begin(st);
	if (r < 0)
		return r;
	r = due_select(st, now, max, &v, &n);
	for (i = 0; r >= 0 && i < n; i++) {
		struct stmt *s = store_stmt(st, SQL_DELIVERY_LEASE);

		store_bind_int(s, 1, v[i].id);
		store_bind_int(s, 2, lease_until);
		r = store_exec_stmt(st, s);
	}
	r = store_end(st, r);
	if (r < 0) {
		for (i = 0; i < n; i++)
			notify_job_release(&v[i]);
		free(v);
		return r;
	}
	*ret_v = v;
	*ret_n = n;
	return 0;
}

/* Runs one outcome statement in its own transaction. */
static int outcome(struct store *st, struct stmt *s)
{
	int r = store_begin(st);

	if (r < 0) {
		store_reset(s);
		return r;
	}
	r = store_exec_stmt(st, s);
	return store_end(st, r);
}

static const char SQL_DELIVERY_SENT[] =
        "UPDATE deliveries SET status = 'sent', attempts = $2, sent_at = $3, last_error = NULL "
        "WHERE id = $1";

int notify_store_delivery_sent(struct store *st, int64_t id, int attempts, int64_t now)
{
	struct stmt *s = store_stmt(st, SQL_DELIVERY_SENT);

	store_bind_int(s, 1, id);
	store_bind_int(s, 2, attempts);
	store_bind_int(s, 3, now);
	return outcome(st, s);
}

static const char SQL_DELIVERY_RETRY[] =
        "UPDATE deliveries SET attempts = $2, next_at = $3, last_error = $4 WHERE id = $1";

int notify_store_delivery_retry(struct store *st, int64_t id, int attempts, int64_t next_at,
                                const char *err)
{
	struct stmt *s = store_stmt(st, SQL_DELIVERY_RETRY);

	store_bind_int(s, 1, id);
	store_bind_int(s, 2, attempts);
	store_bind_int(s, 3, next_at);
	store_bind_text(s, 4, err);
	return outcome(st, s);
}

static const char SQL_DELIVERY_FAILED[] =
        "UPDATE deliveries SET status = 'failed', attempts = $2, last_error = $3 WHERE id = $1";

int notify_store_delivery_failed(struct store *st, int64_t id, int attempts, const char *err)
{
	struct stmt *s = store_stmt(st, SQL_DELIVERY_FAILED);

	store_bind_int(s, 1, id);
	store_bind_int(s, 2, attempts);
	store_bind_text(s, 3, err);
	return outcome(st, s);
}

static json_t *delivery_row(struct stmt *s)
{
	return json_pack("{s:I, s:o, s:I, s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o}", "id",
	                 (json_int_t)store_col_int(s, 0), "notification_id",
	                 json_id_or_null(store_col_int(s, 1)), "channel_id",
	                 (json_int_t)store_col_int(s, 2), "channel", store_col_text(s, 3),
	                 "recipient", store_col_text(s, 4), "subject", store_col_text(s, 5),
	                 "status", store_col_text(s, 6), "attempts", store_col_i32(s, 7), "next_at",
	                 json_time_or_null(store_col_int(s, 8)), "last_error",
	                 store_col_json_text(s, 9), "created_at",
	                 json_time_or_null(store_col_int(s, 10)), "sent_at",
	                 json_time_or_null(store_col_int(s, 11)));
}

static const char SQL_DELIVERY_LIST[] =
        "SELECT d.id, d.notification_id, d.channel_id, c.name, d.recipient, d.subject, d.status, "
        "d.attempts, d.next_at, d.last_error, d.created_at, d.sent_at "
        "FROM deliveries d JOIN notify_channels c ON c.id = d.channel_id "
        "WHERE ($1 = 0 OR d.id < $1) AND ($2 IS NULL OR d.status = $2) "
        "AND ($3 = 0 OR d.channel_id = $3) ORDER BY d.id DESC LIMIT $4";

int notify_store_delivery_list(struct store *st, int64_t after, const char *status,
                               int64_t channel_id, int limit, json_t **ret_rows)
{
	struct stmt *s = store_stmt(st, SQL_DELIVERY_LIST);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, after);
	store_bind_text(s, 2, status);
	store_bind_int(s, 3, channel_id);
	store_bind_int(s, 4, limit);
	return store_rows(st, s, delivery_row, ret_rows);
}
