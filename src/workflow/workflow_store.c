/*
 * workflow_store.c: the SQL of requests, their steps, assignees and history, and of the
 * account review campaigns.
 */
#include "core/common.h"

#include "core/actor.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "store/store.h"
#include "workflow/workflow_int.h"

void request_row_release(struct request_row *r)
{
	free(r->type);
	free(r->status);
	json_decref(r->data);
	json_decref(r->result);
	memset(r, 0, sizeof(*r));
}

json_t *request_row_json(const struct request_row *r)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:o, s:O, s:O*, s:o, s:o, s:o, s:I}", "id",
	                 (json_int_t)r->id, "type", r->type, "status", r->status, "applicant_id",
	                 (json_int_t)r->applicant_id, "department_id",
	                 json_id_or_null(r->department_id), "data", r->data, "result", r->result,
	                 "created_at", json_time_or_null(r->created_at), "updated_at",
	                 json_time_or_null(r->updated_at), "closed_at",
	                 json_time_or_null(r->closed_at), "version", (json_int_t)r->version);
}

#define REQUEST_COLUMNS                                                                            \
 "r.id, r.type, r.status, r.applicant_id, r.department_id, r.data, r.step, r.result, "             \
 "r.created_at, r.updated_at, r.closed_at, r.version"

static void request_from(struct stmt *s, struct request_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = store_col_int(s, 0);
	r->type = xstrdup(store_col_text(s, 1));
	r->status = xstrdup(store_col_text(s, 2));
	r->applicant_id = store_col_int(s, 3);
	r->department_id = store_col_int(s, 4);
	r->data = store_col_json(s, 5);
	if (!r->data)
		r->data = json_object();
	r->step = store_col_int(s, 6);
	r->result = store_col_json(s, 7);
	r->created_at = store_col_int(s, 8);
	r->updated_at = store_col_int(s, 9);
	r->closed_at = store_col_int(s, 10);
	r->version = store_col_int(s, 11);
}

static const char SQL_REQUEST_INSERT[] =
        "INSERT INTO requests (type, status, applicant_id, department_id, data, step, result, "
        "created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1)";

int wf_store_request_insert(struct store *st, struct request_row *r)
{
	struct stmt *s = store_stmt(st, SQL_REQUEST_INSERT);
	int rc;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, r->type);
	store_bind_text(s, 2, r->status);
	store_bind_int(s, 3, r->applicant_id);
	store_bind_id(s, 4, r->department_id);
	store_bind_json(s, 5, r->data);
	store_bind_int(s, 6, r->step);
	store_bind_json(s, 7, r->result);
	store_bind_int(s, 8, r->created_at);
	rc = store_exec_stmt(st, s);
	if (rc == 0) {
		r->id = store_last_id(st);
		r->updated_at = r->created_at;
		r->version = 1;
	}
	return rc;
}

static const char SQL_REQUEST_UPDATE[] =
        "UPDATE requests SET status = $2, data = $3, step = $4, result = $5, updated_at = $6, "
        "closed_at = $7, version = version + 1 WHERE id = $1 AND version = $8";

/* Writes r (whose version is the new one: the row must hold version - 1). */
int wf_store_request_update(struct store *st, const struct request_row *r)
{
	struct stmt *s = store_stmt(st, SQL_REQUEST_UPDATE);
	int rc;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, r->id);
	store_bind_text(s, 2, r->status);
	store_bind_json(s, 3, r->data);
	store_bind_int(s, 4, r->step);
	store_bind_json(s, 5, r->result);
	store_bind_int(s, 6, r->updated_at);
	store_bind_id(s, 7, r->closed_at);
	store_bind_int(s, 8, r->version - 1);
	rc = store_exec_stmt(st, s);
	if (rc == 0 && store_changes(st) != 1)
		rc = -ERR_CONFLICT;
	return rc;
}

static const char SQL_REQUEST_LOAD[] = "SELECT " REQUEST_COLUMNS " FROM requests r WHERE r.id = $1";

int wf_store_request_load(struct store *st, int64_t id, struct request_row *ret)
{
	struct stmt *s = store_stmt(st, SQL_REQUEST_LOAD);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, id);
	r = store_step(st, s);
	if (r == 1)
		request_from(s, ret);
	store_reset(s);
	return r == 1 ? 0 : r == 0 ? -ERR_NOT_FOUND : r;
}

