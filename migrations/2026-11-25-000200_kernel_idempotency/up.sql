-- Idempotency-Key records (kernel::idempotency): a reservation taken before a creating POST runs,
-- completed with its response afterwards. While status is NULL the first request is in flight.
-- Rows older than 24 hours are ignored and pruned.
CREATE TABLE kernel.idempotency_keys (
    -- Who sent the key (the caller's user id); keys of different callers never collide.
    scope        text        NOT NULL,
    key          text        NOT NULL CHECK (key ~ '^[!-~]{1,255}$'),
    -- SHA-256 (hex) of method, path and body of the first request.
    request_hash text        NOT NULL,
    status       smallint    CHECK (status BETWEEN 100 AND 599),
    -- [[name, value], …] of the stored response.
    headers      jsonb,
    body         bytea,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (scope, key),
    CONSTRAINT idempotency_keys_complete CHECK (
        (status IS NULL AND headers IS NULL AND body IS NULL)
        OR (status IS NOT NULL AND headers IS NOT NULL AND body IS NOT NULL)
    )
);

-- For pruning expired keys.
CREATE INDEX idempotency_keys_created_at_idx ON kernel.idempotency_keys (created_at);

COMMENT ON TABLE kernel.idempotency_keys IS 'Idempotency-Key reservations and stored responses, kept 24 hours';
