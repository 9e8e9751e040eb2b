-- The outbox dispatcher (kernel::outbox::dispatcher): per-subscriber progress, so a redelivered
-- event skips the subscribers that already handled it, and per-event retry bookkeeping, so a
-- failing subscriber is retried later with backoff without holding up the others.
ALTER TABLE kernel.outbox
    ADD COLUMN attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- NULL: due now.
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN last_error      text;

-- One row per (subscriber, event) delivered; gone with the event when it is pruned.
CREATE TABLE kernel.outbox_deliveries (
    subscriber   text        NOT NULL,
    event_id     uuid        NOT NULL REFERENCES kernel.outbox (event_id) ON DELETE CASCADE,
    delivered_at timestamptz NOT NULL,
    PRIMARY KEY (subscriber, event_id)
);
CREATE INDEX outbox_deliveries_event_idx ON kernel.outbox_deliveries (event_id);

-- For pruning dispatched events.
CREATE INDEX outbox_dispatched_idx ON kernel.outbox (dispatched_at) WHERE dispatched_at IS NOT NULL;

-- Wakes the dispatchers (every replica LISTENs) when events are recorded; sent on commit.
CREATE FUNCTION kernel.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('kernel_outbox', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON kernel.outbox
    FOR EACH STATEMENT EXECUTE FUNCTION kernel.outbox_notify();
