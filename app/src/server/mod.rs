//! What server functions get from the host (server side only): the contexts' use-case
//! dependencies and the request guards (rate limits) the REST door uses too, so both doors
//! enforce the same rules.

pub mod admin;
pub mod billing;
pub mod caller;
pub mod cookies;
mod failure;
pub mod platform;
pub mod signup;

pub use failure::ApiFailure;

use std::sync::Arc;

use contracts::{ApiError, ErrorCode};
use leptos::prelude::*;

/// A rate-limited action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarded {
    /// Sign-in: per client IP, and per account (the email).
    SignIn,
    /// Sign-up: per client IP.
    SignUp,
    /// Password-reset request: per client IP.
    PasswordReset,
    /// A new email-verification link: per account (the user id), not per IP.
    VerifyResend,
}

/// The host's rate limiter, as server functions see it.
#[async_trait::async_trait]
pub trait RequestGuard: Send + Sync {
    /// Counts one `action` by the request's client (and `account`, for sign-in).
    ///
    /// # Errors
    /// `rate_limited` (with the wait in the message) or `unavailable`.
    async fn check(
        &self,
        action: Guarded,
        request: &http::request::Parts,
        account: Option<&str>,
    ) -> Result<(), ApiError>;
}

/// Everything server functions need, provided by the host as context.
#[derive(Clone)]
pub struct Services {
    pub iam: iam::IamCtx,
    pub tenancy: tenancy::TenancyCtx,
    pub links: links::LinksCtx,
    /// What members read of analytics (reports, page-card counts).
    pub analytics: analytics::application::AnalyticsCtx,
    pub platform: ::platform::PlatformCtx,
    /// The admin console's use cases (`platform::application::console`).
    pub console: ::platform::application::console::ConsoleCtx,
    pub audit: audit::AuditCtx,
    pub flags: feature_flags::FeatureFlags,
    /// Usage metering: the organization's usage (the billing screen's panel).
    pub usage: usage::UsageCtx,
    /// Plans, the organization's subscription, the payment provider.
    pub billing: ::billing::BillingCtx,
    /// The signed-in user's notifications and email preferences.
    pub notifications: ::notifications::NotificationsCtx,
    /// The site's public origin (`PUBLIC_URL`, no trailing slash): where providers send the
    /// browser back.
    pub public_url: String,
    pub guard: Arc<dyn RequestGuard>,
    /// Whether cookies get `Secure` (the public URL is https).
    pub secure_cookies: bool,
}

/// The services of this request.
///
/// # Errors
/// `internal` when the host did not provide them (a wiring bug).
pub fn services() -> Result<Services, ApiError> {
    use_context::<Services>()
        .ok_or_else(|| ApiError::new(ErrorCode::Internal, "Server functions are not wired to the host."))
}

/// The request's parts (headers, extensions), as leptos_axum provides them.
///
/// # Errors
/// `internal` outside a request.
pub fn request_parts() -> Result<http::request::Parts, ApiError> {
    use_context::<http::request::Parts>()
        .ok_or_else(|| ApiError::new(ErrorCode::Internal, "No request in context."))
}

/// The axum-login session of this request.
///
/// # Errors
/// `internal` when the session layer is missing.
pub fn auth_session() -> Result<iam::AuthSession, ApiError> {
    request_parts()?
        .extensions
        .get::<iam::AuthSession>()
        .cloned()
        .ok_or_else(|| ApiError::new(ErrorCode::Internal, "The session layer is missing."))
}

/// Maps a context error to the wire, logging unexpected ones with an incident id, and gives the
/// response the error's HTTP status (as the REST door would).
pub fn wire<E: Into<kernel::DomainError>>(err: E) -> ApiError {
    reject(ApiFailure::from(err.into()).0)
}

/// Sets the response status of a failing server function to its error's HTTP status.
pub fn reject(err: ApiError) -> ApiError {
    if let (Some(response), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(err.status()))
    {
        response.set_status(status);
    }
    err
}

/// Sets a response header (e.g. the active-organization cookie).
pub fn append_header(name: http::HeaderName, value: &str) {
    if let (Some(response), Ok(value)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(value))
    {
        response.append_header(name, value);
    }
}

/// Answers the page being rendered with `303 See Other` to `location` (a path on this site).
pub fn see_other(location: &str) {
    if let (Some(response), Ok(value)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(location))
    {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(http::header::LOCATION, value);
    }
}
