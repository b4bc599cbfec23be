/*
 * backupd.c: the backup worker of isms serve. It wakes every BACKUPD_EVERY seconds (or at
 * once when the API asks for a backup), asks backup_due() and runs the backup on its own
 * database connection, so requests go on being served while it runs.
 */
#include "core/common.h"
#include "backup/backupd.h"

#include <pthread.h>
#include <time.h>

#include "backup/backup.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/log.h"
#include "store/store.h"

#define BACKUPD_EVERY 30 /* seconds */

struct backupd {
	char *data_dir, *db_path;
	int64_t since; /* the first scheduled backup is the first occurrence after this */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop, wake;
};

static void *loop(void *arg)
{
	struct backupd *d = arg;
	struct actor system = { .user_id = 0, .username = "system", .source = "backup" };
	struct store *st = NULL;
	struct timespec until;

	pthread_mutex_lock(&d->lock);
	while (!d->stop) {
		enum backup_trigger trigger;
		struct problem p = { 0 };

		d->wake = false;
		pthread_mutex_unlock(&d->lock);
		if (!st && store_open(d->db_path, false, &st) < 0)
			st = NULL;
		if (st && backup_due(st, clock_now(), d->since, &trigger) == 1) {
			if (backup_run(st, d->data_dir, trigger, &system, NULL, &p) < 0)
				log_warn("backup: the %s backup failed: %s",
				         trigger == BACKUP_MANUAL ? "requested" : "scheduled",
				         p.detail[0] ? p.detail : "see above");
		}
		pthread_mutex_lock(&d->lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += BACKUPD_EVERY;
		while (!d->stop && !d->wake &&
		       pthread_cond_timedwait(&d->cond, &d->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&d->lock);
	store_free(st);
	return NULL;
}

int backupd_start(const char *data_dir, const char *db_path, struct backupd **ret)
{
	struct backupd *d = xcalloc(1, sizeof(*d));

	d->data_dir = xstrdup(data_dir);
	d->db_path = xstrdup(db_path);
	d->since = clock_now();
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	if (pthread_create(&d->thread, NULL, loop, d) != 0) {
		free(d->data_dir);
		free(d->db_path);
		free(d);
		return -ERR_INTERNAL;
	}
	*ret = d;
	return 0;
}

void backupd_wake(struct backupd *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->wake = true;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

void backupd_stop(struct backupd *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->stop = true;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	free(d->data_dir);
	free(d->db_path);
	free(d);
}
