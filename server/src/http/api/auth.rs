//! `/api/auth/*`: sign-up, email verification, sign-in/out, the session, passwords.

use app::server::caller::{active_membership, end_impersonation, session_view};
use app::server::cookies::signup_cookie;
use app::server::signup;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::header::{ACCEPT, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use contracts::ApiErrorBody;
use contracts::auth::{
    ChangePasswordInput, RequestPasswordResetInput, ResetPasswordInput, SessionView, SignInInput,
    SignUpInput, SignedIn, UserEnvelope, UserView, VerifiedView,
};
use contracts::next::NextPath;
use iam::AuthSession;
use iam::application::{
    change_password, request_password_reset, resend_verification, reset_password, sign_in,
};
use platform::domain::impersonation::StopReason;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::api::{fail, request_locale};
use crate::http::client_ip::ClientIp;
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::openapi::tags::AUTH;
use crate::http::rate_limit::Bucket;
use crate::http::session::Caller;
use crate::state::AppState;

/// The `/api/auth` routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_up_email))
        .routes(routes!(verify))
        .routes(routes!(resend_verification_email))
        .routes(routes!(sign_in_email))
        .routes(routes!(sign_out))
        .routes(routes!(session))
        .routes(routes!(change))
        .routes(routes!(request_reset))
        .routes(routes!(reset))
}

/// Signs up: the account and a verification email. A taken address answers the same (no
/// account enumeration) and gets a "you already have an account" email instead.
#[utoipa::path(
    post,
    path = "/api/auth/sign-up/email",
    tag = AUTH,
    request_body = SignUpInput,
    responses(
        (status = 201, description = "The account (also for a taken address); sets the `mibio_signup` cookie", body = UserEnvelope),
        (status = 429, description = "`rate_limited`: too many sign-ups from this address (see `Retry-After`)", body = ApiErrorBody),
        (status = 503, description = "`unavailable`: the rate limiter or the database is unavailable", body = ApiErrorBody),
    ),
)]
#[axum::debug_handler(state = AppState)]
async fn sign_up_email(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    ApiJson(input): ApiJson<SignUpInput>,
) -> Result<Response, Response> {
    let limits = state
        .limiter
        .check(Bucket::SignUpIp, &ip.rate_limit_key())
        .await
        .map_err(IntoResponse::into_response)?;
    let form = signup::SignUpForm {
        email: input.email,
        password: input.password,
        name: input.name,
        locale: input.locale.unwrap_or_else(|| request_locale(&headers)),
        next: input.next,
    };
    let (user, cookie) =
        signup::sign_up(&state.services, form).await.map_err(|e| ApiFailure::from(e).into_response())?;
    let cookie = [(SET_COOKIE, cookie)];
    Ok((StatusCode::CREATED, limits, cookie, Json(UserEnvelope { user: UserView::from(&user) }))
        .into_response())
}

/// `?token=&next=` of the verification link.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct TokenQuery {
    /// The link's token.
    #[serde(default)]
    token: String,
    /// Where to go once verified (a path on this site).
    #[serde(default)]
    next: Option<String>,
}

