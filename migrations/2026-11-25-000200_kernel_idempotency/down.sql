DROP TABLE IF EXISTS kernel.idempotency_keys;
