//! The shared kernel of mibio's bounded contexts: true primitives only. Typed UUIDv7 ids, the
//! domain error every context's error converts into, the clock, opaque pagination cursors and the
//! Postgres pool. Nothing here knows about HTTP or about any one context.

pub mod clock;
pub mod db;
pub mod error;
pub mod id;
pub mod migrations;
pub mod pagination;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{DomainError, DomainResult};
pub use pagination::{Cursor, PageRequest};
