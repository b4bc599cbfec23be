/*
 * publish.c: every new signed audit checkpoint leaves the machine (SPEC AUD-2; DESIGN
 * "checkpoints also leave the database"). Whoever holds the data folder and the signing key
 * can rewrite an entry, rebuild the tree and sign new checkpoints; what they cannot do is
 * recall a checkpoint that is already elsewhere. So each new one goes
 *
 *   - to syslog (facility authpriv), one line, where a log server can collect it;
 *   - into the off-site backup folder: audit-checkpoints/latest.txt, and appended to
 *     audit-checkpoints/YYYY-MM.txt;
 *   - at most once an hour, and when the server stops, to the notification channels whose
 *     "kinds" name "audit.checkpoint" (a chat robot's group; a mail channel: to each audit
 *     administrator). Each checkpoint extends the one before, so the newest proves them all.
 *
 * `isms audit verify --checkpoint FILE` with any of these copies then proves that nothing
 * was altered or cut off since.
 */
#include "core/common.h"
#include "core/actor.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/util.h"
#include "core/fs.h"
#include "core/log.h"
#include "app/app.h"
#include "audit/audit.h"
#include "backup/backup.h"
#include "notify/notify.h"
#include "org/org.h"
#include "store/store.h"

#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#define CHANNEL_EVERY 3600 /* seconds between checkpoints sent to the channels */

/* The size line of a checkpoint note ("origin\nsize\nroot\n\n— …"). */
static int64_t note_size(const char *note)
{
	const char *nl = strchr(note, '\n');
	char line[24];
	size_t len;
	int64_t n;

	if (!nl)
		return -1;
	len = strcspn(nl + 1, "\n");
	if (len == 0 || len >= sizeof(line))
		return -1;
	memcpy(line, nl + 1, len);
	line[len] = '\0';
	return parse_int64(line, &n) < 0 ? -1 : n;
}

/* The note on one line for syslog: its lines joined by " | ". */
static char *one_line(const char *note)
{
	struct buf b = BUF_INIT(BUF_NOMAX);
	const char *p = note;

	while (*p) {
		size_t n = strcspn(p, "\n");

		if (n) {
			if (b.len)
				(void)buf_adds(&b, " | ");
			(void)buf_add(&b, p, n);
		}
		p += n;
		if (*p)
			p++;
	}
	return buf_detach(&b, NULL);
}

static void to_syslog(const char *note)
{
	char *line = one_line(note);

	openlog("isms", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
	syslog(LOG_NOTICE, "audit checkpoint: %s", line);
	closelog();
	free(line);
}

/* Writes the note as OFFSITE/audit-checkpoints/latest.txt (replaced atomically: what
 * `isms audit verify --checkpoint` takes) and appends it to YYYY-MM.txt there (the history,
 * notes separated by a line "--"), all private and synced. */
static void to_offsite(struct store *st, const char *note)
{
	const struct actor op = { .user_id = 0, .username = "system", .source = "isms" };
	json_t *cfg = NULL;
	const char *dir;
	char *sub = NULL, *file = NULL, *latest = NULL, month[16], t[RFC3339_LEN];
	int fd = -1;
	size_t len = strlen(note);

	if (backup_config_get(st, &op, &cfg, NULL) < 0)
		return;
	dir = json_string_value(json_object_get(cfg, "offsite_dir"));
	if (!dir || !*dir)
		goto out;
	time_format_rfc3339(clock_now(), t);
	(void)snprintf(month, sizeof(month), "%.7s.txt", t);
	sub = fs_join(dir, "audit-checkpoints");
	file = fs_join(sub, month);
	latest = fs_join(sub, "latest.txt");
	if (fs_mkdir(sub, 0700) < 0 || fs_write_atomic(latest, note, len, 0600) < 0)
		goto fail;
	fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, note, len) != (ssize_t)len || write(fd, "--\n", 3) != 3 ||
	    fsync(fd) != 0)
		goto fail;
	goto out;
fail:
	log_warn("cannot write the audit checkpoint to the off-site folder '%s'", sub);
out:
	if (fd >= 0)
		(void)close(fd);
	free(sub);
	free(file);
	free(latest);
	json_decref(cfg);
}

/* Queues the note on the channels that carry "audit.checkpoint". */
static void to_channels(struct store *st, const char *note, int64_t size)
{
	json_t *ids = NULL, *emails = json_array(), *e;
	char subject[96];
	size_t i;
	int r;

	r = org_role_holders(st, ROLE_AUDIT_ADMIN, clock_now(), &ids);
	json_array_foreach(ids, i, e) {
		struct user u = { 0 };

		if (org_user_load(st, json_integer_value(e), &u) == 0 && u.email)
			json_array_append_new(emails, json_string(u.email));
		user_release(&u);
	}
	(void)snprintf(subject, sizeof(subject),
	               "isms 审计检查点 / audit checkpoint: %" PRId64 " 条 entries", size);
	if (r == 0)
		r = store_begin(st);
	if (r == 0)
		r = store_end(st, notify_broadcast(st, "audit.checkpoint", emails, subject, note));
	if (r < 0)
		log_warn("cannot queue the audit checkpoint on the notification channels");
	json_decref(ids);
	json_decref(emails);
}

void app_checkpoint(struct app *a, bool final)
{
	struct store *st = app_store(a);
	char *note = NULL;
	int64_t size;
	int r;

	if (!st)
		return;
	r = audit_checkpoint(st, a->signer, &note);
	if (r < 0) {
		if (r != -ERR_NOT_FOUND)
			log_warn("cannot sign an audit checkpoint");
		return;
	}
	size = note_size(note);
	if (size > a->published_size) {
		to_syslog(note);
		to_offsite(st, note);
		a->published_size = size;
	}
	if (size > a->channel_size &&
	    (final || a->channel_at == 0 || clock_now() - a->channel_at >= CHANNEL_EVERY)) {
		to_channels(st, note, size);
		a->channel_size = size;
		a->channel_at = clock_now();
	}
	free(note);
}
