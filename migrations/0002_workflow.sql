-- 0002_workflow.sql: records of the policy pack's registers (台账), requests moving through
-- their approval chains (申请 → 审批 → 执行 → 登记), attachments, and the monthly account review.
-- Every table is STRICT. Times are unix seconds (UTC). Mutable rows carry a version.

-- An account stops working at this time (vendor temporary accounts, ACC-6; the effective
-- time of a departure, ACC-5). NULL: no end.
ALTER TABLE users ADD COLUMN expires_at INTEGER;

-- Uploaded files, content-addressed: DIR/files/ab/cdef… (the SHA-256 in hex).
CREATE TABLE files (
	sha256       TEXT PRIMARY KEY,
	size         INTEGER NOT NULL,
	content_type TEXT NOT NULL,
	name         TEXT NOT NULL,             -- the name it was first uploaded under
	created_by   INTEGER REFERENCES users(id),
	created_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE requests (
	id            INTEGER PRIMARY KEY,
	type          TEXT NOT NULL,             -- a request type of the policy pack
	status        TEXT NOT NULL,             -- pending, returned, approved, rejected, withdrawn
	applicant_id  INTEGER NOT NULL REFERENCES users(id),
	department_id INTEGER REFERENCES departments(id),
	data          TEXT NOT NULL,             -- JSON, valid for the type's form
	step          INTEGER NOT NULL DEFAULT 0, -- seq of the current step (status pending)
	result        TEXT,                      -- JSON: what executing did
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	closed_at     INTEGER,
	version       INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX requests_applicant ON requests(applicant_id, id);
CREATE INDEX requests_type ON requests(type, id);

CREATE TABLE request_steps (
	request_id INTEGER NOT NULL REFERENCES requests(id),
	seq        INTEGER NOT NULL,             -- 1, 2, ...
	step_id    TEXT NOT NULL,                -- the step's id in the pack
	kind       TEXT NOT NULL,                -- approve, execute
	approver   TEXT NOT NULL,                -- the pack's rule, e.g. "role:finance_head"
	status     TEXT NOT NULL,                -- waiting, pending, approved, rejected, returned, skipped
	acted_by   INTEGER REFERENCES users(id),
	acted_at   INTEGER,
	comment    TEXT,
	PRIMARY KEY (request_id, seq)
) STRICT, WITHOUT ROWID;

-- Who may act on a step: resolved from the organization when the request is filed.
CREATE TABLE step_assignees (
	user_id    INTEGER NOT NULL REFERENCES users(id),
	request_id INTEGER NOT NULL REFERENCES requests(id),
	seq        INTEGER NOT NULL,
	PRIMARY KEY (user_id, request_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX step_assignees_request ON step_assignees(request_id, seq);

-- The history of a request: filed, approved, rejected, returned, resubmitted, withdrawn,
-- executed, commented; with the comment and the attachments of that moment.
CREATE TABLE request_events (
	id          INTEGER PRIMARY KEY,
	request_id  INTEGER NOT NULL REFERENCES requests(id),
	seq         INTEGER NOT NULL DEFAULT 0,  -- the step acted on (0: none)
	action      TEXT NOT NULL,
	user_id     INTEGER REFERENCES users(id),
	comment     TEXT,
	attachments TEXT,                        -- JSON array of {"sha256","name"}
	at          INTEGER NOT NULL
) STRICT;
CREATE INDEX request_events_request ON request_events(request_id, id);

CREATE TABLE records (
	id            INTEGER PRIMARY KEY,
	type          TEXT NOT NULL,             -- a register of the policy pack
	status        TEXT NOT NULL,
	department_id INTEGER REFERENCES departments(id),
	owner_id      INTEGER REFERENCES users(id),
	request_id    INTEGER REFERENCES requests(id), -- created by executing this request
	flagged       INTEGER NOT NULL DEFAULT 0, -- a value outside its normal range
	data          TEXT NOT NULL,             -- JSON, valid for the register's form
	flags         TEXT,                      -- JSON array of the flagged field ids
	created_at    INTEGER NOT NULL,
	created_by    INTEGER REFERENCES users(id),
	updated_at    INTEGER NOT NULL,
	updated_by    INTEGER REFERENCES users(id),
	version       INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX records_type ON records(type, id);
CREATE INDEX records_type_status ON records(type, status, id);
CREATE INDEX records_type_department ON records(type, department_id, id);
CREATE INDEX records_type_owner ON records(type, owner_id, id);
CREATE INDEX records_type_creator ON records(type, created_by, id);
CREATE INDEX records_type_flagged ON records(type, id) WHERE flagged = 1;

-- Filters on form fields without reading the JSON: one row per enum, user, department,
-- date, bool and asset value of a record.
CREATE TABLE record_keys (
	type      TEXT NOT NULL,
	field     TEXT NOT NULL,
	value     TEXT NOT NULL,
	record_id INTEGER NOT NULL REFERENCES records(id),
	PRIMARY KEY (type, field, value, record_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX record_keys_record ON record_keys(record_id);

-- Full-text search (trigram: substrings of Chinese and Latin text alike); rowid = records.id.
CREATE VIRTUAL TABLE records_fts USING fts5(body, tokenize = 'trigram');

-- The monthly account review (ACC-8): one campaign per period; one item per account.
CREATE TABLE review_campaigns (
	id           INTEGER PRIMARY KEY,
	period       TEXT NOT NULL UNIQUE,       -- "2026-11"
	started_by   INTEGER REFERENCES users(id),
	started_at   INTEGER NOT NULL,
	completed_at INTEGER,
	version      INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE review_items (
	id            INTEGER PRIMARY KEY,
	campaign_id   INTEGER NOT NULL REFERENCES review_campaigns(id),
	department_id INTEGER REFERENCES departments(id),
	user_id       INTEGER NOT NULL REFERENCES users(id),
	roles         TEXT NOT NULL,             -- the roles held at the start, comma-separated
	last_login_at INTEGER,
	flags         TEXT NOT NULL,             -- JSON array: dormant, orphaned, over_privileged
	decision      TEXT,                      -- keep, revoke_roles, disable (NULL: not yet)
	decided_by    INTEGER REFERENCES users(id),
	decided_at    INTEGER,
	comment       TEXT,
	UNIQUE (campaign_id, user_id)
) STRICT;
CREATE INDEX review_items_department ON review_items(campaign_id, department_id, id);

PRAGMA user_version = 2;
