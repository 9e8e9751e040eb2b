-- The platform context: who administers the platform (besides PLATFORM_ADMIN_EMAILS) and the
-- one-time token that lets the first visitor of /admin/setup become the first admin.
CREATE SCHEMA platform;

CREATE TABLE platform.admins (
    user_id    uuid        PRIMARY KEY,
    granted_at timestamptz NOT NULL,
    -- NULL when granted by the setup token or the CLI.
    granted_by uuid,
    via        text        NOT NULL CHECK (via IN ('setup', 'cli', 'admin'))
);

-- At most one live setup token (its SHA-256; the plain token is only ever printed in the log).
CREATE TABLE platform.setup_tokens (
    token_hash bytea       PRIMARY KEY,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
