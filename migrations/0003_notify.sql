-- 0003_notify.sql: outside notification channels (SPEC SLA-4): e-mail over SMTP and the chat
-- robots of 企业微信 / 钉钉 / 飞书, and the queue of deliveries to them with retries.
-- Every table is STRICT. Times are unix seconds (UTC). Mutable rows carry a version.

-- A channel's config is JSON. Secrets (the SMTP password, a robot's signing secret) are kept
-- only sealed, as "password_sealed" / "secret_sealed": base64 of a seal() blob whose
-- associated data names the channel, under the key in DIR/keys/secrets.key.
CREATE TABLE notify_channels (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL CHECK (kind IN ('email', 'wecom', 'dingtalk', 'feishu')),
	name       TEXT NOT NULL UNIQUE,
	config     TEXT NOT NULL DEFAULT '{}',          -- JSON
	enabled    INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1
) STRICT;

-- One message to one channel (and, for e-mail, one recipient). Enqueued in the transaction
-- of the change that causes it; sent later, outside any transaction.
--   pending --sent--> sent
--      |  --failure, attempts < 6--> pending (next_at = now + 1 min, 5 min, 30 min, 2 h, 6 h)
--      +----failure, 6th attempt---> failed (last_error)
CREATE TABLE deliveries (
	id              INTEGER PRIMARY KEY,
	notification_id INTEGER REFERENCES notifications(id),   -- the in-app one, if any
	channel_id      INTEGER NOT NULL REFERENCES notify_channels(id),
	recipient       TEXT NOT NULL DEFAULT '',               -- e-mail address; '' for robots
	subject         TEXT NOT NULL DEFAULT '',
	body            TEXT NOT NULL,
	status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_at         INTEGER NOT NULL,
	last_error      TEXT,
	created_at      INTEGER NOT NULL,
	sent_at         INTEGER
) STRICT;
CREATE INDEX deliveries_due ON deliveries(next_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_notification ON deliveries(notification_id)
	WHERE notification_id IS NOT NULL;

PRAGMA user_version = 3;
