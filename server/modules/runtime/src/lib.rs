//! The Postgres-backed machinery the host and the contexts run on, built from `kernel`'s
//! primitives: the transactional outbox and its dispatcher, durable jobs and cron schedules,
//! cross-process signals over `LISTEN`/`NOTIFY`, fixed-window rate limits, idempotency keys, and
//! an in-memory LRU bounded by bytes. Nothing here knows about HTTP or about any one context.
//! Its tables keep the `kernel` Postgres schema they were created in (`kernel.jobs`,
//! `kernel.outbox`, …).

pub mod byte_lru;
pub mod idempotency;
pub mod jobs;
pub mod notify;
pub mod outbox;
pub mod rate_limit;
