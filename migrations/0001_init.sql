-- 0001: the design's schema (users, commands, drafts, executions, audit_log) plus what the
-- durable queue needs. Times are epoch milliseconds (BIGINT) so that SQLite and PostgreSQL
-- share every statement. {{id}} is the dialect's auto-increment primary key.

CREATE TABLE users (
  user_id TEXT PRIMARY KEY,                 -- e.g. 'telegram:123456789'
  channel TEXT NOT NULL DEFAULT 'telegram',
  telegram_user_id TEXT,
  telegram_chat_id TEXT,
  display_name TEXT,
  timezone TEXT NOT NULL DEFAULT 'UTC',     -- IANA name
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE commands (
  id {{id}},
  user_id TEXT NOT NULL REFERENCES users (user_id),
  type TEXT NOT NULL,
  payload_json TEXT NOT NULL,               -- holds telegram_message_id (idempotent operations)
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'dead')),
  dedupe_key TEXT NOT NULL UNIQUE,          -- e.g. 'telegram:<bot>:<update_id>'
  source_message_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  run_after BIGINT NOT NULL,                -- not claimable before this time
  lease_owner TEXT,
  lease_token TEXT,                         -- fencing token: complete/fail must present it
  lease_expires_at BIGINT,
  last_error TEXT,
  result_json TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  started_at BIGINT,                        -- when the current/last attempt was claimed
  finished_at BIGINT
);
-- The claim scans ready commands in order of due time.
CREATE INDEX commands_ready ON commands (status, run_after, id);
CREATE INDEX commands_user ON commands (user_id, created_at);

CREATE TABLE drafts (
  id {{id}},
  user_id TEXT NOT NULL REFERENCES users (user_id),
  draft_type TEXT NOT NULL DEFAULT 'task',
  draft_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'drafted'
    CHECK (status IN ('drafted', 'confirmed', 'executed', 'cancelled', 'superseded')),
  source_message_id TEXT,
  command_id BIGINT REFERENCES commands (id),
  chat_id TEXT,
  telegram_message_id TEXT,                 -- the draft card, so its buttons can be removed
  supersedes_id BIGINT REFERENCES drafts (id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX drafts_user_status ON drafts (user_id, status);

-- What a user's next message refers to: an answer to a clarification question, or an edit
-- instruction for a draft. One row per user at most.
CREATE TABLE chat_state (
  user_id TEXT PRIMARY KEY REFERENCES users (user_id),
  mode TEXT NOT NULL CHECK (mode IN ('awaiting_clarification', 'awaiting_edit')),
  draft_id BIGINT REFERENCES drafts (id),
  question TEXT,
  original_text TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE TABLE executions (
  id {{id}},
  draft_id BIGINT NOT NULL REFERENCES drafts (id),
  result_json TEXT,
  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'success', 'failed')),
  executed_at BIGINT,
  error_message TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX executions_draft ON executions (draft_id);

CREATE TABLE audit_log (
  id {{id}},
  timestamp BIGINT NOT NULL,
  action TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT,
  user_id TEXT,
  source_message_id TEXT,
  details_json TEXT
);
CREATE INDEX audit_log_time ON audit_log (timestamp);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

-- Views for the questions people ask of the store.
CREATE VIEW pending_commands AS
  SELECT id, user_id, type, status, attempts, run_after, created_at
  FROM commands WHERE status IN ('pending', 'failed') ORDER BY run_after, id;

CREATE VIEW drafts_awaiting_confirmation AS
  SELECT id, user_id, draft_json, chat_id, created_at
  FROM drafts WHERE status = 'drafted' ORDER BY created_at;

CREATE VIEW recent_failures AS
  SELECT id, user_id, type, status, attempts, last_error, updated_at
  FROM commands WHERE status IN ('failed', 'dead') ORDER BY updated_at DESC;
