-- 0005: one Google task belongs to at most one execution item.
-- Tasks no longer carry a marker in their notes (execution_items.marker is now only our own
-- name for an item): a task found again after a lost answer or a crash is matched by its
-- content, and two workers adopting the same task for two items must be impossible whatever
-- the backend's isolation. Remote ids are Google's and unique, so existing rows satisfy it.

DROP INDEX execution_items_remote;
CREATE UNIQUE INDEX execution_items_one_per_remote_task ON execution_items (remote_id) WHERE remote_id IS NOT NULL;
