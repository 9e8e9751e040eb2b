//! The platform's use cases.

pub mod admins;
mod ctx;
pub mod impersonation;
pub mod overview;

pub use ctx::PlatformCtx;

/// A user as the platform judges them (the host reads them from iam).
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    pub id: uuid::Uuid,
    pub email: &'a str,
    pub email_verified: bool,
    pub active: bool,
}
