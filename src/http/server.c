/*
 * server.c: the libmicrohttpd daemon (thread pool, epoll). The access handler runs
 * several times per request: the first call allocates struct req, the next ones append
 * the body (capped at BODY_MAX: 413), the last one dispatches. NOTIFY_COMPLETED frees.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/util.h"
#include "app/app.h"
#include "http/http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>

#define TRUSTED_MAX 8

/* Built-in TLS as Mozilla's "intermediate" profile asks: TLS 1.2 and 1.3 only, forward-secret
 * key exchange (ECDHE) and AEAD ciphers only (GnuTLS priority string, for libmicrohttpd). */
#define TLS_PRIORITIES                                                                             \
 "SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:"                  \
 "-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD:"                        \
 "%SERVER_PRECEDENCE"

struct server {
	struct MHD_Daemon *d;
	struct app *app;
	bool tls;
	char *cert, *key;
	char trusted[TRUSTED_MAX][INET6_ADDRSTRLEN];
	size_t ntrusted;
};

bool server_tls(const struct server *s)
{
	return s && s->tls;
}

static void client_address(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
	        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	(void)snprintf(out, n, "unknown");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		          (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          out, (socklen_t)n);
}

/* An address in its canonical text form (inet_ntop of inet_pton), or false. */
static bool canonical_ip(const char *s, size_t n, char out[INET6_ADDRSTRLEN])
{
	unsigned char bin[sizeof(struct in6_addr)];
	char tmp[INET6_ADDRSTRLEN];

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof(tmp))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET, tmp, bin) == 1)
		return inet_ntop(AF_INET, bin, out, INET6_ADDRSTRLEN) != NULL;
	if (inet_pton(AF_INET6, tmp, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, INET6_ADDRSTRLEN) != NULL;
	return false;
}

static bool trusted_proxy(const struct server *s, const char *addr)
{
	size_t i;

	for (i = 0; i < s->ntrusted; i++)
		if (STREQ(s->trusted[i], addr))
			return true;
	return false;
}

/* Behind a trusted reverse proxy the client is the rightmost address of X-Forwarded-For
 * that no trusted proxy added; an unparsable entry stops the walk (the proxy's own peer). */
static void forwarded_address(const struct server *s, struct MHD_Connection *c, char *out, size_t n)
{
	const char *xff, *end;
	char ip[INET6_ADDRSTRLEN];

	if (!trusted_proxy(s, out))
		return;
	xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return;
	end = xff + strlen(xff);
	while (end > xff) {
		const char *start = end;

		while (start > xff && start[-1] != ',')
			start--;
		if (!canonical_ip(start, (size_t)(end - start), ip))
			return;
		(void)snprintf(out, n, "%s", ip);
		if (!trusted_proxy(s, ip))
			return;
		end = start > xff ? start - 1 : xff;
	}
}

/* English for "en…"; ?lang= (what a download link can send) wins over Accept-Language. */
static bool wants_english(struct MHD_Connection *c)
{
	const char *al = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");

	if (!al)
		al = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
	return al && (al[0] == 'e' || al[0] == 'E') && (al[1] == 'n' || al[1] == 'N');
}

static struct req *req_new(struct server *s, struct MHD_Connection *c, const char *url,
                           const char *method)
{
	static _Thread_local uint32_t prefix;
	static _Thread_local uint32_t counter;
	struct req *rq = xcalloc(1, sizeof(*rq));

	rq->conn = c;
	rq->app = s->app;
	rq->srv = s;
	rq->url = url;
	rq->method = method;
	router_resolve(rq);
	buf_init(&rq->body, rq->route && (rq->route->flags & ROUTE_UPLOAD) ? UPLOAD_MAX : BODY_MAX);
	client_address(c, rq->source, sizeof(rq->source));
	forwarded_address(s, c, rq->source, sizeof(rq->source));
	/* A correlation id for logs and error answers: unique, not secret. */
	if (prefix == 0)
		prefix = randombytes_random() | 1u;
	(void)snprintf(rq->request_id, sizeof(rq->request_id), "%08" PRIx32 "%08" PRIx32, prefix,
	               counter++);
	rq->lang_en = wants_english(c);
	return rq;
}

