//! Billing's rows and queries (schema `billing`) and the payment providers' adapters.

pub(crate) mod providers;
pub(crate) mod schema;
pub(crate) mod subscriptions;
