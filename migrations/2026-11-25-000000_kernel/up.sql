-- The shared kernel's schema. Every bounded context gets its own Postgres schema (iam, tenancy,
-- links, …) created by its first migration; `kernel` holds what all of them share (the outbox and
-- jobs arrive with their issues).
CREATE SCHEMA IF NOT EXISTS kernel;
COMMENT ON SCHEMA kernel IS 'mibio shared kernel: cross-context infrastructure tables';
