-- 0006_backup_jobs.sql: the backup jobs of the organization's systems and their runs (SPEC
-- BAK-3, BAK-4): when each system's backups are due, what the backup scripts reported, and
-- which scheduled runs were missed (each alerted once).
-- Every table is STRICT. Times are unix seconds (UTC). Mutable rows carry a version.

-- One row per job. Jobs of the policy pack ("backup_jobs", source 'pack') are synced in by
-- key when isms starts: pack_def keeps the definition as last synced, so a restart with the
-- same pack changes nothing and the administrator's changes (enabled, within, max_age) stay
-- until the pack's definition of the job itself changes. A pack job that leaves the pack is
-- retired (kept for its runs, no longer checked). Jobs added by an administrator have source
-- 'admin' and no pack_def.
-- checked_until: the scheduled times up to and including it have been checked by the tick.
CREATE TABLE backup_jobs (
	id            INTEGER PRIMARY KEY,
	key           TEXT NOT NULL UNIQUE,
	system        TEXT NOT NULL,
	label         TEXT NOT NULL,                    -- {"zh-CN": …, "en": …}
	schedule      TEXT NOT NULL,                    -- ["cron", …] in the calendar's time zone
	within        TEXT NOT NULL,                    -- "2h": grace after each scheduled time
	offsite       TEXT,                             -- cron: the scheduled times that go off-site
	max_age       TEXT NOT NULL,                    -- "26h": a cleanup needs a newer verified run
	source        TEXT NOT NULL CHECK (source IN ('pack', 'admin')),
	pack_def      TEXT,
	enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
	retired       INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
	checked_until INTEGER NOT NULL,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	version       INTEGER NOT NULL DEFAULT 1,
	CHECK ((source = 'pack') = (pack_def IS NOT NULL))
) STRICT;
CREATE INDEX backup_jobs_system ON backup_jobs(system);

-- One row per reported run; runs are facts and never change.
CREATE TABLE backup_runs (
	id          INTEGER PRIMARY KEY,
	job_id      INTEGER NOT NULL REFERENCES backup_jobs(id),
	status      TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
	started_at  INTEGER,
	finished_at INTEGER NOT NULL,
	size        INTEGER NOT NULL CHECK (size >= 0),
	sha256      TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
	location    TEXT,
	offsite     INTEGER NOT NULL CHECK (offsite IN (0, 1)),
	verified    INTEGER NOT NULL CHECK (verified IN (0, 1)),
	message     TEXT,
	reported_by TEXT NOT NULL,                      -- the reporter's login, or "cli:<login>"
	reporter_id INTEGER REFERENCES users(id),
	reported_at INTEGER NOT NULL,
	CHECK (status = 'ok' OR verified = 0),
	CHECK (status = 'failed' OR (sha256 IS NOT NULL AND location IS NOT NULL))
) STRICT;
CREATE INDEX backup_runs_job ON backup_runs(job_id, finished_at);
CREATE INDEX backup_runs_good ON backup_runs(job_id, finished_at)
	WHERE status = 'ok' AND verified = 1;

-- The scheduled times found missed by the tick: no successful run ('run'), or no successful
-- off-site run where the job's offsite schedule asks for one ('offsite').
CREATE TABLE backup_misses (
	id       INTEGER PRIMARY KEY,
	job_id   INTEGER NOT NULL REFERENCES backup_jobs(id),
	due_at   INTEGER NOT NULL,
	kind     TEXT NOT NULL CHECK (kind IN ('run', 'offsite')),
	found_at INTEGER NOT NULL,
	UNIQUE (job_id, due_at, kind)
) STRICT;

PRAGMA user_version = 6;
