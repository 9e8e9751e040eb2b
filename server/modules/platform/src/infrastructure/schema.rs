//! Diesel's view of the `platform` schema (see `migrations/*_platform`).

diesel::table! {
    platform.admins (user_id) {
        user_id -> Uuid,
        granted_at -> Timestamptz,
        granted_by -> Nullable<Uuid>,
        via -> Text,
    }
}

diesel::table! {
    platform.setup_tokens (token_hash) {
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}