static const char SQL_ASSIGNEES_DELETE[] = "DELETE FROM step_assignees WHERE request_id = $1";
static const char SQL_STEPS_DELETE[] = "DELETE FROM request_steps WHERE request_id = $1";

int wf_store_steps_delete(struct store *st, int64_t request_id)
{
	struct stmt *s = store_stmt(st, SQL_ASSIGNEES_DELETE);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, request_id);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	s = store_stmt(st, SQL_STEPS_DELETE);
	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, request_id);
	return store_exec_stmt(st, s);
}

static const char SQL_STEP_INSERT[] =
        "INSERT INTO request_steps (request_id, seq, step_id, kind, approver, status) "
        "VALUES ($1, $2, $3, $4, $5, $6)";

int wf_store_step_insert(struct store *st, int64_t request_id, int seq, const struct step *sd,
                         const char *status)
{
	struct stmt *s = store_stmt(st, SQL_STEP_INSERT);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, request_id);
	store_bind_int(s, 2, seq);
	store_bind_text(s, 3, sd->id);
	store_bind_text(s, 4, sd->kind == STEP_EXECUTE ? "execute" : "approve");
	store_bind_text(s, 5, sd->approver);
	store_bind_text(s, 6, status);
	return store_exec_stmt(st, s);
}

static const char SQL_STEP_SET[] =
        "UPDATE request_steps SET status = $3, acted_by = $4, acted_at = $5, comment = $6 "
        "WHERE request_id = $1 AND seq = $2";

int wf_store_step_set(struct store *st, int64_t request_id, int seq, const char *status, int64_t by,
                      const char *comment)
{
	struct stmt *s = store_stmt(st, SQL_STEP_SET);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, request_id);
	store_bind_int(s, 2, seq);
	store_bind_text(s, 3, status);
	store_bind_id(s, 4, by);
	store_bind_id(s, 5, by > 0 ? clock_now() : 0); /* when someone acted */
	store_bind_text(s, 6, comment);
	return store_exec_stmt(st, s);
}

static const char SQL_STEP_STATUS[] =
        "SELECT status FROM request_steps WHERE request_id = $1 AND seq = $2";

int wf_store_step_status(struct store *st, int64_t request_id, int seq, char *out, size_t n)
{
	struct stmt *s = store_stmt(st, SQL_STEP_STATUS);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, request_id);
	store_bind_int(s, 2, seq);
	out[0] = '\0';
	r = store_step(st, s);
	if (r == 1)
		(void)snprintf(out, n, "%s", store_col_text(s, 0));
	store_reset(s);
	return r < 0 ? r : 0;
}

static const char SQL_STEPS[] =
        "SELECT seq, step_id, kind, approver, status, acted_by, acted_at, comment, "
        "(SELECT json_group_array(user_id) FROM step_assignees a WHERE a.request_id = "
        "request_steps.request_id AND a.seq = request_steps.seq) "
        "FROM request_steps WHERE request_id = $1 ORDER BY seq";

static json_t *step_row(struct stmt *s)
{
	json_t *as = store_col_json(s, 8);

	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "seq",
	                 store_col_i32(s, 0), "id", store_col_text(s, 1), "kind",
	                 store_col_text(s, 2), "approver", store_col_text(s, 3), "status",
	                 store_col_text(s, 4), "acted_by", json_id_or_null(store_col_int(s, 5)),
	                 "acted_at", json_time_or_null(store_col_int(s, 6)), "comment",
	                 store_col_json_text(s, 7), "assignees", as ? as : json_array());
}

int wf_store_steps_json(struct store *st, int64_t request_id, json_t **ret)
{
	struct stmt *s = store_stmt(st, SQL_STEPS);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, request_id);
	return store_rows(st, s, step_row, ret);
}

static const char SQL_ASSIGNEE_ADD[] =
        "INSERT INTO step_assignees (user_id, request_id, seq) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING";

int wf_store_assignee_add(struct store *st, int64_t user_id, int64_t request_id, int seq)
{
	struct stmt *s = store_stmt(st, SQL_ASSIGNEE_ADD);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, user_id);
	store_bind_int(s, 2, request_id);
	store_bind_int(s, 3, seq);
	return store_exec_stmt(st, s);
}

