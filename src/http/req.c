/*
 * req.c: building responses (JSON, errors with their localized message, security headers
 * on every response, the session cookie) and reading request input (query, body, headers).
 */
#include "core/common.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "core/spec.h"
#include "app/app.h"
#include "core/alloc.h"
#include "core/fs.h"
#include "http/http.h"

#include <unistd.h>

static void security_headers(struct req *rq, struct MHD_Response *resp, const char *cache)
{
	MHD_add_response_header(resp, "Content-Security-Policy",
	                        "default-src 'self'; script-src 'self'; style-src 'self' "
	                        "'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
	                        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy",
	                        "camera=(), microphone=(), geolocation=()");
	MHD_add_response_header(resp, "Cache-Control", cache);
	MHD_add_response_header(resp, "X-Request-Id", rq->request_id);
	if (rq->srv && server_tls(rq->srv))
		MHD_add_response_header(resp, "Strict-Transport-Security",
		                        "max-age=31536000; includeSubDomains");
}

int reply_json(struct req *rq, unsigned status, json_t *body)
{
	static char empty[1];
	struct MHD_Response *resp;
	char *text = NULL;
	size_t len = 0;
	enum MHD_Result ok;

	if (body) {
		text = json_dumps(body, JSON_COMPACT);
		json_decref(body);
		if (!text)
			return -ERR_INTERNAL;
		len = strlen(text);
	}
	resp = MHD_create_response_from_buffer(
	        len, text ? text : empty, text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(text);
		return -ERR_INTERNAL;
	}
	if (body)
		MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	security_headers(rq, resp, "no-store");
	if (rq->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", rq->set_cookie);
	if (status == 405 && rq->allow[0])
		MHD_add_response_header(resp, "Allow", rq->allow); /* RFC 9110 15.5.6 */
	ok = MHD_queue_response(rq->conn, status, resp);
	MHD_destroy_response(resp);
	rq->status = (int)status;
	return ok == MHD_YES ? 0 : -ERR_INTERNAL;
}

/* RFC 5987 attr-char percent-encoding of a UTF-8 file name (caller frees). */
static char *url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = xmalloc(3 * strlen(s) + 1), *o = out;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("!#$&+-.^_`|~", c)) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

