//! Diesel's view of the `links` schema (see `migrations/*_links`).

diesel::table! {
    links.pages (id) {
        id -> Uuid,
        organization_id -> Uuid,
        slug -> Text,
        title -> Text,
        bio -> Text,
        theme -> Jsonb,
        avatar_key -> Nullable<Text>,
        published -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        hide_branding -> Bool,
    }
}

diesel::table! {
    links.blocks (id) {
        id -> Uuid,
        page_id -> Uuid,
        kind -> Text,
        config -> Jsonb,
        enabled -> Bool,
        position -> Int4,
        visible_from -> Nullable<Timestamptz>,
        visible_until -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    links.deleted_blocks (id) {
        id -> Uuid,
        page_id -> Uuid,
        kind -> Text,
        config -> Jsonb,
        enabled -> Bool,
        position -> Int4,
        visible_from -> Nullable<Timestamptz>,
        visible_until -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deleted_at -> Timestamptz,
    }
}

diesel::table! {
    links.leads (id) {
        id -> Uuid,
        page_id -> Uuid,
        block_id -> Uuid,
        email -> Text,
        email_key -> Text,
        name -> Nullable<Text>,
        consent_text -> Nullable<Text>,
        consent_version -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        over_quota -> Bool,
    }
}

diesel::joinable!(blocks -> pages (page_id));
diesel::joinable!(leads -> pages (page_id));
diesel::allow_tables_to_appear_in_same_query!(pages, blocks, deleted_blocks, leads);
