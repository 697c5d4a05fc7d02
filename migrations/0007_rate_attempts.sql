-- 0007: the per-user rate limit counts attempts, not queued commands: every message that reaches
-- the check is one row, also those refused as too fast or too long (a flood of refused messages
-- must not pass the limit). Keyed by the update's idempotency key, so a re-delivered update counts
-- once. Rows older than a minute are deleted by the check itself.
CREATE TABLE rate_attempts (
  attempt_key TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  attempted_at BIGINT NOT NULL
);
CREATE INDEX rate_attempts_user ON rate_attempts (user_id, attempted_at);
CREATE INDEX rate_attempts_age ON rate_attempts (attempted_at);