static void req_free(struct req *rq)
{
	if (!rq)
		return;
	buf_release_secret(&rq->body); /* bodies carry passwords */
	json_decref(rq->json);
	json_decref(rq->error_report);
	if (rq->authed)
		auth_session_release(&rq->session);
	free(rq->set_cookie);
	free(rq);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
	struct server *s = cls;
	struct req *rq = *req_cls;

	(void)version;
	if (!rq) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		uint64_t n;

		rq = req_new(s, c, url, method);
		*req_cls = rq;
		if (cl && (parse_uint(cl, UINT64_MAX, &n) < 0 || n > rq->body.max)) {
			/* Refuse before reading: MHD then skips the body and closes. */
			rq->too_large = true;
			return router_dispatch(rq);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!rq->too_large && buf_add(&rq->body, upload_data, *upload_data_size) < 0) {
			rq->too_large = true;
			buf_release_secret(&rq->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (rq->status)
		return MHD_YES;
	return router_dispatch(rq);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	req_free(*req_cls);
	*req_cls = NULL;
}

static void PRINTF(2, 0) mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_warn("http: %s", msg);
}

/* Parses "HOST:PORT" or "[V6]:PORT" into *ss. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[128];
	const char *colon;
	uint64_t port;
	size_t hl;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (!end || end[1] != ':')
			return -ERR_INVALID;
		hl = (size_t)(end - s - 1);
		colon = end + 1;
		if (hl >= sizeof(host))
			return -ERR_INVALID;
		memcpy(host, s + 1, hl);
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return -ERR_INVALID;
		hl = (size_t)(colon - s);
		if (hl >= sizeof(host))
			return -ERR_INVALID;
		memcpy(host, s, hl);
	}
	host[hl] = '\0';
	if (parse_uint(colon + 1, 65535, &port) < 0)
		return -ERR_INVALID;
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		((struct sockaddr_in *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in6);
		return 0;
	}
	return -ERR_INVALID;
}

static bool is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	if (ss->ss_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
	return false;
}

static char *read_pem(const char *path)
{
	struct buf b = BUF_INIT(1 << 20);

	if (fs_read(path, 1 << 20, &b) < 0) {
		buf_release_secret(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

int server_start(struct app *a, const struct server_options *o, struct server **ret_srv)
{
	struct server *s = xcalloc(1, sizeof(*s));
	struct sockaddr_storage ss;
	socklen_t slen = 0;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_TURBO;
	int r;

	s->app = a;
	for (size_t i = 0; i < o->ntrusted && i < TRUSTED_MAX; i++) {
		if (!canonical_ip(o->trusted_proxies[i], strlen(o->trusted_proxies[i]),
		                  s->trusted[s->ntrusted])) {
			log_error("--trusted-proxy '%s' is not an IP address",
			          o->trusted_proxies[i]);
			r = -ERR_INVALID;
			goto fail;
		}
		s->ntrusted++;
	}
	r = parse_listen(o->listen, &ss, &slen);
	if (r < 0) {
		log_error("cannot parse listen address '%s' (use HOST:PORT, e.g. 127.0.0.1:8080)",
		          o->listen);
		goto fail;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* ASVS I8: cleartext only on loopback, or from a TLS-terminating proxy. */
	if (!o->tls_cert && !o->behind_tls_proxy && !is_loopback(&ss)) {
		log_error("refusing to serve plain HTTP on '%s': give --tls-cert/--tls-key, or "
		          "--behind-tls-proxy when a TLS proxy (e.g. nginx) fronts isms",
		          o->listen);
		r = -ERR_INVALID;
		goto fail;
	}
	if (o->behind_tls_proxy) {
		s->tls = true;
		a->tls = true;
	}
	if (o->tls_cert || o->tls_key) {
		if (!o->tls_cert || !o->tls_key) {
			log_error("--tls-cert and --tls-key go together");
			r = -ERR_INVALID;
			goto fail;
		}
		s->cert = read_pem(o->tls_cert);
		s->key = read_pem(o->tls_key);
		if (!s->cert || !s->key) {
			log_error("cannot read '%s' or '%s'", o->tls_cert, o->tls_key);
			r = -ERR_INVALID;
			goto fail;
		}
		s->tls = true;
		a->tls = true;
		flags |= MHD_USE_TLS;
	}
	s->d = MHD_start_daemon(
	        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
	        o->threads ? o->threads : 8u, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16 * 1024, MHD_OPTION_CONNECTION_LIMIT,
	        1000u, MHD_OPTION_PER_IP_CONNECTION_LIMIT, 256u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	        s->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, s->cert,
	        MHD_OPTION_HTTPS_MEM_KEY, s->key, MHD_OPTION_HTTPS_PRIORITIES, TLS_PRIORITIES,
	        MHD_OPTION_END);
	if (!s->d) {
		log_error("cannot listen on '%s': %s", o->listen, strerror(errno));
		r = -ERR_INTERNAL;
		goto fail;
	}
	*ret_srv = s;
	return 0;
fail:
	server_stop(s);
	return r;
}

unsigned server_port(const struct server *s)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);

	return di ? di->port : 0;
}

void server_stop(struct server *s)
{
	if (!s)
		return;
	if (s->d)
		MHD_stop_daemon(s->d);
	if (s->key) {
		sodium_memzero(s->key, strlen(s->key));
		free(s->key);
	}
	free(s->cert);
	free(s);
}
