//! Identity server functions: sign-up, sign-in/out, the session, verification, passwords, profile.

use contracts::ApiError;
use contracts::Locale;
use contracts::auth::{SessionView, SignedIn, UserView};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The signed-in user, or `unauthenticated`.
#[cfg(feature = "ssr")]
pub(crate) async fn current_user() -> Result<iam::User, ApiError> {
    use crate::server::caller::{Caller, extract};
    Ok(extract::<Caller>().await?.1.user)
}

/// Creates an account and emails a verification link (leading to `next` once confirmed). The
/// answer carries the cookie that lets the link sign this browser in.
#[server(prefix = "/api/fn", endpoint = "sign_up", input = Json)]
pub async fn sign_up(
    name: String,
    email: String,
    password: String,
    locale: Locale,
    next: Option<String>,
) -> Result<UserView, ApiError> {
    use crate::server::signup::SignUpForm;
    use crate::server::{Guarded, append_header, request_parts, services};
    let services = services()?;
    services.guard.check(Guarded::SignUp, &request_parts()?, None).await.map_err(crate::server::reject)?;
    let form = SignUpForm { email, password, name, locale, next };
    let (user, cookie) = crate::server::signup::sign_up(&services, form).await?;
    append_header(http::header::SET_COOKIE, &cookie);
    Ok(UserView::from(&user))
}

/// Signs in and starts a session; the answer says where to go (`next` when it is a path on this
/// site, else the dashboard).
#[server(prefix = "/api/fn", endpoint = "sign_in", input = Json)]
pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<SignedIn, ApiError> {
    use crate::server::{Guarded, auth_session, request_parts, services, wire};
    let services = services()?;
    let parts = request_parts()?;
    services
        .guard
        .check(Guarded::SignIn, &parts, Some(&iam::session::account_key(&email)))
        .await
        .map_err(crate::server::reject)?;
    let signed_in =
        iam::application::sign_in::sign_in(&services.iam, &email, &password).await.map_err(wire)?;
    let mut session = auth_session()?;
    iam::session::establish(&mut session, &signed_in).await.map_err(|_| {
        ApiError::new(contracts::ErrorCode::Unavailable, "Sessions are unavailable; try again shortly.")
    })?;
    let next = contracts::next::NextPath::or_default(next.as_deref()).as_str().to_owned();
    Ok(SignedIn { user: UserView::from(signed_in.user()), next })
}

/// Ends the session.
#[server(prefix = "/api/fn", endpoint = "sign_out", input = Json)]
pub async fn sign_out() -> Result<(), ApiError> {
    let mut session = crate::server::auth_session()?;
    let services = crate::server::services()?;
    // Signing out during an impersonation ends it too (and says so in the audit log).
    crate::server::caller::end_impersonation(
        &services,
        &mut session,
        platform::domain::impersonation::StopReason::SignedOut,
    )
    .await
    .map_err(|f| crate::server::reject(f.0))?;
    session.logout().await.map_err(|_| {
        ApiError::new(contracts::ErrorCode::Unavailable, "Sessions are unavailable; try again shortly.")
    })?;
    Ok(())
}

/// The session: user, active organization, permissions. `None` when signed out.
#[server(prefix = "/api/fn", endpoint = "session", input = Json)]
pub async fn get_session() -> Result<Option<SessionView>, ApiError> {
    use crate::server::caller::{Caller, active_or_first, attempt, session_view};
    // Signed out is an answer here, not an error.
    let Ok((services, caller)) = attempt::<Caller>().await else { return Ok(None) };
    let parts = crate::server::request_parts()?;
    let membership = active_or_first(&services, &parts.headers, &caller.user)
        .await
        .map_err(|f| crate::server::reject(f.0))?;
    session_view(&services, &caller, membership).await.map(Some)
}

