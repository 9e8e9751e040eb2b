//! Diesel's view of the `iam` schema (see `migrations/*_iam`).

diesel::table! {
    iam.users (id) {
        id -> Uuid,
        email -> Text,
        email_normalized -> Text,
        name -> Text,
        locale -> Text,
        password_hash -> Text,
        avatar_key -> Nullable<Text>,
        active -> Bool,
        email_verified_at -> Nullable<Timestamptz>,
        last_login_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    iam.tokens (token_hash) {
        token_hash -> Bytea,
        user_id -> Uuid,
        purpose -> Text,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    iam.sessions (id) {
        id -> Text,
        user_id -> Nullable<Uuid>,
        data -> Jsonb,
        expires_at -> Timestamptz,
    }
}
