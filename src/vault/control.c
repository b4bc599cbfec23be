/*
 * control.c: the control socket of `isms serve` for the vault (control.h). One thread
 * accepts one connection at a time (an unseal runs argon2id, which is meant to be slow);
 * each connection carries one request of at most 8 KiB and gets one answer, with 10-second
 * timeouts either way. Peers other than the server's own user (or root) are refused.
 */
#include "core/common.h"
#include "vault/control.h"

#include "core/host.h"
#include "settings/settings.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/fs.h"
#include "core/log.h"
#include "store/store.h"
#include "vault/vault.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define REQUEST_MAX  8192
#define REPLY_MAX    65536
#define IO_TIMEOUT   10  /* seconds, server side */
#define CALL_TIMEOUT 120 /* seconds, client side: an unseal may queue behind another */

struct vault_control {
	struct app *app;
	struct vault *vault;
	int fd;
	int wake[2];
	int dirfd;
	pthread_t thread;
	char *path;
};

/* The address of DIR/run/control.sock; paths too long for sun_path go through the open
 * folder (/proc/self/fd/N/control.sock). *ret_dirfd is -1 or that folder, to close. */
static int address(const char *run, struct sockaddr_un *sa, int *ret_dirfd)
{
	char *path = fs_join(run, VAULT_CONTROL_SOCK);
	int dfd = -1;

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) < sizeof(sa->sun_path)) {
		memcpy(sa->sun_path, path, strlen(path) + 1);
	} else {
		dfd = open(run, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0) {
			free(path);
			return -ERR_NOT_FOUND;
		}
		int n = snprintf(sa->sun_path, sizeof(sa->sun_path), "/proc/self/fd/%d/%s", dfd,
		                 VAULT_CONTROL_SOCK);
		if (n < 0 || (size_t)n >= sizeof(sa->sun_path)) {
			close(dfd);
			free(path);
			return -ERR_INTERNAL;
		}
	}
	free(path);
	*ret_dirfd = dfd;
	return 0;
}

static void timeouts(int fd, int seconds)
{
	struct timeval tv = { .tv_sec = seconds, .tv_usec = 0 };

	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -ERR_INTERNAL;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads until the peer's EOF; -ERR_TOO_LARGE past max (buf holds max bytes). */
static int read_all(int fd, char *buf, size_t max, size_t *ret_len)
{
	size_t got = 0;

	for (;;) {
		ssize_t n;

		if (got == max)
			return -ERR_TOO_LARGE;
		n = recv(fd, buf + got, max - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -ERR_INTERNAL;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	*ret_len = got;
	return 0;
}

/* --- the server side --------------------------------------------------------------------- */

static json_t *error_reply(int r, const struct problem *p)
{
	enum err kind = r < 0 ? (enum err)(-r) : ERR_INTERNAL;
	char t[RFC3339_LEN];

	if ((int)kind <= 0 || kind >= ERR__COUNT)
		kind = ERR_INTERNAL;
	time_format_rfc3339(p->until, t);
	return json_pack("{s:b, s:{s:s, s:i, s:s, s:o}}", "ok", 0, "error", "code",
	                 p->code ? p->code : err_code(kind), "status", err_status(kind), "detail",
	                 p->detail, "until",
	                 kind == ERR_LOCKED && p->until ? json_string(t) : json_null());
}

static json_t *handle(struct vault_control *c, json_t *req, const struct actor *a)
{
	struct store *st = app_store(c->app);
	struct problem p = { 0 };
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	json_t *pass = json_object_get(req, "passphrase"), *status = NULL;
	int r;

	if (!st)
		r = -ERR_INTERNAL;
	else if (!cmd)
		r = problem_setf(&p, ERR_INVALID, "invalid", "cmd", "status, seal or unseal");
	else if (strcmp(cmd, "status") == 0)
		r = vault_status(c->vault, st, a, &status, &p);
	else if (strcmp(cmd, "seal") == 0)
		r = vault_seal(c->vault, st, a, &status, &p);
	else if (strcmp(cmd, "unseal") == 0 && json_is_string(pass))
		r = vault_unseal(c->vault, st, a, json_string_value(pass), &status, &p);
	else
		r = problem_setf(&p, ERR_INVALID, "invalid", "cmd",
		                 "status, seal or unseal with a passphrase");
	if (r < 0)
		return error_reply(r, &p);
	return json_pack("{s:b, s:o}", "ok", 1, "status", status);
}

static void serve_one(struct vault_control *c, int fd)
{
	char *buf = xmalloc(REQUEST_MAX), who[96], *text = NULL;
	struct problem p = { 0 };
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct passwd pw, *pwp = NULL;
	char pwbuf[1024];
	json_t *req = NULL, *reply = NULL, *pass;
	size_t n = 0;
	int r;

	timeouts(fd, IO_TIMEOUT);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) != 0 ||
	    (cred.uid != geteuid() && cred.uid != 0)) {
		log_warn("control socket: refused a connection of another user");
		reply = error_reply(problem_set(&p, ERR_FORBIDDEN, "forbidden", NULL), &p);
		goto answer;
	}
	r = read_all(fd, buf, REQUEST_MAX, &n);
	if (r == 0)
		req = json_loadb(buf, n, JSON_REJECT_DUPLICATES, NULL);
	sodium_memzero(buf, REQUEST_MAX);
	if (!json_is_object(req)) {
		reply = error_reply(problem_set(&p, ERR_INVALID, "invalid_json", NULL), &p);
		goto answer;
	}
	if (getpwuid_r(cred.uid, &pw, pwbuf, sizeof(pwbuf), &pwp) == 0 && pwp)
		(void)snprintf(who, sizeof(who), "cli:%s", pwp->pw_name);
	else
		(void)snprintf(who, sizeof(who), "cli:uid%u", (unsigned)cred.uid);
	reply = handle(
	        c, req,
	        &(struct actor){ .user_id = 0, .username = who, .source = "cli", .roles = 0 });
answer:
	pass = json_object_get(req, "passphrase");
	if (json_is_string(pass))
		sodium_memzero((char *)(uintptr_t)json_string_value(pass),
		               json_string_length(pass));
	json_decref(req);
	text = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
	if (text && (write_all(fd, text, strlen(text)) < 0 || write_all(fd, "\n", 1) < 0))
		log_warn("control socket: the client went away before the answer");
	free(text);
	json_decref(reply);
	free(buf);
}

static void *control_loop(void *arg)
{
	struct vault_control *c = arg;

	for (;;) {
		struct pollfd pf[2] = { { .fd = c->fd, .events = POLLIN },
			                { .fd = c->wake[0], .events = POLLIN } };
		int fd;

		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_warn("control socket: poll failed, it stops");
			break;
		}
		if (pf[1].revents)
			break;
		if (!(pf[0].revents & POLLIN))
			continue;
		fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		serve_one(c, fd);
		close(fd);
	}
	return NULL;
}

