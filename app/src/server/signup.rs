//! Sign-up and its mailed link, one implementation behind both doors (the screens' server
//! functions and `/api/auth/*`). Sign-up hands the browser a proof in a cookie
//! ([`cookies::SIGNUP_COOKIE`]); the link opened in that same browser confirms the address and
//! signs in, then leads to the `next` the link carries. Opened anywhere else it only confirms.

use contracts::next::NextPath;
use contracts::{ApiError, ErrorCode, Locale};
use iam::{AuthSession, User};

use crate::server::{Services, cookies, wire};

/// What a sign-up form sends.
#[derive(Debug, Clone)]
pub struct SignUpForm {
    pub email: String,
    pub password: String,
    pub name: String,
    pub locale: Locale,
    /// Where the mailed link leads, as given (refused values lead to the dashboard).
    pub next: Option<String>,
}

/// Creates the account (see `iam::application::sign_up`): the user as submitted, and the
/// `Set-Cookie` value the answer must carry.
///
/// # Errors
/// `validation` naming each bad field.
pub async fn sign_up(services: &Services, form: SignUpForm) -> Result<(User, String), ApiError> {
    let next = form.next.as_deref().and_then(|n| NextPath::parse(n).ok());
    let command = iam::application::sign_up::SignUp {
        email: form.email,
        password: form.password,
        name: form.name,
        locale: form.locale,
        next,
    };
    let done = iam::application::sign_up::sign_up(&services.iam, command).await.map_err(wire)?;
    let cookie = cookies::signup_cookie(Some(&done.browser_proof), services.secure_cookies);
    Ok((done.user, cookie))
}

/// How following the link went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    /// Confirmed, and this browser (the one that signed up) is now signed in.
    SignedIn,
    /// Confirmed; signing in is up to the person.
    Verified,
}

/// Confirms the address of the link's `token`. When `headers` carry the proof of the browser that
/// signed up, the session `auth` becomes a new, signed-in one. The answer must then clear the
/// proof's cookie ([`cookies::signup_cookie`] with `None`).
///
/// # Errors
/// `invalid_token` for an unknown, used or expired link; `unavailable` when sessions are.
pub async fn confirm(
    services: &Services,
    auth: &mut AuthSession,
    headers: &http::HeaderMap,
    token: &str,
) -> Result<Confirmed, ApiError> {
    let proof = cookies::read(headers, cookies::SIGNUP_COOKIE);
    let verified =
        iam::application::verify_email::verify_email(&services.iam, token, proof).await.map_err(wire)?;
    let Some(row) = verified.sign_in else { return Ok(Confirmed::Verified) };
    // A new session, as at every sign-in (session fixation).
    iam::session::establish(auth, &row)
        .await
        .map_err(|_| ApiError::new(ErrorCode::Unavailable, "Sessions are unavailable; try again shortly."))?;
    Ok(Confirmed::SignedIn)
}
