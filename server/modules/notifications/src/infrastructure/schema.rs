//! Diesel's view of the `notifications` schema (see `migrations/*_notifications`).

diesel::table! {
    notifications.notifications (id) {
        id -> Uuid,
        user_id -> Uuid,
        organization_id -> Nullable<Uuid>,
        kind -> Text,
        payload -> Jsonb,
        event_id -> Uuid,
        created_at -> Timestamptz,
        read_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    notifications.preferences (user_id, kind) {
        user_id -> Uuid,
        kind -> Text,
        email -> Bool,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    notifications.unsubscribe_tokens (digest) {
        digest -> Bytea,
        user_id -> Uuid,
        kind -> Text,
        created_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    notifications.lead_digests (id) {
        id -> Uuid,
        user_id -> Uuid,
        page_id -> Uuid,
        organization_id -> Uuid,
        lead_count -> Integer,
        over_quota_count -> Integer,
        opened_at -> Timestamptz,
        closed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    notifications.handled_events (event_id) {
        event_id -> Uuid,
        event_type -> Text,
        handled_at -> Timestamptz,
    }
}
