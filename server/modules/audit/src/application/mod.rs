//! The audit context's use cases: [`record`] an event (the subscriber's only door) and
//! [`query`] the log (platform admins).

mod ctx;
mod error;
mod query;
mod record;

pub use ctx::{AuditCtx, AuditUsers, DirectoryUser};
pub use error::AuditError;
pub use query::query;
pub use record::record;
