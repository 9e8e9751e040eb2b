//! Tenancy's adapters: diesel repositories.

pub mod invitations;
pub mod organizations;
pub mod roles;
pub mod schema;
