-- Feature flags: what admins wrote over the code's defaults (contracts::flags::Flag). A flag with
-- no row here uses its code default.
CREATE SCHEMA feature_flags;

CREATE TABLE feature_flags.settings (
    key                text PRIMARY KEY,
    -- Off: off for everyone but the overrides.
    enabled            boolean     NOT NULL,
    -- On for this share of subjects (a stable hash of key and subject id).
    rollout_percentage smallint    NOT NULL CHECK (rollout_percentage BETWEEN 0 AND 100),
    -- Where it may be on (MIBIO_ENV); empty: everywhere.
    environments       text[]      NOT NULL DEFAULT '{}',
    updated_at         timestamptz NOT NULL,
    updated_by         uuid
);

CREATE TABLE feature_flags.overrides (
    flag_key     text    NOT NULL REFERENCES feature_flags.settings (key) ON DELETE CASCADE,
    subject_kind text    NOT NULL CHECK (subject_kind IN ('user', 'organization')),
    subject_id   uuid    NOT NULL,
    enabled      boolean NOT NULL,
    PRIMARY KEY (flag_key, subject_kind, subject_id)
);
