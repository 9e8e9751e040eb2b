//! The audit context: an append-only log of sensitive actions — role and membership changes,
//! admin user mutations, impersonations, flag changes, lead exports, billing — written from the
//! domain events by an outbox subscriber ([`AuditSubscriber`]), never by a request. The table
//! refuses UPDATE, DELETE and TRUNCATE. Platform admins read it with [`application::query`].

pub mod application;
pub mod domain;
pub(crate) mod infrastructure;

pub use application::{AuditCtx, AuditError, AuditUsers, DirectoryUser};
pub use domain::actions::{AUDITED, is_audited};
pub use domain::query::AuditQuery;
pub use infrastructure::subscriber::AuditSubscriber;
