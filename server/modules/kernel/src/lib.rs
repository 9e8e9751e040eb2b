//! The shared kernel of mibio's bounded contexts: true primitives only. Typed UUIDv7 ids, the
//! domain error every context's error converts into, the clock, opaque pagination cursors, the
//! Postgres pool, and the Postgres-backed machinery they share: the outbox and its dispatcher,
//! durable jobs and cron schedules. Nothing here knows about HTTP or about any one context.

pub mod actor;
pub mod byte_lru;
pub mod clock;
pub mod db;
pub mod error;
pub mod id;
pub mod idempotency;
pub mod jobs;
pub mod migrations;
pub mod notify;
pub mod outbox;
pub mod pagination;
pub mod rate_limit;
pub mod token;

pub use actor::Actor;
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{DomainError, DomainResult};
pub use pagination::{Cursor, PageRequest};
