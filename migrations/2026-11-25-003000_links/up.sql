-- Links: pages, their smart blocks, and the leads their forms capture. Organization ids belong to
-- the tenancy context: plain ids, not foreign keys.
CREATE SCHEMA IF NOT EXISTS links;

CREATE TABLE links.pages (
    id              uuid PRIMARY KEY,
    organization_id uuid        NOT NULL,
    slug            text        NOT NULL,
    title           text        NOT NULL,
    bio             text        NOT NULL DEFAULT '',
    theme           jsonb       NOT NULL,
    avatar_key      text,
    published       boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT pages_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) BETWEEN 3 AND 40)
);
-- Slugs are unique case-insensitively (the format check keeps them lowercase; the index states
-- the rule on its own).
CREATE UNIQUE INDEX pages_slug_key ON links.pages (lower(slug));
CREATE INDEX pages_organization_idx ON links.pages (organization_id, created_at);

CREATE TABLE links.blocks (
    id            uuid PRIMARY KEY,
    page_id       uuid        NOT NULL REFERENCES links.pages (id) ON DELETE CASCADE,
    kind          text        NOT NULL,
    config        jsonb       NOT NULL,
    enabled       boolean     NOT NULL DEFAULT true,
    position      integer     NOT NULL,
    visible_from  timestamptz,
    visible_until timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    -- Deferred so that a renumbering can move positions past each other within one transaction.
    CONSTRAINT blocks_page_position_key UNIQUE (page_id, position) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT blocks_window_order CHECK (visible_from IS NULL OR visible_until IS NULL OR visible_from < visible_until),
    CONSTRAINT blocks_kind_known CHECK (kind IN ('LINK', 'HEADER', 'PAYMENT_LINK', 'BOOKING_LINK', 'WHATSAPP', 'LEAD_CAPTURE', 'IMAGE', 'SOCIAL_ROW'))
);

CREATE TABLE links.leads (
    id              uuid PRIMARY KEY,
    page_id         uuid        NOT NULL REFERENCES links.pages (id) ON DELETE CASCADE,
    -- The form it came through. Not a foreign key: deleting a form keeps the leads it captured.
    block_id        uuid        NOT NULL,
    email           text        NOT NULL,
    email_key       text        GENERATED ALWAYS AS (lower(email)) STORED,
    name            text,
    consent_text    text,
    consent_version text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT leads_page_email_key UNIQUE (page_id, email_key)
);
-- Newest first, with the id as the tie-breaker of the cursor.
CREATE INDEX leads_page_created_idx ON links.leads (page_id, created_at DESC, id DESC);