/// Verifies the email address of the link. Browsers (`Accept: text/html`) following the email
/// link get a redirect to a page (`next` when this browser signed up and is now signed in, else
/// the sign-in screen); API clients get JSON.
#[utoipa::path(
    get,
    path = "/api/auth/verify-email",
    tag = AUTH,
    params(TokenQuery),
    responses(
        (status = 200, description = "Verified; `signedIn` when this browser holds the sign-up's cookie", body = VerifiedView),
        (status = 303, description = "A browser's redirect: to `next`, or to `/signin?verified=1|0`"),
        (status = 400, description = "`invalid_token`: unknown, used or expired", body = ApiErrorBody),
    ),
)]
async fn verify(
    State(state): State<AppState>,
    mut session: AuthSession,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
) -> Response {
    let browser = headers.get(ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    let next = NextPath::or_default(query.next.as_deref());
    let services = &state.services;
    match signup::confirm(services, &mut session, &headers, &query.token).await {
        Ok(confirmed) => {
            let signed_in = confirmed == signup::Confirmed::SignedIn;
            let clear = signed_in.then(|| [(SET_COOKIE, signup_cookie(None, services.secure_cookies))]);
            let body = if !browser {
                Json(VerifiedView { verified: true, signed_in }).into_response()
            } else if signed_in {
                Redirect::to(next.as_str()).into_response()
            } else {
                let sign_in = next.on("/signin");
                let glue = if sign_in.contains('?') { '&' } else { '?' };
                Redirect::to(&format!("{sign_in}{glue}verified=1")).into_response()
            };
            (clear, body).into_response()
        }
        Err(e) if browser && e.code == contracts::ErrorCode::InvalidToken => {
            Redirect::to("/signin?verified=0").into_response()
        }
        Err(e) => ApiFailure::from(e).into_response(),
    }
}

/// A new verification link for the signed-in user: 202, or 409 when already verified; rate
/// limited per account.
#[utoipa::path(
    post,
    path = "/api/auth/verify-email/resend",
    tag = AUTH,
    security(("session" = [])),
    responses(
        (status = 202, description = "A new link is on its way"),
        (status = 409, description = "`conflict`: the address is verified already", body = ApiErrorBody),
        (status = 429, description = "`rate_limited`: 5 per account per hour (see `Retry-After`)", body = ApiErrorBody),
    ),
)]
async fn resend_verification_email(
    State(state): State<AppState>,
    current: Caller,
) -> Result<Response, Response> {
    let limits = state
        .limiter
        .check(Bucket::VerifyResendAccount, &current.user.id.to_string())
        .await
        .map_err(IntoResponse::into_response)?;
    resend_verification::resend_verification(&state.iam, &current.user)
        .await
        .map_err(|e| fail(e).into_response())?;
    let mut response = StatusCode::ACCEPTED.into_response();
    limits.apply(response.headers_mut());
    Ok(response)
}

/// Signs in: the session cookie, and where to go now.
#[utoipa::path(
    post,
    path = "/api/auth/sign-in/email",
    tag = AUTH,
    request_body = SignInInput,
    responses(
        (status = 200, description = "Signed in: sets the session cookie; `next` is where to go (`/dashboard` when none or refused)", body = SignedIn),
        (status = 401, description = "`invalid_credentials`: wrong email or password (the same answer for both)", body = ApiErrorBody),
        (status = 429, description = "`rate_limited`: too many attempts from this address or for this account (see `Retry-After`)", body = ApiErrorBody),
        (status = 503, description = "`unavailable`: sessions or the rate limiter are unavailable", body = ApiErrorBody),
    ),
)]
async fn sign_in_email(
    State(state): State<AppState>,
    ip: ClientIp,
    mut session: AuthSession,
    ApiJson(input): ApiJson<SignInInput>,
) -> Result<Response, Response> {
    let by_ip = state
        .limiter
        .check(Bucket::SignInIp, &ip.rate_limit_key())
        .await
        .map_err(IntoResponse::into_response)?;
    let by_account = state
        .limiter
        .check(Bucket::SignInAccount, &iam::session::account_key(&input.email))
        .await
        .map_err(IntoResponse::into_response)?;
    let signed_in = sign_in::sign_in(&state.iam, &input.email, &input.password)
        .await
        .map_err(|e| fail(e).into_response())?;
    iam::session::establish(&mut session, &signed_in).await.map_err(|e| session_failure(&e))?;
    let user = signed_in.user();
    let next = NextPath::or_default(input.next.as_deref()).as_str().to_owned();
    Ok((by_ip.min(by_account), Json(SignedIn { user: UserView::from(user), next })).into_response())
}

fn session_failure(err: &dyn std::fmt::Display) -> Response {
    tracing::error!(%err, "session store failed");
    ApiFailure::new(contracts::ErrorCode::Unavailable, "Sessions are unavailable; try again shortly.")
        .into_response()
}

