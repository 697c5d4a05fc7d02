-- 0008: /list, ✓ Done and /undo from the chat.
-- A ✓ Done button names a row here, never a Google task id: the press is checked against the
-- user the list was shown to before anything is sent to Google, and a second press finds the
-- row completed. One row per task per /list; retention deletes old ones.
CREATE TABLE listed_tasks (
  id {{id}},
  user_id TEXT NOT NULL REFERENCES users (user_id),
  task_list_id TEXT NOT NULL,
  remote_id TEXT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'gone')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX listed_tasks_user_task ON listed_tasks (user_id, remote_id);
CREATE INDEX listed_tasks_age ON listed_tasks (created_at);

-- An undone draft stays 'executed' (it was), and says when its task was taken back.
ALTER TABLE drafts ADD COLUMN undone_at BIGINT;
