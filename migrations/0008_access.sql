-- 0008_access.sql: who may read an attachment, and the tokens an account review shows.
-- Every table is STRICT. Times are unix seconds (UTC).

-- Everyone who uploaded a file's content (files.created_by keeps only the first): each of
-- them holds the content already, so each may read it and attach it.
CREATE TABLE file_uploads (
	sha256     TEXT NOT NULL REFERENCES files(sha256),
	user_id    INTEGER NOT NULL REFERENCES users(id),
	at         INTEGER NOT NULL,
	PRIMARY KEY (sha256, user_id)
) STRICT, WITHOUT ROWID;
INSERT INTO file_uploads (sha256, user_id, at)
	SELECT sha256, created_by, created_at FROM files WHERE created_by IS NOT NULL;

-- The records and requests a file is attached to: a reader of one of them may read the
-- file (the module that owns the kind decides who reads the object).
CREATE TABLE file_links (
	sha256     TEXT NOT NULL REFERENCES files(sha256),
	kind       TEXT NOT NULL,                 -- record, request
	object_id  INTEGER NOT NULL,
	PRIMARY KEY (sha256, kind, object_id)
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO file_links (sha256, kind, object_id)
	SELECT f.sha256, 'request', e.request_id FROM request_events e, json_each(e.attachments) j
	JOIN files f ON f.sha256 = j.value WHERE e.attachments IS NOT NULL;
INSERT OR IGNORE INTO file_links (sha256, kind, object_id)
	SELECT f.sha256, 'request', q.id FROM requests q, json_each(q.data) j
	JOIN files f ON f.sha256 = j.value WHERE j.type = 'text';
INSERT OR IGNORE INTO file_links (sha256, kind, object_id)
	SELECT f.sha256, 'record', r.id FROM records r, json_each(r.data) j
	JOIN files f ON f.sha256 = j.value WHERE j.type = 'text';

-- The live API tokens of each account at the start of a review (JSON array of
-- {id, name, scopes, created_at, expires_at, last_used_at}).
ALTER TABLE review_items ADD COLUMN tokens TEXT NOT NULL DEFAULT '[]';

PRAGMA user_version = 8;
