-- 0012: Google Calendar events (Workflow C).
-- One row per event draft that Confirm started to create. The event's id is chosen by us
-- (derived from the draft, base32hex) and Google answers 409 to a second insert with it, so a
-- retry, a double tap or a run after a crash adopts the event instead of creating another. The
-- row fixes the calendar at the first attempt: a retry after the user picked another calendar
-- still goes to the one the first insert may have reached.
CREATE TABLE event_executions (
  id {{id}},
  draft_id BIGINT NOT NULL UNIQUE REFERENCES drafts (id),
  user_id TEXT NOT NULL REFERENCES users (user_id),
  calendar_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'created', 'failed')),
  adopted INTEGER NOT NULL DEFAULT 0,        -- 1 when a 409 found our own event (an earlier insert had landed)
  attempts INTEGER NOT NULL DEFAULT 0,       -- runs that sent an insert
  api_calls INTEGER NOT NULL DEFAULT 0,
  result_json TEXT,
  error_message TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- The calendar new events go to, per user (/calendar); NULL: the account's primary calendar.
ALTER TABLE users ADD COLUMN calendar_id TEXT;
