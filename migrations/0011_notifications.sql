-- 0011: notifications the assistant sends by itself (Workflow G's reminders, Workflow F's daily
-- briefing), as a durable queue like commands: claimed by the every-minute checker with a lease
-- and a fencing token, at most once per row. The intent to send is recorded (status 'sending')
-- before the message goes out; a row whose worker died while 'sending' is never sent again but
-- marked 'unknown', so a crash costs at most that one message, audited, never a duplicate.
--
-- scheduled → claimed → sending → sent
--     ▲          │  └──────────→ skipped (nothing to say: the task is done or gone)
--     └──────────┴── a failure Telegram answered (nothing was sent): back with a delay, or failed
-- scheduled → cancelled (briefing turned off, task done, reminder moved)
-- sending, lease expired → unknown (a late "sent" still settles it)
CREATE TABLE notifications (
  id {{id}},
  user_id TEXT NOT NULL REFERENCES users (user_id),
  kind TEXT NOT NULL CHECK (kind IN ('reminder', 'briefing')),
  -- One notification per key: 'reminder:<draft id>', 'reminder:<draft id>:snooze:<notification id>',
  -- 'briefing:<user id>:<local date>'. A second schedule of the same key inserts nothing.
  dedupe_key TEXT NOT NULL UNIQUE,
  chat_id TEXT NOT NULL,
  draft_id BIGINT REFERENCES drafts (id) ON DELETE SET NULL, -- a reminder's task (its executed draft)
  due_at BIGINT NOT NULL,
  payload_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'scheduled'
    CHECK (status IN ('scheduled', 'claimed', 'sending', 'sent', 'skipped', 'cancelled', 'failed', 'unknown')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 5,
  lease_owner TEXT,
  lease_token TEXT,
  lease_expires_at BIGINT,
  telegram_message_id TEXT,
  outcome TEXT,                             -- why it was skipped, cancelled or failed
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  sent_at BIGINT
);
-- The checker reads due rows in order without scanning what was sent.
CREATE INDEX notifications_due ON notifications (status, due_at, id);
CREATE INDEX notifications_user ON notifications (user_id, kind, status, due_at);
CREATE INDEX notifications_draft ON notifications (draft_id);

-- The daily briefing: off (NULL) or the local time 'HH:MM'; 'always' sends one even with nothing
-- to say. briefing_since: when it was set, so a time set today does not send a briefing of a
-- moment before it.
ALTER TABLE users ADD COLUMN briefing_time TEXT;
ALTER TABLE users ADD COLUMN briefing_always INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN briefing_since BIGINT;

-- A ✓ Done entry shown under a briefing: its press answers with a message of its own instead of
-- editing the briefing (which lists more than that task).
ALTER TABLE listed_tasks ADD COLUMN shown_in TEXT;
