/*
 * cmd_serve.c: isms serve --data DIR [--listen HOST:PORT] [--tls-cert F --tls-key F]
 *
 * Runs the HTTP server until SIGINT or SIGTERM. While serving it signs an audit checkpoint
 * once a minute when the log has grown, and once more on the way out, so that truncating
 * the log is provable against a checkpoint held elsewhere.
 */
#include "core/common.h"
#include "core/log.h"
#include "core/util.h"
#include "app/app.h"
#include "app/module.h"
#include "audit/audit.h"
#include "backup/backupd.h"
#include "backup/jobs.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "http/http.h"
#include "notify/notify.h"
#include "org/org.h"
#include "sla/sla.h"
#include "store/store.h"
#include "vault/control.h"
#include "vault/vault.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

#define CHECKPOINT_EVERY 60

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: isms serve --data DIR [--listen HOST:PORT] [--tls-cert FILE --tls-key "
	        "FILE] [--threads N]\n\n"
	        "  --data DIR        the data folder made by 'isms init'\n"
	        "  --listen ADDR     address and port (default 127.0.0.1:8080; port 0 picks one)\n"
	        "  --tls-cert FILE   PEM certificate: serve HTTPS (Secure cookies, HSTS)\n"
	        "  --tls-key FILE    PEM private key of the certificate\n"
	        "  --threads N       worker threads (default 8)\n"
	        "  --behind-tls-proxy  plain HTTP from a TLS-terminating proxy on this host\n"
	        "  --trusted-proxy IP  believe X-Forwarded-For from this proxy (up to 8 times);\n"
	        "                    others' headers are ignored\n"
	        "  --audit-key FILE  the audit signing key, kept outside the data folder\n"
	        "  --audit-key-fd N  the audit signing key, read from open descriptor N\n");
}

/* The audit signing key kept outside the data folder (--audit-key FILE, --audit-key-fd N):
 * with file access to the folder alone, nobody can then re-sign a rewritten log. */
static int use_audit_key(struct app *a, const char *path, int fd)
{
	struct audit_signer *sg = NULL;
	int r = 0;

	if (path)
		r = audit_signer_load_file(path, &sg);
	else if (fd >= 0)
		r = audit_signer_load_fd(fd, &sg);
	if (r == -ERR_FORBIDDEN)
		return log_error_errno(r, "'%s' is readable by others; run: chmod 600 '%s'", path,
		                       path);
	if (r < 0)
		return log_error_errno(r, "cannot read the audit signing key from %s%s%s",
		                       path ? "'" : "the descriptor", path ? path : "",
		                       path ? "'" : "");
	if (sg && app_signer_set(a, sg) < 0)
		return log_error_errno(
		        -ERR_INVALID,
		        "the audit signing key given is not the one of '%s/audit.pub'",
		        a->keys_dir);
	if (!a->signer)
		return log_error_errno(
		        -ERR_NOT_FOUND,
		        "no audit signing key: '%s/audit.key' is not there; give the "
		        "key kept elsewhere with --audit-key FILE or --audit-key-fd N",
		        a->keys_dir);
	return 0;
}

/* Accounts that break the three-administrator rule (from before it was enforced) are named
 * at every start; they act with their administrator role alone meanwhile. */
static void report_separation(struct app *a)
{
	json_t *items = NULL, *e;
	size_t i;

	if (org_separation_report(app_store(a), &items) < 0) {
		log_warn("cannot check the accounts against the three-administrator rule");
		return;
	}
	json_array_foreach(items, i, e) {
		log_warn("account '%s' breaks the three-administrator rule (三员分立): %s; it acts "
		         "with its administrator role alone until this is corrected",
		         json_string_value(json_object_get(e, "username")),
		         json_string_value(json_object_get(e, "problem")));
	}
	json_decref(items);
}

/* The background worker: sends due e-mails and robot messages every few seconds, never
 * inside a request or a transaction, so a failing mail server never blocks anyone; and once a
 * minute runs the clock tick of the time rules (deadlines, escalations, recurring duties). */
#define DELIVER_EVERY 5  /* seconds */
#define TICK_EVERY    60 /* seconds */

static void tick(struct app *a)
{
	json_t *events = NULL;

	/* Every module's tick (app/module.h): time rules, rotation reminders, missed backups. */
	(void)modules_tick(a, clock_now(), &events);
	if (json_array_size(events) > 0)
		log_info("clock tick: %zu event(s)", json_array_size(events));
	json_decref(events);
	/* Rate-limited logins of the minutes that ended: one audit entry per key and minute. */
	(void)ratelimit_audit(app_store(a), false);
}

struct deliverer {
	struct app *app;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
};

