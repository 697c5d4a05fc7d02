-- 0002: exactly-once execution of confirmed drafts in Google Tasks (TaskExecutor).
-- Google Tasks has no idempotency key, so each task to create is recorded before the call
-- (planned → sending) and its remote id right after (created). A run that stopped between
-- the call and the record finds the task again by the marker written into its notes.

ALTER TABLE executions ADD COLUMN user_id TEXT;
ALTER TABLE executions ADD COLUMN task_list_id TEXT;          -- as requested, e.g. '@default'
ALTER TABLE executions ADD COLUMN resolved_task_list_id TEXT; -- the list's real id, from the created task
ALTER TABLE executions ADD COLUMN marker TEXT;                -- prefix of every item marker, e.g. 'da:e12'
ALTER TABLE executions ADD COLUMN lease_token TEXT;           -- the worker running it; fences stale workers
ALTER TABLE executions ADD COLUMN lease_expires_at BIGINT;
ALTER TABLE executions ADD COLUMN api_calls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE executions ADD COLUMN runs INTEGER NOT NULL DEFAULT 0;  -- how many times a worker took it up
ALTER TABLE executions ADD COLUMN undone_at BIGINT;

-- At most one live execution per draft, whatever the backend's locking.
CREATE UNIQUE INDEX executions_one_running ON executions (draft_id) WHERE status = 'running';

CREATE TABLE execution_items (
  id {{id}},
  execution_id BIGINT NOT NULL REFERENCES executions (id),
  seq INTEGER NOT NULL,                      -- 0 = the task, 1..n = subtasks in the draft's order
  title TEXT NOT NULL,
  notes TEXT,                                -- as sent, marker included
  due TEXT,                                  -- RFC 3339 as sent
  marker TEXT NOT NULL,                      -- unique text in the notes, e.g. '[da:e12.3]'
  status TEXT NOT NULL DEFAULT 'planned'
    CHECK (status IN ('planned', 'sending', 'created', 'deleted')),
  remote_id TEXT,
  send_attempts INTEGER NOT NULL DEFAULT 0,
  adopted INTEGER NOT NULL DEFAULT 0,        -- 1 when found by its marker instead of from a response
  sending_at BIGINT,                         -- when the last create was sent (bounds the marker search)
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (execution_id, seq)
);
CREATE INDEX execution_items_remote ON execution_items (remote_id);