static const char SQL_IS_ASSIGNEE[] = "SELECT 1 FROM step_assignees WHERE user_id = $1 AND "
                                      "request_id = $2 AND ($3 = 0 OR seq = $3)";

int wf_store_is_assignee(struct store *st, int64_t user_id, int64_t request_id, int seq)
{
	struct stmt *s = store_stmt(st, SQL_IS_ASSIGNEE);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, user_id);
	store_bind_int(s, 2, request_id);
	store_bind_int(s, 3, seq);
	r = store_step(st, s);
	store_reset(s);
	return r;
}

static const char SQL_ASSIGNEES[] =
        "SELECT user_id FROM step_assignees WHERE request_id = $1 AND seq = $2";

static json_t *id_row(struct stmt *s)
{
	return json_integer(store_col_int(s, 0));
}

int wf_store_assignees(struct store *st, int64_t request_id, int seq, json_t **ret)
{
	struct stmt *s = store_stmt(st, SQL_ASSIGNEES);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, request_id);
	store_bind_int(s, 2, seq);
	return store_rows(st, s, id_row, ret);
}

static const char SQL_EVENT_ADD[] =
        "INSERT INTO request_events (request_id, seq, action, user_id, comment, attachments, at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)";

int wf_store_event_add(struct store *st, int64_t request_id, int seq, const char *action,
                       int64_t user_id, const char *comment, json_t *attachments)
{
	struct stmt *s = store_stmt(st, SQL_EVENT_ADD);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, request_id);
	store_bind_int(s, 2, seq);
	store_bind_text(s, 3, action);
	store_bind_id(s, 4, user_id);
	store_bind_text(s, 5, comment);
	store_bind_json(s, 6, attachments && json_array_size(attachments) ? attachments : NULL);
	store_bind_int(s, 7, clock_now());
	return store_exec_stmt(st, s);
}

static const char SQL_EVENTS[] = "SELECT seq, action, user_id, comment, attachments, at FROM "
                                 "request_events WHERE request_id = $1 ORDER BY id";

static json_t *event_row(struct stmt *s)
{
	json_t *att = store_col_json(s, 4);

	return json_pack("{s:i, s:s, s:o, s:o, s:o, s:o}", "seq", store_col_i32(s, 0), "action",
	                 store_col_text(s, 1), "user_id", json_id_or_null(store_col_int(s, 2)),
	                 "comment", store_col_json_text(s, 3), "attachments",
	                 att ? att : json_array(), "at", json_time_or_null(store_col_int(s, 5)));
}

int wf_store_events_json(struct store *st, int64_t request_id, json_t **ret)
{
	struct stmt *s = store_stmt(st, SQL_EVENTS);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, request_id);
	return store_rows(st, s, event_row, ret);
}

/* Pending requests whose current step the user may decide, oldest first. */
static const char SQL_INBOX[] =
        "SELECT " REQUEST_COLUMNS ", rs.step_id, rs.kind FROM step_assignees a "
        "JOIN requests r ON r.id = a.request_id AND r.step = a.seq AND r.status = 'pending' "
        "JOIN request_steps rs ON rs.request_id = r.id AND rs.seq = r.step "
        "WHERE a.user_id = $1 AND a.request_id > $2 ORDER BY a.request_id LIMIT $3";
static const char SQL_MINE[] = "SELECT " REQUEST_COLUMNS " FROM requests r WHERE "
                               "r.applicant_id = $1 AND r.id < $2 ORDER BY r.id DESC LIMIT $3";

static int list(struct store *st, const char *sql, int64_t user_id, int64_t after, int limit,
                json_t *items, int64_t *ret_next)
{
	struct stmt *s = store_stmt(st, sql);
	struct request_row row;
	int64_t last = 0;
	int r, n = 0;
	bool inbox = sql == SQL_INBOX;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, user_id);
	store_bind_int(s, 2, inbox ? after : (after > 0 ? after : INT64_MAX));
	store_bind_int(s, 3, limit + 1);
	*ret_next = 0;
	while ((r = store_step(st, s)) == 1) {
		json_t *o;

		if (n == limit) {
			*ret_next = last;
			break;
		}
		request_from(s, &row);
		o = request_row_json(&row);
		if (inbox) {
			json_object_set_new(o, "step", json_string(store_col_text(s, 12)));
			json_object_set_new(o, "step_kind", json_string(store_col_text(s, 13)));
		}
		json_array_append_new(items, o);
		last = row.id;
		request_row_release(&row);
		n++;
	}
	store_reset(s);
	return r < 0 ? r : 0;
}

