-- Billing: each organization's subscription (the only truth the app reads; written from verified
-- provider webhooks) and the provider events already applied (a repeat has no second effect).
-- Plans live in code (billing::domain::plan); `plan` names one of them.
CREATE SCHEMA billing;

CREATE TABLE billing.subscriptions (
    id                       uuid PRIMARY KEY,
    organization_id          uuid        NOT NULL UNIQUE REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    plan                     text        NOT NULL CHECK (plan IN ('free', 'pro', 'business')),
    status                   text        NOT NULL
        CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'incomplete')),
    provider                 text        NOT NULL CHECK (provider IN ('stripe', 'mercadopago', 'polar')),
    provider_customer_id     text,
    provider_subscription_id text,
    current_period_end       timestamptz,
    cancel_at_period_end     boolean     NOT NULL DEFAULT false,
    -- The provider's time of the last applied event: an older event must not overwrite the row.
    last_event_at            timestamptz NOT NULL,
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL
);

-- The admin console counts subscriptions by status.
CREATE INDEX subscriptions_status_idx ON billing.subscriptions (status);
-- A provider subscription belongs to one organization.
CREATE UNIQUE INDEX subscriptions_provider_subscription_idx
    ON billing.subscriptions (provider, provider_subscription_id)
    WHERE provider_subscription_id IS NOT NULL;

CREATE TABLE billing.processed_events (
    provider    text        NOT NULL,
    event_id    text        NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (provider, event_id)
);
