//! The platform side of a session for the pages every signed-in person sees: whether the person
//! at the keyboard is a platform admin, and the impersonation banner. (Who is calling is decided
//! in [`caller`](super::caller); the console's use cases live in `platform::application::console`.)

use ::platform::application::Person;
use contracts::ApiError;
use contracts::platform::ImpersonationView;
use iam::{AuthSession, User, UserId};

use crate::server::caller::impersonation;
use crate::server::{Services, wire};

/// Whether `user` is a platform admin.
///
/// # Errors
/// `unavailable` when the database is.
pub async fn is_admin(services: &Services, user: &User) -> Result<bool, ApiError> {
    ::platform::application::admins::is_admin(&services.platform, Person::of(user)).await.map_err(wire)
}

/// What the session view says about an impersonation in progress.
///
/// # Errors
/// `unavailable` when the database is.
pub async fn impersonation_view(
    services: &Services,
    session: &AuthSession,
    user: &User,
) -> Result<Option<ImpersonationView>, ApiError> {
    let Some(imp) = impersonation(session).await else { return Ok(None) };
    let admin =
        iam::application::users::get_active(&services.iam, UserId::from(imp.admin_id)).await.map_err(wire)?;
    Ok(admin.map(|admin| ::platform::application::console::impersonation_view(&admin, user, &imp)))
}
