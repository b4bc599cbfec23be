/*
 * static.c: the web interface (web/, built by Vite) served from the copy embedded in the
 * binary. Nothing is read from the disk, so no path can reach outside the build.
 */
#include "core/common.h"

#include <pthread.h>
#include <strings.h>
#include <sodium.h>

#include "core/embedded.h"
#include "http/http.h"

extern const struct embedded_file embedded_web[];
extern const size_t embedded_web_count;

#define ETAG_LEN  36 /* quotes, 32 hex digits, "z" for the compressed copy, NUL */
#define MAX_FILES 512

static char etags[MAX_FILES][ETAG_LEN];
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

/* An entity tag per file: its BLAKE2b-128, so that a new build never matches an old one. */
static void make_etags(void)
{
	unsigned char h[16];
	char hex[33];
	size_t i;

	for (i = 0; i < embedded_web_count && i < MAX_FILES; i++) {
		crypto_generichash(h, sizeof(h), (const unsigned char *)embedded_web[i].data,
		                   embedded_web[i].len, NULL, 0);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		(void)snprintf(etags[i], ETAG_LEN, "\"%s\"", hex);
	}
}

static ssize_t find(const char *name)
{
	size_t i;

	for (i = 0; i < embedded_web_count && i < MAX_FILES; i++)
		if (embedded_web[i].name && STREQ(embedded_web[i].name, name))
			return (ssize_t)i;
	return -1;
}

static const char *content_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".woff2", "font/woff2" },
		{ ".woff", "font/woff" },
		{ ".ttf", "font/ttf" },
		{ ".json", "application/json" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot && i < ARRAY_SIZE(types); i++)
		if (STREQ(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static bool accepts_gzip(struct req *rq)
{
	const char *ae = req_header(rq, "Accept-Encoding");

	return ae && strstr(ae, "gzip");
}

int static_serve(struct req *rq)
{
	const char *path = rq->url, *last;
	struct static_reply h = { 0 };
	const char *inm;
	char gz[PATH_MAX], etag[ETAG_LEN + 1];
	ssize_t i, z;

	if (!STREQ(rq->method, "GET") && !STREQ(rq->method, "HEAD"))
		return 0;
	/* The API's paths, in any case, keep the API's answers (a JSON 404). */
	if (strncasecmp(path, "/api/", 5) == 0 || strcasecmp(path, "/api") == 0 || path[0] != '/')
		return 0;
	pthread_once(&etags_once, make_etags);
	i = find(path[1] ? path + 1 : "index.html");
	if (i < 0) {
		/* A path of the interface itself (no file extension) gets the page, which
		 * routes it in the browser; a missing file is a 404. */
		last = strrchr(path, '/');
		if (strchr(last, '.'))
			return 0;
		i = find("index.html");
		if (i < 0)
			return 0;
	}
	h.type = content_type(embedded_web[i].name);
	h.cache = strncmp(embedded_web[i].name, "assets/", 7) == 0
	                  ? "public, max-age=31536000, immutable" /* names carry their hash */
	          : STREQ(embedded_web[i].name, "index.html") ? "no-cache"
	                                                      : "public, max-age=86400";
	h.etag = etags[i];
	(void)snprintf(gz, sizeof(gz), "%s.gz", embedded_web[i].name);
	z = accepts_gzip(rq) ? find(gz) : -1;
	if (z >= 0) {
		/* The compressed copy is another representation: its own tag. */
		(void)snprintf(etag, sizeof(etag), "%.*sz\"", (int)strlen(etags[i]) - 1, etags[i]);
		h.etag = etag;
		h.encoding = "gzip";
		i = z;
	}
	inm = req_header(rq, "If-None-Match");
	if (inm && strstr(inm, h.etag)) {
		h.encoding = NULL;
		return reply_static(rq, 304, "", 0, &h) < 0 ? -ERR_INTERNAL : 1;
	}
	return reply_static(rq, 200, embedded_web[i].data, embedded_web[i].len, &h) < 0
	               ? -ERR_INTERNAL
	               : 1;
}
