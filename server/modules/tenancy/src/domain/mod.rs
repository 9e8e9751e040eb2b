//! Tenancy's domain: no diesel, no axum.

pub mod events;
pub mod organization;
pub mod role_guard;
pub mod roles;
