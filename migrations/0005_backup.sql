-- 0005_backup.sql: isms's own backups (SPEC BAK-1, BAK-2, BAK-5).
-- Every table is STRICT. Times are unix seconds (UTC). Mutable rows carry a version.

-- One row per backup taken. The row is written after the snapshot, so a backup never holds
-- its own row; a row left 'running' by a killed process is marked failed by the next run.
--   running --written, restored into a scratch folder and checked--> verified
--   running --any step fails--------------------------------------> failed (its file removed)
CREATE TABLE backups (
	id             INTEGER PRIMARY KEY,
	name           TEXT UNIQUE,                   -- file name in DIR/backups (once written)
	trigger        TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual', 'cli')),
	requested_by   INTEGER REFERENCES users(id),  -- manual: who asked; NULL otherwise
	started_at     INTEGER NOT NULL,
	finished_at    INTEGER,
	size           INTEGER,                       -- bytes of the encrypted file
	sha256         TEXT,                          -- of the encrypted file
	status         TEXT NOT NULL DEFAULT 'running'
	               CHECK (status IN ('running', 'verified', 'failed')),
	error          TEXT,
	check_result   TEXT,                          -- JSON: what the verification found
	offsite_status TEXT NOT NULL DEFAULT 'none' CHECK (offsite_status IN ('none', 'copied', 'failed')),
	offsite_error  TEXT,
	pruned_at      INTEGER                        -- removed by the retention rule
) STRICT;
CREATE INDEX backups_status ON backups(status, started_at);

-- The schedule, the retention rule and the off-site folder (one row), changed by the system
-- administrator. requested_at: a "back up now" waiting for the server's backup worker.
CREATE TABLE backup_config (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
	schedule     TEXT NOT NULL,
	keep_daily   INTEGER NOT NULL CHECK (keep_daily BETWEEN 1 AND 366),
	keep_weekly  INTEGER NOT NULL CHECK (keep_weekly BETWEEN 0 AND 520),
	keep_monthly INTEGER NOT NULL CHECK (keep_monthly BETWEEN 0 AND 1200),
	offsite_dir  TEXT,
	requested_at INTEGER,
	requested_by INTEGER REFERENCES users(id),
	version      INTEGER NOT NULL DEFAULT 1
) STRICT;
INSERT INTO backup_config (id, schedule, keep_daily, keep_weekly, keep_monthly)
	VALUES (1, '30 2 * * *', 7, 4, 12);

PRAGMA user_version = 5;
