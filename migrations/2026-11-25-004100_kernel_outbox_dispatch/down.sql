DROP TRIGGER outbox_notify ON kernel.outbox;
DROP FUNCTION kernel.outbox_notify();
DROP INDEX kernel.outbox_dispatched_idx;
DROP TABLE kernel.outbox_deliveries;
ALTER TABLE kernel.outbox DROP COLUMN attempts, DROP COLUMN next_attempt_at, DROP COLUMN last_error;