int wf_store_inbox(struct store *st, int64_t user_id, int64_t after, int limit, json_t *items,
                   int64_t *ret_next)
{
	return list(st, SQL_INBOX, user_id, after, limit, items, ret_next);
}

int wf_store_mine(struct store *st, int64_t user_id, int64_t after, int limit, json_t *items,
                  int64_t *ret_next)
{
	return list(st, SQL_MINE, user_id, after, limit, items, ret_next);
}

/* --- account review campaigns ------------------------------------------------------------ */

static const char SQL_REVIEW_INSERT[] =
        "INSERT INTO review_campaigns (period, started_by, started_at) VALUES ($1, $2, $3)";

int wf_store_review_insert(struct store *st, const char *period, int64_t by, int64_t now,
                           int64_t *ret_id)
{
	struct stmt *s = store_stmt(st, SQL_REVIEW_INSERT);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, period);
	store_bind_id(s, 2, by);
	store_bind_int(s, 3, now);
	r = store_exec_stmt(st, s);
	if (r == 0)
		*ret_id = store_last_id(st);
	return r;
}

/*
 * One item per enabled account, with its flags:
 *   dormant          no login for 90 days (or never, for an account older than that);
 *   orphaned         no department, or a department without a head: nobody attests it;
 *   over_privileged  an administrator role, or three roles or more.
 * With the account's live API tokens (they are logins too), and "admin_separation" added
 * after (review.c) for an account that breaks the three-administrator rule.
 */
static const char SQL_REVIEW_ITEMS[] =
        "INSERT INTO review_items (campaign_id, department_id, user_id, roles, last_login_at, "
        "tokens, flags) SELECT $1, u.department_id, u.id, "
        "COALESCE((SELECT group_concat(role) FROM user_roles WHERE user_id = u.id), ''), "
        "u.last_login_at, (SELECT json_group_array(json_object('id', t.id, 'name', t.name, "
        " 'scopes', json(t.scopes), 'created_at', strftime('%Y-%m-%dT%H:%M:%SZ', t.created_at, "
        " 'unixepoch'), 'expires_at', strftime('%Y-%m-%dT%H:%M:%SZ', t.expires_at, 'unixepoch'), "
        " 'last_used_at', CASE WHEN t.last_used_at IS NULL THEN NULL ELSE "
        " strftime('%Y-%m-%dT%H:%M:%SZ', t.last_used_at, 'unixepoch') END)) FROM api_tokens t "
        " WHERE t.user_id = u.id AND t.revoked_at IS NULL AND t.expires_at > $2), "
        "(SELECT json_group_array(f) FROM ("
        " SELECT 'dormant' AS f WHERE COALESCE(u.last_login_at, u.created_at) < $2 - 90 * 86400"
        " UNION ALL SELECT 'orphaned' WHERE u.department_id IS NULL OR (SELECT head_user_id "
        " FROM departments d WHERE d.id = u.department_id) IS NULL"
        " UNION ALL SELECT 'over_privileged' WHERE EXISTS (SELECT 1 FROM user_roles ur JOIN roles"
        " ro ON ro.name = ur.role WHERE ur.user_id = u.id AND ro.admin_class = 1) OR (SELECT"
        " count(*) FROM user_roles WHERE user_id = u.id) >= 3)) "
        "FROM users u WHERE u.disabled = 0 AND (u.expires_at IS NULL OR u.expires_at > $2)";

int wf_store_review_items_create(struct store *st, int64_t campaign_id, int64_t now)
{
	struct stmt *s = store_stmt(st, SQL_REVIEW_ITEMS);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, campaign_id);
	store_bind_int(s, 2, now);
	return store_exec_stmt(st, s);
}

static const char SQL_REVIEW_ITEM_FLAG[] =
        "UPDATE review_items SET flags = json_insert(flags, '$[#]', $3) "
        "WHERE campaign_id = $1 AND user_id = $2";

