-- Fixed-window rate-limit counters shared by every replica (kernel::rate_limit). One row per
-- (bucket, hashed key, window); each hit is one atomic upsert. UNLOGGED: the counters are
-- short-lived and rebuilt by traffic, so they skip the WAL; a crash of Postgres empties the table,
-- which only resets the current windows.
CREATE UNLOGGED TABLE kernel.rate_limits (
    bucket       text        NOT NULL,
    -- SHA-256 (hex) of the caller's key (an IP, an email, …); the raw key is never stored.
    key          text        NOT NULL CHECK (key ~ '^[0-9a-f]{64}$'),
    window_start timestamptz NOT NULL,
    count        integer     NOT NULL CHECK (count >= 1),
    PRIMARY KEY (bucket, key, window_start)
);

-- For pruning old windows.
CREATE INDEX rate_limits_window_start_idx ON kernel.rate_limits (window_start);

COMMENT ON TABLE kernel.rate_limits IS 'fixed-window rate-limit counters; key is a SHA-256 hex, never the raw key';
