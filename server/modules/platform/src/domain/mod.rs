//! The platform's rules: impersonation and its events.

pub mod events;
pub mod impersonation;
