//! The platform side of a session, shared by both doors (REST and server functions): whether the
//! person at the keyboard is a platform admin, and impersonation — kept in the session under
//! [`IMPERSONATION_KEY`] while the session is signed in as the impersonated user.

use ::platform::application::Person;
use ::platform::domain::impersonation::{Impersonation, StopReason};
use contracts::platform::ImpersonationView;
use contracts::{ApiError, ErrorCode};
use iam::{AuthSession, User, UserId};

use crate::server::Services;

/// Where a session keeps its impersonation.
pub const IMPERSONATION_KEY: &str = "mibio.impersonation";

fn unavailable() -> ApiError {
    ApiError::new(ErrorCode::Unavailable, "Sessions are unavailable; try again shortly.")
}

/// The platform's view of a user.
#[must_use]
pub fn person(user: &User) -> Person<'_> {
    Person {
        id: user.id.into_uuid(),
        email: &user.email,
        email_verified: user.email_verified_at.is_some(),
        active: user.active,
    }
}

/// The impersonation `session` is in, if any (expired or not).
pub async fn impersonation(session: &AuthSession) -> Option<Impersonation> {
    session.user.as_ref()?;
    session.session.get::<Impersonation>(IMPERSONATION_KEY).await.ok().flatten()
}

/// Whether `user` is a platform admin.
///
/// # Errors
/// `unavailable` when the database is.
pub async fn is_admin(services: &Services, user: &User) -> Result<bool, ApiError> {
    ::platform::application::admins::is_admin(&services.platform, person(user))
        .await
        .map_err(crate::server::wire)
}

/// The person really at the keyboard: the admin during an impersonation, else the session's
/// user. `None` when signed out (or the user is gone or deactivated).
///
/// # Errors
/// `unavailable` when the database is.
pub async fn real_user(services: &Services, session: &AuthSession) -> Result<Option<User>, ApiError> {
    let Some(signed_in) = session.user.as_ref() else { return Ok(None) };
    match impersonation(session).await {
        Some(imp) => iam::application::users::get_active(&services.iam, UserId::from(imp.admin_id))
            .await
            .map_err(crate::server::wire),
        // The session layer loaded the (active) user for this request already.
        None => Ok(Some(signed_in.user().clone())),
    }
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
    let admin = iam::application::users::get_active(&services.iam, UserId::from(imp.admin_id))
        .await
        .map_err(crate::server::wire)?;
    Ok(admin.map(|admin| ImpersonationView {
        admin_id: admin.id.to_string(),
        admin_email: admin.email,
        user_id: user.id.to_string(),
        user_email: user.email.clone(),
        user_name: user.name.clone(),
        expires_at: imp.expires_at.to_rfc3339(),
    }))
}

/// Admin `admin` starts acting as user `target` in `session`: the session is signed in as the
/// user and remembers the impersonation. `admin_organization` is the admin's active organization,
/// restored at the end.
///
/// # Errors
/// `not_found` for an unknown user; the platform's refusals (oneself, a deactivated user,
/// another admin); `unavailable`.
pub async fn begin(
    services: &Services,
    session: &mut AuthSession,
    admin: &User,
    target: UserId,
    admin_organization: Option<String>,
) -> Result<(Impersonation, User), ApiError> {
    if impersonation(session).await.is_some() {
        return Err(ApiError::new(ErrorCode::Conflict, "Stop the current impersonation first."));
    }
    let user = iam::application::admin::get_user(&services.iam, target).await.map_err(crate::server::wire)?;
    let imp = ::platform::application::impersonation::start(
        &services.platform,
        admin.id.into_uuid(),
        person(&user),
        admin_organization,
    )
    .await
    .map_err(crate::server::wire)?;
    let as_user =
        iam::application::admin::session_user(&services.iam, target).await.map_err(crate::server::wire)?;
    session.login(&as_user).await.map_err(|_| unavailable())?;
    session.session.insert(IMPERSONATION_KEY, &imp).await.map_err(|_| unavailable())?;
    Ok((imp, user))
}

/// Ends the impersonation of `session` (for `reason`): the session is the admin's again.
/// Returns the impersonation that ended, `None` when there was none.
///
/// # Errors
/// `unavailable`.
pub async fn end(
    services: &Services,
    session: &mut AuthSession,
    reason: StopReason,
) -> Result<Option<Impersonation>, ApiError> {
    let Some(imp) = impersonation(session).await else { return Ok(None) };
    ::platform::application::impersonation::stop(&services.platform, &imp, reason)
        .await
        .map_err(crate::server::wire)?;
    session.session.remove::<Impersonation>(IMPERSONATION_KEY).await.map_err(|_| unavailable())?;
    if reason == StopReason::SignedOut {
        return Ok(Some(imp));
    }
    match iam::application::admin::session_user(&services.iam, UserId::from(imp.admin_id)).await {
        Ok(admin) => session.login(&admin).await.map_err(|_| unavailable())?,
        // The admin was deactivated meanwhile: nobody is signed in any more.
        Err(_) => session.logout().await.map(drop).map_err(|_| unavailable())?,
    }
    Ok(Some(imp))
}