int wf_store_review_item_flag(struct store *st, int64_t campaign_id, int64_t user_id,
                              const char *flag)
{
	struct stmt *s = store_stmt(st, SQL_REVIEW_ITEM_FLAG);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, campaign_id);
	store_bind_int(s, 2, user_id);
	store_bind_text(s, 3, flag);
	return store_exec_stmt(st, s);
}

static const char SQL_REVIEW_GET[] = "SELECT id, period, started_by, started_at, completed_at, "
                                     "version FROM review_campaigns WHERE id = $1";
static const char SQL_REVIEW_ITEMS_GET[] =
        "SELECT i.id, i.department_id, i.user_id, u.username, u.display_name, i.roles, "
        "i.last_login_at, i.flags, i.decision, i.decided_by, i.decided_at, i.comment, i.tokens "
        "FROM review_items i JOIN users u ON u.id = i.user_id WHERE i.campaign_id = $1 AND "
        "($2 = 1 OR i.department_id IN (SELECT id FROM departments WHERE head_user_id = $3) "
        " OR ($4 = 1 AND NOT EXISTS (SELECT 1 FROM departments d WHERE d.id = i.department_id "
        "     AND coalesce(d.head_user_id, 0) > 0 AND d.head_user_id <> i.user_id))) "
        "ORDER BY i.department_id, i.id";

static json_t *review_item_row(struct stmt *s)
{
	json_t *flags = store_col_json(s, 7);

	json_t *tokens = store_col_json(s, 12);

	return json_pack("{s:I, s:o, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	                 (json_int_t)store_col_int(s, 0), "department_id",
	                 json_id_or_null(store_col_int(s, 1)), "user_id",
	                 (json_int_t)store_col_int(s, 2), "username", store_col_text(s, 3),
	                 "display_name", store_col_text(s, 4), "roles", store_col_text(s, 5),
	                 "last_login_at", json_time_or_null(store_col_int(s, 6)), "flags",
	                 flags ? flags : json_array(), "decision", store_col_json_text(s, 8),
	                 "decided_by", json_id_or_null(store_col_int(s, 9)), "decided_at",
	                 json_time_or_null(store_col_int(s, 10)), "comment",
	                 store_col_json_text(s, 11), "tokens", tokens ? tokens : json_array());
}

int wf_store_review_json(struct store *st, int64_t id, int64_t head_of, bool all, bool unheaded,
                         json_t **ret)
{
	struct stmt *s = store_stmt(st, SQL_REVIEW_GET);
	json_t *items, *o;
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, id);
	r = store_step(st, s);
	if (r != 1) {
		store_reset(s);
		return r == 0 ? -ERR_NOT_FOUND : r;
	}
	o = json_pack(
	        "{s:I, s:s, s:o, s:o, s:o, s:I}", "id", (json_int_t)store_col_int(s, 0), "period",
	        store_col_text(s, 1), "started_by", json_id_or_null(store_col_int(s, 2)),
	        "started_at", json_time_or_null(store_col_int(s, 3)), "completed_at",
	        json_time_or_null(store_col_int(s, 4)), "version", (json_int_t)store_col_int(s, 5));
	store_reset(s);
	s = store_stmt(st, SQL_REVIEW_ITEMS_GET);
	if (!s) {
		json_decref(o);
		return -ERR_INTERNAL;
	}
	store_bind_int(s, 1, id);
	store_bind_int(s, 2, all);
	store_bind_int(s, 3, head_of);
	store_bind_int(s, 4, unheaded);
	r = store_rows(st, s, review_item_row, &items);
	if (r < 0) {
		json_decref(o);
		return r;
	}
	json_object_set_new(o, "items", items);
	*ret = o;
	return 0;
}

static const char SQL_REVIEW_LIST[] =
        "SELECT c.id, c.period, c.started_by, c.started_at, c.completed_at, c.version, "
        "(SELECT count(*) FROM review_items i WHERE i.campaign_id = c.id), "
        "(SELECT count(*) FROM review_items i WHERE i.campaign_id = c.id AND i.decision IS NULL), "
        "(SELECT count(*) FROM review_items i WHERE i.campaign_id = c.id AND i.flags <> '[]') "
        "FROM review_campaigns c WHERE ($1 = 0 OR c.id < $1) ORDER BY c.id DESC LIMIT $2";

