//! The shared kernel of mibio's bounded contexts: true primitives only. Typed UUIDv7 ids, the
//! domain error every context's error converts into, the clock, opaque pagination cursors, opaque
//! tokens, the acting caller, the Postgres pool, the embedded migrations and the quota port that
//! metered use cases call. Nothing here knows about HTTP or about any one context; the machinery
//! that runs on Postgres (jobs, the outbox, signals, rate limits, idempotency keys) is the
//! `runtime` crate.

pub mod actor;
pub mod clock;
pub mod db;
pub mod error;
pub mod id;
pub mod migrations;
pub mod pagination;
pub mod premium;
pub mod quota;
pub mod token;

pub use actor::Actor;
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{DomainError, DomainResult};
pub use id::{OrganizationId, UserId};
pub use pagination::{Cursor, PageRequest};
