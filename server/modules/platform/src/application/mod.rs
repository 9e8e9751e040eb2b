//! The platform's use cases.

pub mod admins;
pub mod console;
mod ctx;
pub mod impersonation;
pub mod overview;

pub use ctx::PlatformCtx;

/// A user as the platform judges them.
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    pub id: uuid::Uuid,
    pub email: &'a str,
    pub email_verified: bool,
    pub active: bool,
}

impl<'a> Person<'a> {
    /// The platform's view of `user`.
    #[must_use]
    pub fn of(user: &'a iam::User) -> Self {
        Self {
            id: user.id.into_uuid(),
            email: &user.email,
            email_verified: user.email_verified_at.is_some(),
            active: user.active,
        }
    }
}