static json_t *review_summary_row(struct stmt *s)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:I, s:I, s:I, s:I}", "id",
	                 (json_int_t)store_col_int(s, 0), "period", store_col_text(s, 1),
	                 "started_by", json_id_or_null(store_col_int(s, 2)), "started_at",
	                 json_time_or_null(store_col_int(s, 3)), "completed_at",
	                 json_time_or_null(store_col_int(s, 4)), "version",
	                 (json_int_t)store_col_int(s, 5), "items", (json_int_t)store_col_int(s, 6),
	                 "open", (json_int_t)store_col_int(s, 7), "flagged",
	                 (json_int_t)store_col_int(s, 8));
}

int wf_store_review_list(struct store *st, int64_t after, int limit, json_t **ret_items,
                         int64_t *ret_next)
{
	struct stmt *s = store_stmt(st, SQL_REVIEW_LIST);
	json_t *rows;
	int r;

	*ret_next = 0;
	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, after);
	store_bind_int(s, 2, limit + 1);
	r = store_rows(st, s, review_summary_row, &rows);
	if (r < 0)
		return r;
	if (json_array_size(rows) > (size_t)limit) {
		json_array_remove(rows, (size_t)limit);
		*ret_next = json_integer_value(
		        json_object_get(json_array_get(rows, (size_t)limit - 1), "id"));
	}
	*ret_items = rows;
	return 0;
}

static const char SQL_REVIEW_ITEM[] = "SELECT department_id, user_id, decision IS NOT NULL FROM "
                                      "review_items WHERE campaign_id = $1 AND id = $2";

int wf_store_review_item(struct store *st, int64_t campaign_id, int64_t item_id,
                         int64_t *ret_department, int64_t *ret_user, bool *ret_decided)
{
	struct stmt *s = store_stmt(st, SQL_REVIEW_ITEM);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, campaign_id);
	store_bind_int(s, 2, item_id);
	r = store_step(st, s);
	if (r == 1) {
		*ret_department = store_col_int(s, 0);
		*ret_user = store_col_int(s, 1);
		*ret_decided = store_col_i32(s, 2) != 0;
	}
	store_reset(s);
	return r == 1 ? 0 : r == 0 ? -ERR_NOT_FOUND : r;
}

static const char SQL_REVIEW_DECIDE[] = "UPDATE review_items SET decision = $2, decided_by = $3, "
                                        "decided_at = $4, comment = $5 WHERE id = $1";

int wf_store_review_item_decide(struct store *st, int64_t item_id, const char *decision, int64_t by,
                                int64_t now, const char *comment)
{
	struct stmt *s = store_stmt(st, SQL_REVIEW_DECIDE);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, item_id);
	store_bind_text(s, 2, decision);
	store_bind_int(s, 3, by);
	store_bind_int(s, 4, now);
	store_bind_text(s, 5, comment);
	return store_exec_stmt(st, s);
}

static const char SQL_REVIEW_COUNTS[] =
        "SELECT count(*) FILTER (WHERE decision IS NULL), count(*), "
        "count(*) FILTER (WHERE flags <> '[]') FROM review_items WHERE campaign_id = $1";

int wf_store_review_open_items(struct store *st, int64_t campaign_id, int64_t *ret_open,
                               int64_t *ret_total, int64_t *ret_flagged)
{
	struct stmt *s = store_stmt(st, SQL_REVIEW_COUNTS);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, campaign_id);
	r = store_step(st, s);
	if (r == 1) {
		*ret_open = store_col_int(s, 0);
		*ret_total = store_col_int(s, 1);
		*ret_flagged = store_col_int(s, 2);
	}
	store_reset(s);
	return r == 1 ? 0 : -ERR_INTERNAL;
}

static const char SQL_REVIEW_COMPLETE[] =
        "UPDATE review_campaigns SET completed_at = $2, version = version + 1 WHERE id = $1";

int wf_store_review_complete(struct store *st, int64_t campaign_id, int64_t now)
{
	struct stmt *s = store_stmt(st, SQL_REVIEW_COMPLETE);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, campaign_id);
	store_bind_int(s, 2, now);
	return store_exec_stmt(st, s);
}
