//! Tenancy's use cases. Authorization happens here, so every adapter enforces the same rules.

pub mod actor;
pub mod admin;
pub mod ctx;
pub mod directory;
pub mod error;
pub mod invitations;
pub mod members;
pub mod organizations;
pub mod roles;
pub mod views;

pub use ctx::{DirectoryUser, TenancyCtx, UserDirectory};
pub use error::TenancyError;
