//! Diesel's view of the `analytics` schema (see `migrations/*_analytics`).

diesel::table! {
    analytics.page_views (id) {
        id -> Int8,
        page_id -> Uuid,
        organization_id -> Uuid,
        occurred_at -> Timestamptz,
        visitor -> Bytea,
        referrer_host -> Nullable<Text>,
        utm_source -> Nullable<Text>,
        utm_medium -> Nullable<Text>,
        utm_campaign -> Nullable<Text>,
        device -> Text,
    }
}

diesel::table! {
    analytics.block_clicks (id) {
        id -> Int8,
        page_id -> Uuid,
        block_id -> Uuid,
        organization_id -> Uuid,
        occurred_at -> Timestamptz,
        visitor -> Bytea,
        device -> Text,
    }
}

diesel::table! {
    analytics.salts (day) {
        day -> Date,
        salt -> Bytea,
    }
}
