-- 0003: a command produces at most one draft. A drafting command that runs twice (its lease ran
-- out while it waited, and another executor run took it over) finds the draft of its first run
-- instead of making a second one. Older duplicates keep their rows but lose the link.
UPDATE drafts SET command_id = NULL
WHERE command_id IS NOT NULL
  AND id NOT IN (SELECT MIN(id) FROM drafts WHERE command_id IS NOT NULL GROUP BY command_id);

CREATE UNIQUE INDEX drafts_one_per_command ON drafts (command_id) WHERE command_id IS NOT NULL;
