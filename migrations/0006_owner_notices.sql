-- 0006: when the owner was last told about a problem only they can fix (a Gemini key that is
-- refused, a model that is gone), so a flood of messages hitting it sends one notice per
-- interval, not one per message. `suppressed` counts the notices held back since.
CREATE TABLE owner_notices (
  notice_key TEXT PRIMARY KEY,              -- e.g. 'gemini_not_configured'
  notified_at BIGINT NOT NULL,
  suppressed INTEGER NOT NULL DEFAULT 0
);
