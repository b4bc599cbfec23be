-- 0007_vault.sql: the credential vault (SPEC VLT-1..3, 服务器密码登记 / 网络设备密码登记).
-- Every table is STRICT. Times are unix seconds (UTC). Mutable rows carry a version.
--
-- No secret is ever stored here in clear. The data key lives only in DIR/keys/vault.key,
-- wrapped under a key derived from the vault passphrase (argon2id); each entry's secret is
-- a seal() blob (0x01 || nonce[24] || XChaCha20-Poly1305 ciphertext || tag[16]) under the
-- data key whose associated data names the entry ("isms-vault:entry:<id>"), so a blob moved
-- to another row does not open.

-- The vault's one row, present once it is initialized. key_id is the BLAKE2b-256 (hex) of
-- the whole DIR/keys/vault.key: a replaced or damaged file is recognized before any
-- passphrase is tried. failures / locked_until count the wrong passphrases in a row
-- (5 lock the vault for 15 minutes); they live here so a restart does not reset them.
CREATE TABLE vault_meta (
	id              INTEGER PRIMARY KEY CHECK (id = 1),
	key_id          TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	created_by      TEXT NOT NULL,
	failures        INTEGER NOT NULL DEFAULT 0,
	last_failure_at INTEGER,
	locked_until    INTEGER,
	version         INTEGER NOT NULL DEFAULT 1
) STRICT;

-- One credential: the metadata in clear, the secret only sealed.
-- secret_mac is a keyed BLAKE2b of the secret under a subkey of the data key: it finds a
-- secret used by another entry (409 secret_reused) without decrypting every entry, and
-- without the data key it tells nothing about the secret.
-- The reminder state: remind_level counts the reminders sent for the current due time
-- (0 none, 1 "due soon", 2.. "overdue"), next_remind_at is when the clock tick looks at the
-- row again; the tick reads only rows with next_remind_at <= now through its index.
CREATE TABLE vault_entries (
	id               INTEGER PRIMARY KEY,
	name             TEXT NOT NULL UNIQUE,
	kind             TEXT NOT NULL CHECK (kind IN ('server', 'firewall', 'router', 'switch',
	                 'erp_admin', 'oa_admin', 'domain', 'mail', 'database', 'other')),
	system           TEXT NOT NULL DEFAULT '',
	host             TEXT NOT NULL DEFAULT '',
	username         TEXT NOT NULL DEFAULT '',
	reveal_roles     TEXT NOT NULL,                        -- JSON array of role names
	notes            TEXT NOT NULL DEFAULT '',
	secret           BLOB NOT NULL,                        -- seal() blob, never clear text
	secret_mac       BLOB NOT NULL UNIQUE,
	rotated_at       INTEGER NOT NULL,
	rotate_due_at    INTEGER NOT NULL,
	rotate_reason    TEXT NOT NULL CHECK (rotate_reason IN ('yearly', 'vendor_access')),
	vendor_access_at INTEGER,
	vendor           TEXT,
	vendor_note      TEXT,
	remind_level     INTEGER NOT NULL DEFAULT 0,
	next_remind_at   INTEGER NOT NULL,
	created_at       INTEGER NOT NULL,
	created_by       INTEGER REFERENCES users(id),         -- NULL: the local operator
	version          INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX vault_entries_remind ON vault_entries(next_remind_at);

-- The reveal record (VLT-2): who saw which secret, when, and why. The audit trail holds the
-- same facts ("vault.reveal"); this table is what the security and audit administrators list.
CREATE TABLE vault_reveals (
	id         INTEGER PRIMARY KEY,
	entry_id   INTEGER NOT NULL REFERENCES vault_entries(id),
	user_id    INTEGER REFERENCES users(id),
	username   TEXT NOT NULL,
	reason     TEXT NOT NULL,
	source     TEXT NOT NULL DEFAULT '',
	at         INTEGER NOT NULL
) STRICT;
CREATE INDEX vault_reveals_entry ON vault_reveals(entry_id, id);

PRAGMA user_version = 7;
