/*
 * routes_audit.c: the audit trail for the audit administrator: search, verification,
 * signed checkpoints, inclusion and consistency proofs.
 */
#include "core/common.h"
#include "core/clock.h"
#include "core/util.h"
#include "app/app.h"
#include "audit/audit.h"
#include "http/http.h"
#include "http/routes.h"
#include "cli/cli.h"

static int query_time(struct req *rq, const char *name, int64_t *ret)
{
	const char *v = req_query(rq, name);

	*ret = 0;
	if (v && time_parse_rfc3339(v, ret) < 0)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", name,
		                    "an RFC 3339 time such as 2026-11-21T08:00:00Z");
	return 0;
}

static int query_text(struct req *rq, const char *name, const char **ret)
{
	const char *v = req_query(rq, name);

	*ret = NULL;
	if (v && (strlen(v) > 200 || !utf8_valid(v, strlen(v), false)))
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", name,
		                    "at most 200 bytes");
	*ret = v && *v ? v : NULL;
	return 0;
}

int h_audit_list(struct req *rq)
{
	struct audit_filter f = { 0 };
	json_t *items = NULL;
	int64_t next = 0;
	int r;

	r = req_page(rq, &f.limit, &f.after);
	if (r == 0)
		r = query_text(rq, "actor", &f.actor);
	if (r == 0)
		r = query_text(rq, "action", &f.action);
	if (r == 0)
		r = query_text(rq, "object", &f.object);
	if (r == 0)
		r = query_text(rq, "outcome", &f.outcome);
	if (r == 0)
		r = query_time(rq, "from", &f.from);
	if (r == 0)
		r = query_time(rq, "to", &f.to);
	if (r < 0)
		return r;
	r = audit_list(rq->st, &f, &items, &next);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

int h_audit_verify(struct req *rq)
{
	struct audit_verify_result res;
	json_t *body;
	int r;

	memset(&res, 0, sizeof(res));
	r = audit_verify(rq->st, rq->app->verifier, NULL, &res);
	if (r < 0 && r != -ERR_CONFLICT)
		return r;
	/* Without a checkpoint from outside, an intact answer proves consistency only: whoever
	 * holds the signing key can rewrite and re-sign (docs/security.md). */
	body = json_pack("{s:b, s:I, s:I, s:s}", "ok", r == 0, "entries", (json_int_t)res.entries,
	                 "checkpoints", (json_int_t)res.checkpoints, "proves", "consistency");
	if (r == -ERR_CONFLICT) {
		json_object_set_new(body, "message", json_string(res.message));
		json_object_set_new(body, "first_bad_seq",
		                    res.first_bad_seq ? json_integer(res.first_bad_seq)
		                                      : json_null());
	}
	{
		json_t *d =
		        json_pack("{s:b, s:I}", "ok", r == 0, "entries", (json_int_t)res.entries);

		r = audit_record(rq->st, &(struct audit_event){ .actor = &rq->actor,
		                                                .action = "audit.verify",
		                                                .detail = d });
		json_decref(d);
		if (r < 0) {
			json_decref(body);
			return r;
		}
	}
	return reply_json(rq, 200, body);
}

int h_audit_checkpoint(struct req *rq)
{
	char *note = NULL;
	int r = audit_checkpoint(rq->st, rq->app->signer, &note);
	json_t *body;

	if (r < 0)
		return r;
	body = json_pack("{s:s, s:s}", "checkpoint", note, "verifier_key", rq->app->verifier);
	free(note);
	r = audit_record(rq->st, &(struct audit_event){ .actor = &rq->actor,
	                                                .action = "audit.checkpoint_export" });
	if (r < 0) {
		json_decref(body);
		return r;
	}
	return reply_json(rq, 200, body);
}

static int query_size(struct req *rq, const char *name, int64_t *ret)
{
	const char *v = req_query(rq, name);
	uint64_t n;

	*ret = 0;
	if (v && parse_uint(v, INT64_MAX, &n) < 0)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", name, "a tree size");
	if (v)
		*ret = (int64_t)n;
	return 0;
}

int h_audit_proof(struct req *rq)
{
	json_t *out = NULL;
	int64_t size;
	int r = query_size(rq, "size", &size);

	if (r < 0)
		return r;
	r = audit_inclusion_proof(rq->st, rq->params[0], size, &out);
	if (r == -ERR_INVALID)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "size",
		                    "the tree size must cover the entry");
	if (r < 0)
		return r;
	return reply_json(rq, 200, out);
}

int h_audit_consistency(struct req *rq)
{
	json_t *out = NULL;
	int64_t first, second;
	int r = query_size(rq, "first", &first);

	if (r == 0)
		r = query_size(rq, "second", &second);
	if (r < 0)
		return r;
	if (first <= 0)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "first", "required");
	if (second == 0 && audit_size(rq->st, &second) < 0)
		return -ERR_INTERNAL;
	if (second < first)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "second",
		                    "must not be smaller than first");
	r = audit_consistency_proof(rq->st, first, second, &out);
	if (r == -ERR_NOT_FOUND || r == -ERR_INVALID)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "second",
		                    "beyond the end of the log");
	if (r < 0)
		return r;
	return reply_json(rq, 200, out);
}

/* --- the module (app/module.h) ---------------------------------------------------- */

static const struct permission audit_perms[] = {
	{ "audit.read", PERM_AUDIT, "查阅审计日志、检查点和证明",
	  "Read the audit trail, its checkpoints and proofs" },
	{ "audit.verify", PERM_AUDIT, "校验审计日志", "Verify the audit trail" },
};

static const struct route audit_routes[] = {
	{ "GET", "/api/v1/audit", h_audit_list, 0, "audit.read" },
	{ "GET", "/api/v1/audit/verify", h_audit_verify, 0, "audit.verify" },
	{ "GET", "/api/v1/audit/checkpoint", h_audit_checkpoint, 0, "audit.read" },
	{ "GET", "/api/v1/audit/consistency", h_audit_consistency, 0, "audit.read" },
	{ "GET", "/api/v1/audit/{id}/proof", h_audit_proof, 0, "audit.read" },
};

static const struct cli_command audit_cli[] = {
	{ "audit", cmd_audit, "verify the audit trail, export checkpoints and proofs" },
};

const struct module audit_module = {
	.name = "audit",
	.perms = MODULE_LIST(audit_perms),
	.routes = MODULE_LIST(audit_routes),
	.cli = MODULE_LIST(audit_cli),
};
