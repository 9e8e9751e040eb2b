//! Identity's domain: no diesel, no axum.

pub mod email;
pub mod events;
pub mod password;
pub mod user;
