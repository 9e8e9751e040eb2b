-- Identity: users, single-use tokens (email verification, password reset) and sessions.
CREATE SCHEMA IF NOT EXISTS iam;

CREATE TABLE iam.users (
    id                uuid PRIMARY KEY,
    email             text        NOT NULL,
    email_normalized  text        NOT NULL,
    name              text        NOT NULL,
    locale            text        NOT NULL CHECK (locale IN ('es', 'en')),
    password_hash     text        NOT NULL,
    avatar_key        text,
    active            boolean     NOT NULL DEFAULT true,
    email_verified_at timestamptz,
    last_login_at     timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_normalized_key ON iam.users (email_normalized);

-- Only a SHA-256 of each token is stored: a database leak does not leak usable links.
CREATE TABLE iam.tokens (
    token_hash bytea       PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES iam.users (id) ON DELETE CASCADE,
    purpose    text        NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL
);
CREATE INDEX tokens_user_purpose_idx ON iam.tokens (user_id, purpose);

-- tower-sessions records; user_id is copied out of the data so a user's sessions can be revoked.
CREATE TABLE iam.sessions (
    id         text        PRIMARY KEY,
    user_id    uuid        REFERENCES iam.users (id) ON DELETE CASCADE,
    data       jsonb       NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON iam.sessions (user_id);
CREATE INDEX sessions_expires_idx ON iam.sessions (expires_at);
