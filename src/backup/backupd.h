/*
 * backupd.h: the backup worker of isms serve (backupd.c): scheduled and requested backups
 * of isms itself, on their own thread and database connection.
 */
#ifndef ISMS_BACKUP_BACKUPD_H
#define ISMS_BACKUP_BACKUPD_H

struct backupd;

int backupd_start(const char *data_dir, const char *db_path, struct backupd **ret);
/* Makes the worker look now (after POST /api/v1/backups). NULL: nothing. */
void backupd_wake(struct backupd *d);
/* Waits for a running backup to end, then stops. NULL: nothing. */
void backupd_stop(struct backupd *d);

#endif
