-- Usage metering: the meters the product counts (registered at start-up by the contexts that own
-- them; seeded here so counting works before the first start), each organization's count per
-- period, and the append-only record of every counted use. Caps are not stored: they are the
-- plans' caps, in code (billing::domain::plan).
CREATE SCHEMA usage;

CREATE TABLE usage.meter_definitions (
    key        text PRIMARY KEY,
    cadence    text        NOT NULL CHECK (cadence IN ('lifetime', 'monthly', 'yearly')),
    updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO usage.meter_definitions (key, cadence)
VALUES ('pages_created', 'lifetime'), ('leads_captured', 'monthly');

-- One row per organization, meter and period (a lifetime meter has one period, starting at the
-- Unix epoch). A new period's row is created by the first use in it (or by the rollover job).
CREATE TABLE usage.counters (
    organization_id uuid        NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    meter           text        NOT NULL REFERENCES usage.meter_definitions (key),
    period_start    timestamptz NOT NULL,
    count           bigint      NOT NULL CHECK (count >= 0),
    -- Uses refused because the cap was reached (the first one of a period notifies the owners).
    refused         bigint      NOT NULL DEFAULT 0 CHECK (refused >= 0),
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organization_id, meter, period_start)
);

-- The rollover job finds last period's counters by meter and period.
CREATE INDEX counters_meter_period_idx ON usage.counters (meter, period_start);

-- Every counted use: who, what, when, and the key that makes a repeat count once.
CREATE TABLE usage.events (
    id              uuid PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    meter           text        NOT NULL REFERENCES usage.meter_definitions (key),
    -- Negative: units given back (a deleted page frees its place under the page cap).
    amount          integer     NOT NULL CHECK (amount <> 0),
    period_start    timestamptz NOT NULL,
    -- Null for a visitor (a lead form).
    actor_id        uuid,
    idempotency_key text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    UNIQUE (organization_id, meter, idempotency_key)
);

-- Append-only: an event is never changed (an organization's deletion still removes its events).
CREATE FUNCTION usage.refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'usage.events is append-only';
END;
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE ON usage.events
    FOR EACH STATEMENT EXECUTE FUNCTION usage.refuse_update();

-- What was used before metering existed: each organization's pages, and this month's leads.
INSERT INTO usage.counters (organization_id, meter, period_start, count, updated_at)
SELECT organization_id, 'pages_created', 'epoch'::timestamptz, count(*), now()
FROM links.pages GROUP BY organization_id;

INSERT INTO usage.counters (organization_id, meter, period_start, count, updated_at)
SELECT p.organization_id, 'leads_captured',
       date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', count(*), now()
FROM links.leads l JOIN links.pages p ON p.id = l.page_id
WHERE l.created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
GROUP BY p.organization_id;
