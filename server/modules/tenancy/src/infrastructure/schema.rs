//! Diesel's view of the `tenancy` schema (see `migrations/*_tenancy`).

diesel::table! {
    tenancy.organizations (id) {
        id -> Uuid,
        name -> Text,
        slug -> Text,
        created_by -> Uuid,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tenancy.roles (id) {
        id -> Uuid,
        organization_id -> Uuid,
        name -> Text,
        permissions -> Array<Text>,
        inherits -> Array<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tenancy.memberships (organization_id, user_id) {
        organization_id -> Uuid,
        user_id -> Uuid,
        role -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tenancy.invitations (id) {
        id -> Uuid,
        organization_id -> Uuid,
        email -> Text,
        email_normalized -> Text,
        role -> Text,
        token_hash -> Bytea,
        invited_by -> Uuid,
        expires_at -> Timestamptz,
        accepted_at -> Nullable<Timestamptz>,
        accepted_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(organizations, memberships, roles, invitations);
diesel::joinable!(memberships -> organizations (organization_id));
