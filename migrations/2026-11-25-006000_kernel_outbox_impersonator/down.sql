ALTER TABLE kernel.outbox DROP COLUMN impersonator_id;
