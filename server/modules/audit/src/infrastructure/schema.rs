//! Diesel's view of the `audit` schema (see `migrations/*_audit`).

diesel::table! {
    audit.entries (id) {
        id -> Uuid,
        event_id -> Uuid,
        occurred_at -> Timestamptz,
        recorded_at -> Timestamptz,
        action -> Text,
        actor_id -> Nullable<Uuid>,
        impersonator_id -> Nullable<Uuid>,
        organization_id -> Nullable<Uuid>,
        target_type -> Nullable<Text>,
        target_id -> Nullable<Text>,
        trace_id -> Nullable<Text>,
        metadata -> Jsonb,
    }
}
