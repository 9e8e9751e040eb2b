//! The audit context's adapters: the entries table and the outbox subscriber.

pub mod entries;
pub mod schema;
pub mod subscriber;
