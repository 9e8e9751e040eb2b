-- The audit log: append-only rows written from domain events by the `audit` outbox subscriber.
CREATE SCHEMA audit;

CREATE TABLE audit.entries (
    id              uuid PRIMARY KEY,
    -- The event the row was written from: at-least-once delivery writes it once.
    event_id        uuid        NOT NULL UNIQUE,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL,
    -- The event type (`membership.role_changed`, …).
    action          text        NOT NULL,
    -- Who did it; during an impersonation, the impersonated user.
    actor_id        uuid,
    -- The platform admin impersonating the actor, if any.
    impersonator_id uuid,
    organization_id uuid,
    target_type     text,
    target_id       text,
    -- The request (or job) that caused it, to find it in the logs.
    trace_id        text,
    -- The event's payload.
    metadata        jsonb       NOT NULL
);

-- The browser lists newest first, filtered by actor (as actor or impersonator), action,
-- organization and time.
CREATE INDEX entries_occurred_idx ON audit.entries (occurred_at DESC, id DESC);
CREATE INDEX entries_actor_idx ON audit.entries (actor_id, occurred_at DESC, id DESC) WHERE actor_id IS NOT NULL;
CREATE INDEX entries_impersonator_idx ON audit.entries (impersonator_id, occurred_at DESC, id DESC)
    WHERE impersonator_id IS NOT NULL;
CREATE INDEX entries_action_idx ON audit.entries (action text_pattern_ops, occurred_at DESC, id DESC);
CREATE INDEX entries_organization_idx ON audit.entries (organization_id, occurred_at DESC, id DESC)
    WHERE organization_id IS NOT NULL;

-- Append-only at the database level: UPDATE, DELETE and TRUNCATE fail, whoever sends them (even
-- statements that would touch no row). Only dropping the table (a migration) removes entries.
CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit.entries is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON audit.entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON audit.entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
