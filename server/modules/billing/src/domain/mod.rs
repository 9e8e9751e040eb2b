//! Billing's rules without I/O: the plans, the subscription and when it grants access, the
//! `PaymentProvider` port and its neutral events, the webhook signature schemes, and the events
//! billing records.

pub mod events;
pub mod plan;
pub mod provider;
pub mod signatures;
pub mod subscription;
