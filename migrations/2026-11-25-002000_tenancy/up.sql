-- Tenancy: organizations, custom roles, memberships and invitations. User ids belong to the iam
-- context; like every cross-context reference they are plain ids, not foreign keys.
CREATE SCHEMA IF NOT EXISTS tenancy;

CREATE TABLE tenancy.organizations (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL,
    slug       text        NOT NULL,
    created_by uuid        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX organizations_slug_key ON tenancy.organizations (slug);

CREATE TABLE tenancy.roles (
    id              uuid PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    name            text        NOT NULL,
    permissions     text[]      NOT NULL,
    inherits        text[]      NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (organization_id, name)
);

CREATE TABLE tenancy.memberships (
    organization_id uuid        NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    user_id         uuid        NOT NULL,
    role            text        NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user_idx ON tenancy.memberships (user_id);

CREATE TABLE tenancy.invitations (
    id               uuid PRIMARY KEY,
    organization_id  uuid        NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    email            text        NOT NULL,
    email_normalized text        NOT NULL,
    role             text        NOT NULL,
    token_hash       bytea       NOT NULL UNIQUE,
    invited_by       uuid        NOT NULL,
    expires_at       timestamptz NOT NULL,
    accepted_at      timestamptz,
    accepted_by      uuid,
    created_at       timestamptz NOT NULL
);
CREATE INDEX invitations_org_idx ON tenancy.invitations (organization_id);
