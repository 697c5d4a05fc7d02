-- 0004: each claim records its lease length. A worker renews its lease by that much while it
-- runs the command, and an expired last attempt is buried only a further full lease after it
-- expired: a worker that is slow, not gone, can still complete it.
ALTER TABLE commands ADD COLUMN lease_ms BIGINT;