/* 1 when a server answers at sa, 0 when nothing does. */
static int someone_listens(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		return 0;
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	return r;
}

int vault_control_start(struct app *a, struct vault *v, struct vault_control **ret)
{
	struct vault_control *c = xcalloc(1, sizeof(*c));
	char *run = fs_join(app_data_dir(a), VAULT_CONTROL_DIR);
	struct sockaddr_un sa;
	struct stat sb;
	int r;

	c->app = a;
	c->vault = v;
	c->fd = c->wake[0] = c->wake[1] = c->dirfd = -1;
	c->path = fs_join(run, VAULT_CONTROL_SOCK);
	r = fs_mkdir(run, 0700);
	if (r == 0 && (lstat(run, &sb) != 0 || !S_ISDIR(sb.st_mode) || (sb.st_mode & 077) != 0 ||
	               sb.st_uid != geteuid())) {
		log_error("'%s' must be a folder of this user with mode 0700", run);
		r = -ERR_FORBIDDEN;
	}
	if (r == 0)
		r = address(run, &sa, &c->dirfd);
	if (r < 0)
		goto fail;
	if (lstat(c->path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode)) {
			log_error("'%s' exists and is not a socket; remove it", c->path);
			r = -ERR_CONFLICT;
			goto fail;
		}
		if (someone_listens(&sa)) {
			log_error("another isms serve is running on '%s' (its control socket '%s' "
			          "answers)",
			          app_data_dir(a), c->path);
			r = -ERR_CONFLICT;
			goto fail;
		}
		(void)unlink(c->path); /* left by a server that was killed */
	}
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || bind(c->fd, (const struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    chmod(c->path, 0600) != 0 || listen(c->fd, 8) != 0 || pipe2(c->wake, O_CLOEXEC) != 0) {
		log_error("cannot create the control socket '%s': %s", c->path, strerror(errno));
		r = -ERR_INTERNAL;
		goto fail;
	}
	if (pthread_create(&c->thread, NULL, control_loop, c) != 0) {
		r = -ERR_INTERNAL;
		goto fail;
	}
	free(run);
	*ret = c;
	return 0;
fail:
	if (c->fd >= 0) {
		close(c->fd);
		(void)unlink(c->path);
	}
	if (c->wake[0] >= 0) {
		close(c->wake[0]);
		close(c->wake[1]);
	}
	if (c->dirfd >= 0)
		close(c->dirfd);
	free(c->path);
	free(c);
	free(run);
	return r;
}

void vault_control_stop(struct vault_control *c)
{
	if (!c)
		return;
	if (write(c->wake[1], "x", 1) != 1)
		log_warn("control socket: cannot wake its thread");
	pthread_join(c->thread, NULL);
	close(c->fd);
	(void)unlink(c->path);
	close(c->wake[0]);
	close(c->wake[1]);
	if (c->dirfd >= 0)
		close(c->dirfd);
	free(c->path);
	free(c);
}

/* --- the client side --------------------------------------------------------------------- */

int vault_control_call(const char *data_dir, json_t *req, json_t **ret_reply)
{
	char *run = fs_join(data_dir, VAULT_CONTROL_DIR), *text = NULL, *buf = NULL;
	struct sockaddr_un sa;
	json_t *reply;
	size_t n = 0;
	int fd = -1, dfd = -1, r;

	r = address(run, &sa, &dfd);
	if (r < 0)
		goto out;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r = -ERR_INTERNAL;
		goto out;
	}
	if (connect(fd, (const struct sockaddr *)&sa, sizeof(sa)) != 0) {
		r = errno == ENOENT || errno == ECONNREFUSED || errno == ENOTDIR ? -ERR_NOT_FOUND
		    : errno == EACCES                                            ? -ERR_FORBIDDEN
		                                                                 : -ERR_INTERNAL;
		goto out;
	}
	timeouts(fd, CALL_TIMEOUT);
	text = json_dumps(req, JSON_COMPACT);
	if (!text) {
		r = -ERR_INTERNAL;
		goto out;
	}
	r = write_all(fd, text, strlen(text));
	sodium_memzero(text, strlen(text));
	if (r < 0)
		goto out;
	(void)shutdown(fd, SHUT_WR);
	buf = xmalloc(REPLY_MAX);
	r = read_all(fd, buf, REPLY_MAX, &n);
	if (r < 0)
		goto out;
	reply = json_loadb(buf, n, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(reply)) {
		json_decref(reply);
		r = -ERR_INTERNAL;
		goto out;
	}
	*ret_reply = reply;
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	free(text);
	free(buf);
	free(run);
	return r;
}
