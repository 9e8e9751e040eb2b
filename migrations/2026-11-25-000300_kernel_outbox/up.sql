-- The transactional outbox: a use case writes its state change and its domain events in one
-- transaction; a dispatcher (the jobs issue) delivers pending rows at least once.
CREATE TABLE kernel.outbox (
    event_id       uuid PRIMARY KEY,
    event_type     text        NOT NULL,
    producer       text        NOT NULL,
    schema_version integer     NOT NULL,
    occurred_at    timestamptz NOT NULL,
    trace_id       text,
    payload        jsonb       NOT NULL,
    dispatched_at  timestamptz
);
CREATE INDEX outbox_pending_idx ON kernel.outbox (occurred_at) WHERE dispatched_at IS NULL;
