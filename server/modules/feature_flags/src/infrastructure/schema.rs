//! Diesel's view of the `feature_flags` schema (see `migrations/*_feature_flags`).

diesel::table! {
    feature_flags.settings (key) {
        key -> Text,
        enabled -> Bool,
        rollout_percentage -> Int2,
        environments -> Array<Text>,
        updated_at -> Timestamptz,
        updated_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    feature_flags.overrides (flag_key, subject_kind, subject_id) {
        flag_key -> Text,
        subject_kind -> Text,
        subject_id -> Uuid,
        enabled -> Bool,
    }
}

diesel::allow_tables_to_appear_in_same_query!(settings, overrides);
