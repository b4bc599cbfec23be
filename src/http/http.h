/*
 * http.h: the HTTP layer (libmicrohttpd): the only code that sees HTTP. A request is one
 * struct req, created on the first MHD callback and freed in NOTIFY_COMPLETED; handlers
 * parse, call one domain verb and serialize, or return -ERR_* with rq->problem set.
 */
#ifndef ISMS_HTTP_HTTP_H
#define ISMS_HTTP_HTTP_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/module.h"
#include "auth/auth.h"
#include "core/actor.h"
#include "core/buf.h"
#include "core/common.h"
#include "forms/sheet.h"

struct app;
struct store;
struct server;

#define BODY_MAX   (1u << 20)  /* 1 MiB: 413 past it */
#define UPLOAD_MAX (20u << 20) /* file uploads and imports (ROUTE_UPLOAD) */

struct req;

struct req {
	struct MHD_Connection *conn;
	struct app *app;
	struct server *srv;
	const char *method, *url;
	struct buf body;
	bool too_large;
	json_t *json; /* the parsed body (an object), or NULL */
	struct problem problem;
	json_t *error_report; /* added to an error answer as error.report (e.g. an import's) */
	char source[64];
	char request_id[20];
	bool lang_en;
	const struct route *route; /* NULL: no route for this method and path */
	bool path_known;           /* the path has routes (of other methods: 405) */
	int64_t params[2];
	struct store *st;
	bool authed;
	struct auth_session session;
	struct actor actor;
	char *set_cookie; /* owned */
	char allow[40];   /* a 405's Allow header: the methods the path has */
	int status;       /* the status sent, for the access log */
};

/* --- server.c -------------------------------------------------------------------- */
struct server_options {
	const char *listen; /* "127.0.0.1:8080", "[::1]:0" */
	const char *tls_cert, *tls_key;
	bool behind_tls_proxy; /* plain HTTP from a TLS-terminating proxy: Secure cookies, HSTS */
	unsigned threads;
	/* Addresses of reverse proxies whose X-Forwarded-For is believed (at most 8): the
	 * client address is then the rightmost one they did not add. Anyone else's header is
	 * ignored, so that nobody picks the address the audit trail and the rate limits see. */
	const char *trusted_proxies[8];
	size_t ntrusted;
};
int server_start(struct app *a, const struct server_options *o, struct server **ret_srv);
unsigned server_port(const struct server *s);
void server_stop(struct server *s);
/* true when clients reach isms over TLS (its own, or a TLS-terminating proxy's) */
bool server_tls(const struct server *s);

/* --- req.c ---------------------------------------------------------------------- */
/* Queues a JSON response (steals body; NULL = no body). Returns 0 or -ERR_INTERNAL. */
int reply_json(struct req *rq, unsigned status, json_t *body);
/* Queues a download (steals data, malloc'd): Content-Type type, and when filename is
 * non-NULL a Content-Disposition attachment with that (UTF-8) name. */
int reply_bytes(struct req *rq, void *data, size_t len, const char *type, const char *filename);
/* Sends a table as an XLSX file (xlsx; written through a private temporary file under
 * DIR/tmp, the worksheet named title) or as CSV, offered for download as filename. */
struct sheet;
int reply_sheet(struct req *rq, const struct sheet *sh, const enum sheet_cell_kind *kinds,
                bool xlsx, const char *title, const char *filename);
/* Queues the error for r (< 0) and rq->problem. */
int reply_error(struct req *rq, int r);
/* A file of the web interface: data is static (embedded) and is not copied. */
struct static_reply {
	const char *type, *cache, *encoding, *etag; /* encoding, etag: NULL = none */
};
int reply_static(struct req *rq, unsigned status, const void *data, size_t len,
                 const struct static_reply *h);

/* --- static.c ------------------------------------------------------------------- */
/* Serves the embedded web interface for GET and HEAD outside /api/: a file of the build,
 * or index.html for the interface's own paths (/registers/…), so that a reload works.
 * Hashed assets are cached for a year, index.html is revalidated (ETag) on every load.
 * Returns 1 when it answered, 0 when the request is not for it. */
int static_serve(struct req *rq);
/* A query parameter (decoded) or NULL. */
const char *req_query(struct req *rq, const char *name);
/* limit (1..500, default 50) and after (a cursor from a previous page; 0 = start). */
int req_page(struct req *rq, int *ret_limit, int64_t *ret_after);
/* An optional positive id in the query (?name=N); *ret = 0 when absent; 400 invalid. */
int req_query_id(struct req *rq, const char *name, int64_t *ret);
/* Adds "items" and "next" (string or null) to a list response. */
json_t *page_json(json_t *items_take, int64_t next);
/* The body parsed as an object (400 when absent). */
int req_body(struct req *rq, json_t **ret);
/* Refuses keys of o not in the NULL-terminated allowed list (mass assignment, ASVS C4). */
/* The body checked against an input spec (core/spec.h): 400 with the field, its reason and a
 * message naming it. optional: no body counts as {}. */
struct spec;
int req_spec(struct req *rq, const struct spec *s, bool optional, json_t **ret);
/* A string member: 400 with the field named when missing (if required), not text, empty
 * (if required) or longer than max_bytes. *ret is borrowed from o (NULL when absent). */
/* The query parameters "f.FIELD=VALUE" (at most max; 400 past it): the field names and
 * values, borrowed for the request's life. */
int req_key_filters(struct req *rq, const char **fields, const char **values, int max);
/* A header value or NULL. */
const char *req_header(struct req *rq, const char *name);

/* --- error.c -------------------------------------------------------------------- */
/* The user-facing message of an error code, in Chinese or English. */
const char *error_message(const char *code, bool en);

/* --- router.c ------------------------------------------------------------------- */
/* Finds the request's route once, when it begins (rq->route, rq->params, rq->path_known):
 * the body limit depends on it (UPLOAD_MAX for uploads) and the dispatch uses it. */
void router_resolve(struct req *rq);
/* Runs the whole request: route, body, auth, password/2FA gates, CSRF, role, handler. */
enum MHD_Result router_dispatch(struct req *rq);

/* --- ratelimit.c ---------------------------------------------------------------- */
struct ratelimit_key {
	const char *scope;  /* "login-address", "login" */
	const char *source; /* the client address */
	const char *name;   /* the login name, or NULL */
};
/* true when another event of key is allowed in the current minute (per_minute max); a
 * refusal is counted for ratelimit_audit. */
bool ratelimit_allow(const struct ratelimit_key *k, int per_minute);
/* Writes one audit entry "login.rate_limited" per key and finished minute that had
 * refusals, with their count (all: the current minute too, when the server stops). */
int ratelimit_audit(struct store *st, bool all);

#endif