int reply_bytes(struct req *rq, void *data, size_t len, const char *type, const char *filename)
{
	struct MHD_Response *resp;
	enum MHD_Result ok;
	char *cd = NULL, *enc;

	resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(data);
		return -ERR_INTERNAL;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	if (filename) {
		/* RFC 6266 / 5987: an ASCII fallback and the UTF-8 name percent-encoded. */
		enc = url_encode(filename);
		cd = xasprintf("attachment; filename=\"download\"; filename*=UTF-8''%s", enc);
		MHD_add_response_header(resp, "Content-Disposition", cd);
		free(enc);
		free(cd);
	}
	security_headers(rq, resp, "no-store");
	if (rq->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", rq->set_cookie);
	ok = MHD_queue_response(rq->conn, 200, resp);
	MHD_destroy_response(resp);
	rq->status = 200;
	return ok == MHD_YES ? 0 : -ERR_INTERNAL;
}

int reply_static(struct req *rq, unsigned status, const void *data, size_t len,
                 const struct static_reply *h)
{
	struct MHD_Response *resp;
	enum MHD_Result ok;

	/* The bytes are the binary's own (embedded), so they need no copy and no free. */
	resp = MHD_create_response_from_buffer(len, (void *)(uintptr_t)data,
	                                       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return -ERR_INTERNAL;
	if (h->type)
		MHD_add_response_header(resp, "Content-Type", h->type);
	if (h->encoding)
		MHD_add_response_header(resp, "Content-Encoding", h->encoding);
	if (h->etag)
		MHD_add_response_header(resp, "ETag", h->etag);
	MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	security_headers(rq, resp, h->cache);
	ok = MHD_queue_response(rq->conn, status, resp);
	MHD_destroy_response(resp);
	rq->status = (int)status;
	return ok == MHD_YES ? 0 : -ERR_INTERNAL;
}

/* The status of an error: its kind's, except two codes HTTP has its own status for. */
static unsigned status_of(enum err kind, const char *code)
{
	if (STREQ(code, "method_not_allowed"))
		return 405;
	if (STREQ(code, "unsupported_media_type"))
		return 415;
	return (unsigned)err_status(kind);
}

int reply_error(struct req *rq, int r)
{
	enum err kind = r < 0 ? (enum err)(-r) : ERR_INTERNAL;
	const char *code = rq->problem.code ? rq->problem.code : err_code(kind);
	json_t *e;

	if (kind == ERR_NOT_FOUND && !rq->problem.code)
		code = "not_found";
	if (kind == ERR_INTERNAL || kind >= ERR__COUNT || (int)kind <= 0) {
		kind = ERR_INTERNAL;
		code = "internal";
		log_error("request %s %s failed (request id %s)", rq->method, rq->url,
		          rq->request_id);
	}
	/* A field's problem says why and names the field in the person's language. */
	e = json_pack("{s:s, s:s, s:s}", "code", code, "message",
	              rq->problem.reason && rq->problem.msg_zh[0]
	                      ? (rq->lang_en ? rq->problem.msg_en : rq->problem.msg_zh)
	                      : error_message(code, rq->lang_en),
	              "request_id", rq->request_id);
	if (rq->problem.reason)
		json_object_set_new(e, "reason", json_string(rq->problem.reason));
	if (rq->problem.field)
		json_object_set_new(e, "field", json_string(rq->problem.field));
	if (rq->problem.detail[0] && kind != ERR_INTERNAL)
		json_object_set_new(e, "detail", json_string(rq->problem.detail));
	if (rq->error_report)
		json_object_set(e, "report", rq->error_report);
	if (kind == ERR_LOCKED) {
		char t[RFC3339_LEN];

		time_format_rfc3339(rq->problem.until, t);
		json_object_set_new(e, "unlock_at",
		                    rq->problem.until ? json_string(t) : json_null());
	}
	return reply_json(rq, status_of(kind, code), json_pack("{s:o}", "error", e));
}

const char *req_query(struct req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct key_filters {
	struct req *rq;
	const char **fields, **values;
	int n, max, r;
};

static enum MHD_Result key_filter(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
	struct key_filters *k = cls;

	(void)kind;
	if (strncmp(key, "f.", 2) != 0)
		return MHD_YES;
	if (k->n == k->max || !value || !*value || !key[2]) {
		k->r = problem_setf(&k->rq->problem, ERR_INVALID, "invalid", "f",
		                    "at most %d field filters f.FIELD=VALUE, each with a value",
		                    k->max);
		return MHD_NO;
	}
	k->fields[k->n] = key + 2;
	k->values[k->n] = value;
	k->n++;
	return MHD_YES;
}

int req_key_filters(struct req *rq, const char **fields, const char **values, int max)
{
	struct key_filters k = { rq, fields, values, 0, max, 0 };

	(void)MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, key_filter, &k);
	return k.r;
}

const char *req_header(struct req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

int req_query_id(struct req *rq, const char *name, int64_t *ret)
{
	const char *v = req_query(rq, name);
	uint64_t n;

	*ret = 0;
	if (!v)
		return 0;
	if (parse_uint(v, INT64_MAX, &n) < 0 || n == 0)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", name, "a positive id");
	*ret = (int64_t)n;
	return 0;
}

int req_page(struct req *rq, int *ret_limit, int64_t *ret_after)
{
	const char *l = req_query(rq, "limit"), *a = req_query(rq, "after");
	uint64_t v;

	*ret_limit = 50;
	*ret_after = 0;
	if (l) {
		if (parse_uint(l, 500, &v) < 0 || v == 0)
			return problem_setf(&rq->problem, ERR_INVALID, "invalid", "limit",
			                    "a whole number from 1 to 500");
		*ret_limit = (int)v;
	}
	if (a) {
		if (parse_uint(a, INT64_MAX, &v) < 0 || v == 0)
			return problem_setf(&rq->problem, ERR_INVALID, "invalid", "after",
			                    "use the \"next\" value of the previous page");
		*ret_after = (int64_t)v;
	}
	return 0;
}

json_t *page_json(json_t *items_take, int64_t next)
{
	char n[24];

	(void)snprintf(n, sizeof(n), "%" PRId64, next);
	return json_pack("{s:o, s:o}", "items", items_take, "next",
	                 next ? json_string(n) : json_null());
}

int req_body(struct req *rq, json_t **ret)
{
	if (!rq->json)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid_json", NULL,
		                    "send a JSON object");
	*ret = rq->json;
	return 0;
}

int req_spec(struct req *rq, const struct spec *s, bool optional, json_t **ret)
{
	if (!rq->json && optional)
		rq->json = json_object(); /* freed with the request, as a parsed body is */
	if (!rq->json)
		return req_body(rq, ret);
	*ret = rq->json;
	return spec_check(s, rq->json, "", &rq->problem);
}

int reply_sheet(struct req *rq, const struct sheet *sh, const enum sheet_cell_kind *kinds,
                bool xlsx, const char *title, const char *filename)
{
	struct buf out = BUF_INIT(BUF_NOMAX);
	char *tmp = NULL;
	int r;

	if (xlsx) {
		/* libxlsxwriter writes a file: a private temporary one under DIR. */
		char *dir = fs_join(rq->app->data_dir, "tmp");

		(void)fs_mkdir(dir, 0700);
		tmp = xasprintf("%s/export-%s.xlsx", dir, rq->request_id);
		free(dir);
		r = sheet_write_xlsx(tmp, title, sh, kinds);
		if (r == 0)
			r = fs_read(tmp, (size_t)1 << 31, &out);
		(void)unlink(tmp);
		free(tmp);
	} else {
		r = sheet_write_csv(&out, sh, kinds);
	}
	if (r == 0) {
		size_t len = out.len;
		char *data = buf_detach(&out, NULL);

		r = reply_bytes(
		        rq, data, len,
		        xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		             : "text/csv; charset=utf-8",
		        filename);
	}
	buf_release(&out);
	return r;
}
