-- 0004_sla.sql: time as the regulations count it (SPEC SLA-1, SLA-3, SLA-4): the clocks of
-- the pack's deadlines on records and requests, the tasks of recurring duties, and each
-- person's language for the messages they receive.
-- Every table is STRICT. Times are unix seconds (UTC). Mutable rows carry a version.

-- One clock per deadline rule and subject (a record or a request).
--   running --until holds--> met (stopped on time) / breached (stopped late)
--   running <--pause / resume--> paused   (the remaining time is kept while paused)
-- next_at is when the clock tick must look at the row again (the deadline or the next
-- escalation level); NULL once nothing more can happen. The tick reads only rows with
-- next_at <= now through its index, never every open item.
CREATE TABLE deadlines (
	id          INTEGER PRIMARY KEY,
	rule        TEXT NOT NULL,                       -- the pack's deadline id
	record_id   INTEGER REFERENCES records(id),
	request_id  INTEGER REFERENCES requests(id),
	started_at  INTEGER NOT NULL,
	due_at      INTEGER NOT NULL,                    -- while paused: as it was at the pause
	state       TEXT NOT NULL DEFAULT 'running'
	            CHECK (state IN ('running', 'paused', 'met', 'breached')),
	paused_at   INTEGER,
	paused_by   TEXT CHECK (paused_by IN ('status', 'manual')),
	pause_note  TEXT,
	remaining   INTEGER,                             -- seconds (working seconds) left at the pause
	stopped_at  INTEGER,
	level       INTEGER NOT NULL DEFAULT 0,          -- escalation levels already sent
	next_at     INTEGER,
	version     INTEGER NOT NULL DEFAULT 1,
	CHECK ((record_id IS NULL) <> (request_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX deadlines_record ON deadlines(record_id, rule) WHERE record_id IS NOT NULL;
CREATE UNIQUE INDEX deadlines_request ON deadlines(request_id, rule) WHERE request_id IS NOT NULL;
CREATE INDEX deadlines_next ON deadlines(next_at) WHERE next_at IS NOT NULL;
CREATE INDEX deadlines_open ON deadlines(due_at) WHERE state IN ('running', 'paused');

-- One task per occurrence of a recurring duty: open until a record of the duty's register
-- fulfils it (done) or its due time passes (missed).
CREATE TABLE tasks (
	id         INTEGER PRIMARY KEY,
	duty       TEXT NOT NULL,                        -- the pack's duty id
	occurs_at  INTEGER NOT NULL,
	due_at     INTEGER NOT NULL,
	owner_id   INTEGER REFERENCES users(id),
	status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'missed')),
	record_id  INTEGER REFERENCES records(id),
	done_at    INTEGER,
	done_by    INTEGER REFERENCES users(id),
	version    INTEGER NOT NULL DEFAULT 1,
	UNIQUE (duty, occurs_at)
) STRICT;
CREATE INDEX tasks_open_due ON tasks(due_at) WHERE status = 'open';
CREATE INDEX tasks_duty_open ON tasks(duty, occurs_at) WHERE status = 'open';
CREATE INDEX tasks_owner ON tasks(owner_id, id);
CREATE INDEX tasks_record ON tasks(record_id) WHERE record_id IS NOT NULL;

-- How far each duty's schedule has been turned into tasks.
CREATE TABLE duty_cursors (
	duty     TEXT PRIMARY KEY,
	until_at INTEGER NOT NULL
) STRICT;

-- The language of a person's messages (mail, chat, in-app texts): 'zh-CN' or 'en'.
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'zh-CN'
	CHECK (locale IN ('zh-CN', 'en'));

PRAGMA user_version = 4;
