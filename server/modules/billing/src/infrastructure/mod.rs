//! Billing's rows and queries (schema `billing`); provider adapters come here next.

pub(crate) mod schema;
pub(crate) mod subscriptions;
