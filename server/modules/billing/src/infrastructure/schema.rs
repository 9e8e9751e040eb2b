//! Diesel's view of the `billing` schema (see `migrations/*_billing`).

diesel::table! {
    billing.subscriptions (id) {
        id -> Uuid,
        organization_id -> Uuid,
        plan -> Text,
        status -> Text,
        provider -> Text,
        provider_customer_id -> Nullable<Text>,
        provider_subscription_id -> Nullable<Text>,
        current_period_end -> Nullable<Timestamptz>,
        cancel_at_period_end -> Bool,
        last_event_at -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    billing.processed_events (provider, event_id) {
        provider -> Text,
        event_id -> Text,
        received_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(subscriptions, processed_events);