/// Confirms an email address with the token from the link. In the browser that signed up it also
/// signs in, and answers `true`.
#[server(prefix = "/api/fn", endpoint = "verify_email", input = Json)]
pub async fn verify_email(token: String) -> Result<bool, ApiError> {
    use crate::server::signup::{Confirmed, confirm};
    let services = crate::server::services()?;
    let mut auth = crate::server::auth_session()?;
    let headers = crate::server::request_parts()?.headers;
    let signed_in = confirm(&services, &mut auth, &headers, &token).await? == Confirmed::SignedIn;
    if signed_in {
        let clear = crate::server::cookies::signup_cookie(None, services.secure_cookies);
        crate::server::append_header(http::header::SET_COOKIE, &clear);
    }
    Ok(signed_in)
}

/// Mails the signed-in user a new email-verification link (rate limited per account).
#[server(prefix = "/api/fn", endpoint = "resend_verification", input = Json)]
pub async fn resend_verification() -> Result<(), ApiError> {
    use crate::server::{Guarded, request_parts, services, wire};
    let services = services()?;
    let user = current_user().await?;
    services
        .guard
        .check(Guarded::VerifyResend, &request_parts()?, Some(&user.id.to_string()))
        .await
        .map_err(crate::server::reject)?;
    iam::application::resend_verification::resend_verification(&services.iam, &user).await.map_err(wire)
}

/// Emails a reset link if the address has an account (answers the same either way).
#[server(prefix = "/api/fn", endpoint = "request_password_reset", input = Json)]
pub async fn request_password_reset(email: String) -> Result<(), ApiError> {
    use crate::server::{Guarded, request_parts, services, wire};
    let services = services()?;
    services
        .guard
        .check(Guarded::PasswordReset, &request_parts()?, None)
        .await
        .map_err(crate::server::reject)?;
    iam::application::request_password_reset::request_password_reset(&services.iam, &email)
        .await
        .map_err(wire)
}

/// Sets a new password with the token from the reset link.
#[server(prefix = "/api/fn", endpoint = "reset_password", input = Json)]
pub async fn reset_password(token: String, new_password: String) -> Result<(), ApiError> {
    let services = crate::server::services()?;
    iam::application::reset_password::reset_password(&services.iam, &token, &new_password)
        .await
        .map_err(crate::server::wire)?;
    Ok(())
}

/// Changes the signed-in user's name and language.
#[server(prefix = "/api/fn", endpoint = "update_profile", input = Json)]
pub async fn update_profile(name: String, locale: Locale) -> Result<UserView, ApiError> {
    let services = crate::server::services()?;
    let user = current_user().await?;
    let user =
        iam::application::update_profile::update_profile(&services.iam, user.id, Some(&name), Some(locale))
            .await
            .map_err(crate::server::wire)?;
    // The interface follows the new language from the next page on.
    crate::server::append_header(http::header::SET_COOKIE, &crate::server::cookies::locale_cookie(locale));
    Ok(UserView::from(&user))
}

/// Removes the signed-in user's avatar. (Uploads go to the REST endpoint
/// `POST /api/v1/me/avatar`, which reports progress.)
#[server(prefix = "/api/fn", endpoint = "remove_avatar", input = Json)]
pub async fn remove_avatar() -> Result<(), ApiError> {
    let services = crate::server::services()?;
    let user = current_user().await?;
    iam::application::update_profile::remove_avatar(&services.iam, user.id)
        .await
        .map(drop)
        .map_err(crate::server::wire)
}

/// Changes the signed-in user's password; every other session is signed out.
#[server(prefix = "/api/fn", endpoint = "change_password", input = Json)]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), ApiError> {
    let services = crate::server::services()?;
    let user = current_user().await?;
    let mut session = crate::server::auth_session()?;
    let keep = session.session.id().map(|id| id.to_string());
    let hash = iam::application::change_password::change_password(
        &services.iam,
        user.id,
        &current_password,
        &new_password,
        keep.as_deref(),
    )
    .await
    .map_err(crate::server::wire)?;
    if let Some(me) = session.user.clone() {
        session.login(&me.with_password_hash(&hash)).await.map_err(|_| {
            ApiError::new(contracts::ErrorCode::Unavailable, "Sessions are unavailable; try again shortly.")
        })?;
    }
    Ok(())
}