/// Signs out: the session is destroyed server-side (an impersonation ends with it).
#[utoipa::path(
    post,
    path = "/api/auth/sign-out",
    tag = AUTH,
    security((), ("session" = [])),
    responses(
        (status = 204, description = "Signed out (also without a session)"),
        (status = 503, description = "`unavailable`: sessions are unavailable", body = ApiErrorBody),
    ),
)]
async fn sign_out(State(state): State<AppState>, mut session: AuthSession) -> Result<StatusCode, Response> {
    // Signing out during an impersonation ends it too (and says so in the audit log).
    end_impersonation(&state.services, &mut session, StopReason::SignedOut)
        .await
        .map_err(IntoResponse::into_response)?;
    session.logout().await.map_err(|e| session_failure(&e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The session: the user, the active organization and the caller's permissions in it.
#[utoipa::path(
    get,
    path = "/api/auth/session",
    tag = AUTH,
    security(("session" = [])),
    responses((status = 200, description = "The session", body = SessionView)),
)]
async fn session(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
) -> Result<Json<SessionView>, ApiFailure> {
    let membership = active_membership(&state.services, &headers, &caller.user).await?;
    Ok(Json(session_view(&state.services, &caller, membership).await?))
}

/// Changes the password; every other session of the user is revoked.
#[utoipa::path(
    post,
    path = "/api/auth/change-password",
    tag = AUTH,
    security(("session" = [])),
    request_body = ChangePasswordInput,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "`validation`: `currentPassword` is wrong, or `newPassword` breaks a rule", body = ApiErrorBody),
    ),
)]
async fn change(
    State(state): State<AppState>,
    current: Caller,
    ApiJson(input): ApiJson<ChangePasswordInput>,
) -> Result<StatusCode, Response> {
    let Caller { mut session, user } = current;
    let keep = session.session.id().map(|id| id.to_string());
    let hash = change_password::change_password(
        &state.iam,
        user.id,
        &input.current_password,
        &input.new_password,
        keep.as_deref(),
    )
    .await
    .map_err(|e| fail(e).into_response())?;
    // Re-bind this session to the new hash; every other session is gone.
    if let Some(me) = session.user.clone() {
        session.login(&me.with_password_hash(&hash)).await.map_err(|e| session_failure(&e))?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Mails a password-reset link, if the address has an account (the answer is the same).
#[utoipa::path(
    post,
    path = "/api/auth/request-password-reset",
    tag = AUTH,
    request_body = RequestPasswordResetInput,
    responses(
        (status = 202, description = "Accepted (whether or not the address has an account)"),
        (status = 429, description = "`rate_limited` (see `Retry-After`)", body = ApiErrorBody),
        (status = 503, description = "`unavailable`: the rate limiter or the database is unavailable", body = ApiErrorBody),
    ),
)]
async fn request_reset(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(input): ApiJson<RequestPasswordResetInput>,
) -> Result<Response, Response> {
    let limits = state
        .limiter
        .check(Bucket::PasswordResetIp, &ip.rate_limit_key())
        .await
        .map_err(IntoResponse::into_response)?;
    request_password_reset::request_password_reset(&state.iam, &input.email)
        .await
        .map_err(|e| fail(e).into_response())?;
    let mut response = StatusCode::ACCEPTED.into_response();
    limits.apply(response.headers_mut());
    Ok(response)
}

/// Sets a new password with a reset link's token.
#[utoipa::path(
    post,
    path = "/api/auth/reset-password",
    tag = AUTH,
    request_body = ResetPasswordInput,
    responses(
        (status = 204, description = "The password is changed; every session of the user is revoked"),
        (status = 400, description = "`invalid_token` (unknown, used or expired), or `validation` of `newPassword`", body = ApiErrorBody),
    ),
)]
async fn reset(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<ResetPasswordInput>,
) -> Result<StatusCode, ApiFailure> {
    reset_password::reset_password(&state.iam, &input.token, &input.new_password).await.map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}
