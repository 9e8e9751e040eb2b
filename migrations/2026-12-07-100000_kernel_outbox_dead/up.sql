-- Dead letters for the outbox (runtime::outbox): an event whose delivery failed its last allowed
-- attempt is marked `dead_at` and is no longer claimed, until a platform admin replays it from
-- the console (which clears `dead_at` and resets `attempts`). Per-subscriber progress stays in
-- kernel.outbox_deliveries, so a replay reaches only the subscribers still missing the event.
ALTER TABLE kernel.outbox
    ADD COLUMN dead_at timestamptz,
    ADD CONSTRAINT outbox_dead_not_dispatched CHECK (dead_at IS NULL OR dispatched_at IS NULL);

-- What the dispatcher claims: neither dispatched nor dead.
DROP INDEX kernel.outbox_pending_idx;
CREATE INDEX outbox_pending_idx ON kernel.outbox (occurred_at)
    WHERE dispatched_at IS NULL AND dead_at IS NULL;

-- The console's list of dead events, most recent first.
CREATE INDEX outbox_dead_idx ON kernel.outbox (dead_at) WHERE dead_at IS NOT NULL;
