DROP INDEX kernel.outbox_dead_idx;
DROP INDEX kernel.outbox_pending_idx;
CREATE INDEX outbox_pending_idx ON kernel.outbox (occurred_at) WHERE dispatched_at IS NULL;
ALTER TABLE kernel.outbox DROP CONSTRAINT outbox_dead_not_dispatched, DROP COLUMN dead_at;
