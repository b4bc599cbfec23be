-- 0001_core.sql: the secure core of isms: organization, identity, sessions, tokens,
-- in-app notifications, settings and the tamper-evident audit trail.
-- Every table is STRICT. Times are unix seconds (UTC). Mutable rows carry a version.

CREATE TABLE settings (
	key     TEXT PRIMARY KEY,
	value   TEXT NOT NULL,           -- JSON
	version INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE departments (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	parent_id    INTEGER REFERENCES departments(id),
	head_user_id INTEGER REFERENCES users(id),
	created_at   INTEGER NOT NULL,
	version      INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE users (
	id                  INTEGER PRIMARY KEY,
	username            TEXT NOT NULL UNIQUE COLLATE NOCASE,
	display_name        TEXT NOT NULL,
	department_id       INTEGER REFERENCES departments(id),
	email               TEXT,
	pw_hash             TEXT NOT NULL,          -- $argon2id$... (libsodium crypto_pwhash_str)
	pw_changed_at       INTEGER NOT NULL,
	must_change_pw      INTEGER NOT NULL DEFAULT 1,
	disabled            INTEGER NOT NULL DEFAULT 0,
	fail_reset_at       INTEGER NOT NULL DEFAULT 0, -- failures before this do not count
	fails_since_success INTEGER NOT NULL DEFAULT 0, -- for the hard ceiling
	hard_locked         INTEGER NOT NULL DEFAULT 0, -- only an administrator lifts it
	totp_secret         BLOB,                    -- sealed (alg id, nonce, ciphertext)
	totp_pending        BLOB,                    -- sealed, awaiting confirmation
	totp_last_counter   INTEGER NOT NULL DEFAULT -1,
	last_login_at       INTEGER,
	created_at          INTEGER NOT NULL,
	version             INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX users_department ON users(department_id);

CREATE TABLE roles (
	name        TEXT PRIMARY KEY,
	admin_class INTEGER NOT NULL DEFAULT 0,      -- 1: one of the three separated administrators
	title_zh    TEXT NOT NULL,
	title_en    TEXT NOT NULL
) STRICT;

INSERT INTO roles (name, admin_class, title_zh, title_en) VALUES
	('sys_admin',       1, '系统管理员',   'System administrator'),
	('security_admin',  1, '安全管理员',   'Security administrator'),
	('audit_admin',     1, '审计管理员',   'Audit administrator'),
	('it_staff',        0, '信息技术人员', 'IT staff'),
	('leader',          0, '领导',         'Leadership'),
	('general_manager', 0, '总经理',       'General manager'),
	('finance_head',    0, '财务负责人',   'Finance head'),
	('assessor',        0, '外部测评人员', 'External assessor');

CREATE TABLE user_roles (
	user_id    INTEGER NOT NULL REFERENCES users(id),
	role       TEXT NOT NULL REFERENCES roles(name),
	granted_by INTEGER,
	granted_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, role)
) STRICT, WITHOUT ROWID;

-- 等保 three-administrator separation, enforced below the application as well.
CREATE TRIGGER user_roles_admin_separation BEFORE INSERT ON user_roles
WHEN (SELECT admin_class FROM roles WHERE name = NEW.role) = 1
 AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.name = ur.role
             WHERE ur.user_id = NEW.user_id AND r.admin_class = 1 AND ur.role <> NEW.role)
BEGIN
	SELECT RAISE(ABORT, 'admin_separation');
END;

CREATE TABLE password_history (
	user_id    INTEGER NOT NULL REFERENCES users(id),
	pw_hash    TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX password_history_user ON password_history(user_id, created_at);

CREATE TABLE auth_failures (
	user_id INTEGER NOT NULL REFERENCES users(id),
	at      INTEGER NOT NULL,
	kind    TEXT NOT NULL                          -- password | totp | recovery
) STRICT;
CREATE INDEX auth_failures_user ON auth_failures(user_id, at);

CREATE TABLE recovery_codes (
	user_id   INTEGER NOT NULL REFERENCES users(id),
	code_hash BLOB NOT NULL,                      -- SHA-256 of a 130-bit code
	used_at   INTEGER,
	PRIMARY KEY (user_id, code_hash)
) STRICT, WITHOUT ROWID;

CREATE TABLE sessions (
	id_hash    BLOB PRIMARY KEY,                  -- SHA-256 of the 256-bit session id
	user_id    INTEGER NOT NULL REFERENCES users(id),
	csrf_hash  BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL,
	source     TEXT NOT NULL,
	user_agent TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users(id),
	name         TEXT NOT NULL,
	token_hash   BLOB NOT NULL UNIQUE,             -- SHA-256 of the token
	scopes       TEXT NOT NULL,                    -- JSON array
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	revoked_at   INTEGER,
	last_used_at INTEGER
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE notifications (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	kind       TEXT NOT NULL,
	params     TEXT NOT NULL DEFAULT '{}',         -- JSON
	created_at INTEGER NOT NULL,
	read_at    INTEGER
) STRICT;
CREATE INDEX notifications_user ON notifications(user_id, id);

-- The audit trail. `entry` holds the exact bytes of the Merkle leaf (canonical JSON:
-- sorted keys, no white space). The search columns are generated from it, so they cannot
-- be edited apart from the hashed bytes.
CREATE TABLE audit_log (
	seq     INTEGER PRIMARY KEY,                  -- leaf index + 1
	entry   TEXT NOT NULL,
	at      TEXT GENERATED ALWAYS AS (json_extract(entry, '$.time')) VIRTUAL,
	actor   TEXT GENERATED ALWAYS AS (json_extract(entry, '$.actor')) VIRTUAL,
	action  TEXT GENERATED ALWAYS AS (json_extract(entry, '$.action')) VIRTUAL,
	object  TEXT GENERATED ALWAYS AS (json_extract(entry, '$.object')) VIRTUAL,
	outcome TEXT GENERATED ALWAYS AS (json_extract(entry, '$.outcome')) VIRTUAL
) STRICT;
CREATE INDEX audit_log_actor ON audit_log(actor, seq);
CREATE INDEX audit_log_action ON audit_log(action, seq);
CREATE INDEX audit_log_object ON audit_log(object, seq);
CREATE INDEX audit_log_at ON audit_log(at, seq);

-- Hashes of the perfect subtrees of the RFC 9162 tree: (level 0, i) is leaf i; (l, i)
-- covers leaves [i*2^l, (i+1)*2^l). Written in the same transaction as the entry.
CREATE TABLE audit_tree (
	level INTEGER NOT NULL,
	idx   INTEGER NOT NULL,
	hash  BLOB NOT NULL,
	PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

-- Signed checkpoints (C2SP signed note) of the tree at a size.
CREATE TABLE audit_checkpoints (
	size       INTEGER PRIMARY KEY,
	root       BLOB NOT NULL,
	note       TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;

-- Append-only through the product: nothing updates or deletes the trail.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_tree_no_update BEFORE UPDATE ON audit_tree
BEGIN SELECT RAISE(ABORT, 'audit_tree is append-only'); END;
CREATE TRIGGER audit_tree_no_delete BEFORE DELETE ON audit_tree
BEGIN SELECT RAISE(ABORT, 'audit_tree is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;

PRAGMA user_version = 1;
