//! Billing's use cases.

pub mod error;

pub use error::BillingError;