static void *deliver_loop(void *arg)
{
	struct deliverer *d = arg;
	struct notify_stats stats;
	struct timespec until;
	int64_t last_tick = 0;

	pthread_mutex_lock(&d->lock);
	while (!d->stop) {
		pthread_mutex_unlock(&d->lock);
		memset(&stats, 0, sizeof(stats));
		if (app_store(d->app) &&
		    (last_tick == 0 || clock_mono_ms() - last_tick >= TICK_EVERY * 1000)) {
			last_tick = clock_mono_ms();
			tick(d->app);
		}
		if (app_store(d->app))
			(void)notify_deliver_due(app_store(d->app), d->app->seal_key, clock_now(),
			                         50, &stats);
		pthread_mutex_lock(&d->lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += DELIVER_EVERY;
		while (!d->stop && pthread_cond_timedwait(&d->cond, &d->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

static int deliverer_start(struct deliverer *d, struct app *a)
{
	memset(d, 0, sizeof(*d));
	d->app = a;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	return pthread_create(&d->thread, NULL, deliver_loop, d) == 0 ? 0 : -ERR_INTERNAL;
}

static void deliverer_stop(struct deliverer *d)
{
	pthread_mutex_lock(&d->lock);
	d->stop = true;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' },
		{ "threads", required_argument, NULL, 't' },
		{ "behind-tls-proxy", no_argument, NULL, 'p' },
		{ "trusted-proxy", required_argument, NULL, 'P' },
		{ "audit-key", required_argument, NULL, 'K' },
		{ "audit-key-fd", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct server_options o = { .listen = "127.0.0.1:8080" };
	const char *dir = NULL, *audit_key = NULL;
	int audit_key_fd = -1;
	struct server *srv = NULL;
	struct app *a = NULL;
	struct deliverer deliver;
	struct vault_control *control = NULL;
	sigset_t set;
	uint64_t n;
	int c, r, sig;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'l':
			o.listen = optarg;
			break;
		case 'c':
			o.tls_cert = optarg;
			break;
		case 'k':
			o.tls_key = optarg;
			break;
		case 'p':
			o.behind_tls_proxy = true;
			break;
		case 'K':
			audit_key = optarg;
			break;
		case 'F':
			if (parse_uint(optarg, 1024, &n) < 0 || n < 3) {
				fprintf(stderr,
				        "isms: --audit-key-fd takes an open descriptor (3 or "
				        "more)\n");
				return 2;
			}
			audit_key_fd = (int)n;
			break;
		case 'P':
			if (o.ntrusted == ARRAY_SIZE(o.trusted_proxies)) {
				fprintf(stderr, "isms: at most %zu --trusted-proxy addresses\n",
				        ARRAY_SIZE(o.trusted_proxies));
				return 2;
			}
			o.trusted_proxies[o.ntrusted++] = optarg;
			break;
		case 't':
			if (parse_uint(optarg, 256, &n) < 0 || n == 0) {
				fprintf(stderr, "isms: --threads takes a number from 1 to 256\n");
				return 2;
			}
			o.threads = (unsigned)n;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!dir || optind != argc || (audit_key && audit_key_fd >= 0)) {
		usage(stderr);
		return 2;
	}
	/* Signals are taken synchronously by this thread; workers never see them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	r = app_open(dir, &a);
	if (r < 0)
		return 1;
	if (use_audit_key(a, audit_key, audit_key_fd) < 0) {
		app_free(a);
		return 1;
	}
	report_separation(a);
	r = server_start(a, &o, &srv);
	if (r < 0) {
		app_free(a);
		return 1;
	}
	if (deliverer_start(&deliver, a) < 0) {
		server_stop(srv);
		app_free(a);
		return 1;
	}
	/* `isms vault unseal|seal|status` reach the vault in this process through it. */
	if (vault_control_start(a, a->vault, &control) < 0) {
		server_stop(srv);
		deliverer_stop(&deliver);
		app_free(a);
		return 1;
	}
	/* Scheduled and requested backups of isms itself, on their own thread. */
	if (backupd_start(a->data_dir, a->db_path, &a->backupd) < 0)
		log_warn("the backup worker did not start: no scheduled backups");
	printf("isms: listening on %s://%s:%u\n", o.tls_cert ? "https" : "http",
	       strncmp(o.listen, "[", 1) == 0 ? "[::1]" : "127.0.0.1", server_port(srv));
	fflush(stdout);
	for (;;) {
		struct timespec ts = { .tv_sec = CHECKPOINT_EVERY, .tv_nsec = 0 };

		sig = sigtimedwait(&set, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		app_checkpoint(a, false);
	}
	log_info("stopping on signal %d", sig);
	vault_control_stop(control);
	server_stop(srv);
	deliverer_stop(&deliver);
	backupd_stop(a->backupd);
	a->backupd = NULL;
	if (app_store(a))
		(void)ratelimit_audit(app_store(a), true);
	app_checkpoint(a, true);
	app_free(a);
	return 0;
}
