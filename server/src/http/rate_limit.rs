//! Rate limits for handlers: [`RateLimiter::check`] counts a hit in one of the configured
//! [`Bucket`]s (the `RATE_LIMIT_*` variables) and answers either the `X-RateLimit-*` headers for
//! the success response, or a ready `429` (with `Retry-After`) or `503`.
//!
//! The counters live in Postgres (`runtime::rate_limit`), so every replica spends one shared budget
//! and a restart or a deploy does not hand out a fresh one.
//!
//! ```ignore
//! async fn sign_in(
//!     State(limiter): State<RateLimiter>,
//!     ip: ClientIp,
//!     ApiJson(input): ApiJson<SignInInput>,
//! ) -> axum::response::Result<impl IntoResponse> {
//!     let mut headers = limiter.check(Bucket::SignInIp, &ip.rate_limit_key()).await?;
//!     headers = headers.min(limiter.check(Bucket::SignInAccount, &iam::session::account_key(&input.email)).await?);
//!     Ok((headers, Json(view)))
//! }
//! ```

use std::sync::Arc;
use std::time::Duration;

use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, IntoResponseParts, Response, ResponseParts};
use chrono::{DateTime, Utc};
use contracts::{ApiError, ErrorCode};
use kernel::db::DbPool;
use kernel::{Clock, DomainError};

use crate::config::RateLimits;
use crate::http::error::ApiFailure;

/// `X-RateLimit-Limit`: hits allowed per window.
pub static X_RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
/// `X-RateLimit-Remaining`: hits left in the current window.
pub static X_RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
/// `X-RateLimit-Reset`: when the window ends, in Unix seconds.
pub static X_RATELIMIT_RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

/// A budget of hits: which endpoint family, counted per what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// Sign-in attempts per client IP per minute (`RATE_LIMIT_SIGNIN_PER_MINUTE`).
    SignInIp,
    /// Sign-in attempts per account, from any IP, per minute (`RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE`).
    /// Key it by the normalised (lower-cased) email, known or not.
    SignInAccount,
    /// Sign-ups per client IP per hour (`RATE_LIMIT_SIGNUP_PER_HOUR`).
    SignUpIp,
    /// Password-reset requests per client IP per hour (`RATE_LIMIT_SIGNUP_PER_HOUR`, its own budget).
    PasswordResetIp,
    /// Public lead submissions per client IP per minute (`RATE_LIMIT_LEADS_PER_MINUTE`).
    LeadsIp,
    /// New email-verification links per account per hour ([`VERIFY_RESENDS_PER_HOUR`]): enough
    /// for a lost mail or two, too few to mail-bomb an address.
    VerifyResendAccount,
}

/// New email-verification links an account may ask for per hour.
pub const VERIFY_RESENDS_PER_HOUR: u32 = 5;

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(60 * 60);

impl Bucket {
    /// The name the counters are stored under.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::SignInIp => "signin_ip",
            Self::SignInAccount => "signin_account",
            Self::SignUpIp => "signup_ip",
            Self::PasswordResetIp => "password_reset_ip",
            Self::LeadsIp => "leads_ip",
            Self::VerifyResendAccount => "verify_resend_account",
        }
    }

    /// Hits allowed per window, and the window, under `limits`.
    #[must_use]
    pub const fn policy(self, limits: &RateLimits) -> (u32, Duration) {
        match self {
            Self::SignInIp => (limits.signin_per_minute, MINUTE),
            Self::SignInAccount => (limits.signin_account_per_minute, MINUTE),
            Self::SignUpIp | Self::PasswordResetIp => (limits.signup_per_hour, HOUR),
            Self::LeadsIp => (limits.leads_per_minute, MINUTE),
            Self::VerifyResendAccount => (VERIFY_RESENDS_PER_HOUR, HOUR),
        }
    }
}

/// The `X-RateLimit-*` values of an allowed hit. Return it next to the body
/// (`Ok((headers, Json(view)))`: it is [`IntoResponseParts`]) or [`apply`](Self::apply) it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitHeaders {
    pub limit: u32,
    pub remaining: u32,
    /// When the window ends.
    pub reset: DateTime<Utc>,
}

impl RateLimitHeaders {
    /// Sets the three `X-RateLimit-*` headers on `headers`.
    pub fn apply(&self, headers: &mut HeaderMap) {
        headers.insert(X_RATELIMIT_LIMIT.clone(), HeaderValue::from(self.limit));
        headers.insert(X_RATELIMIT_REMAINING.clone(), HeaderValue::from(self.remaining));
        headers.insert(X_RATELIMIT_RESET.clone(), HeaderValue::from(self.reset.timestamp()));
    }

    /// The tighter of two budgets (fewer hits left), for an endpoint checked against several.
    #[must_use]
    pub fn min(self, other: Self) -> Self {
        if other.remaining < self.remaining { other } else { self }
    }
}

impl IntoResponseParts for RateLimitHeaders {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        self.apply(res.headers_mut());
        Ok(res)
    }
}

/// A hit that may not go on: answer with it (it is [`IntoResponse`]; `?` turns it into an
/// `axum::response::ErrorResponse`).
#[derive(Debug)]
pub enum RateLimitRejection {
    /// The budget is spent: `429 rate_limited` with `Retry-After` and the `X-RateLimit-*` headers.
    Limited { headers: RateLimitHeaders, retry_after_secs: u64 },
    /// The counters could not be reached: `503 unavailable`.
    Unavailable(ApiFailure),
}

impl IntoResponse for RateLimitRejection {
    fn into_response(self) -> Response {
        match self {
            Self::Limited { headers, retry_after_secs } => {
                let error = ApiError::new(
                    ErrorCode::RateLimited,
                    format!("Too many attempts; try again in {retry_after_secs} seconds."),
                );
                let mut res = (StatusCode::TOO_MANY_REQUESTS, axum::Json(error.into_body())).into_response();
                headers.apply(res.headers_mut());
                res.headers_mut().insert(RETRY_AFTER, HeaderValue::from(retry_after_secs));
                res
            }
            Self::Unavailable(failure) => failure.into_response(),
        }
    }
}

/// Counts hits against the configured limits. Cheap to clone; the app state keeps one
/// (`state.limiter`).
#[derive(Clone)]
pub struct RateLimiter {
    db: DbPool,
    limits: RateLimits,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter").field("limits", &self.limits).finish_non_exhaustive()
    }
}

impl RateLimiter {
    /// A limiter over `db` with `limits`, reading the time from `clock`.
    #[must_use]
    pub fn new(db: DbPool, limits: RateLimits, clock: Arc<dyn Clock>) -> Self {
        Self { db, limits, clock }
    }

    /// The same limiter reading the time from `clock` (tests pin it with `kernel::FixedClock`).
    #[must_use]
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Self {
        Self { clock, ..self }
    }

    /// Counts one hit of `key` in `bucket`. Keys are hashed before they are stored; pass
    /// [`ClientIp::rate_limit_key`](crate::http::client_ip::ClientIp::rate_limit_key) for the
    /// per-IP buckets and the lower-cased email for [`Bucket::SignInAccount`].
    ///
    /// # Errors
    /// [`RateLimitRejection::Limited`] when the budget is spent, and
    /// [`RateLimitRejection::Unavailable`] when the counters cannot be reached. The limiter fails
    /// *closed*: the limited endpoints (sign-in, sign-up, reset, leads) need the database anyway,
    /// so refusing costs nothing, while letting requests through would let anyone who can slow
    /// the database down (exhaust its pool) lift the limits, and with them the brake on password
    /// guessing and on the CPU that hashing passwords costs.
    #[tracing::instrument(skip(self, key))]
    pub async fn check(&self, bucket: Bucket, key: &str) -> Result<RateLimitHeaders, RateLimitRejection> {
        let (limit, window) = bucket.policy(&self.limits);
        let now = self.clock.now();
        let unavailable =
            || RateLimitRejection::Unavailable(DomainError::Unavailable("database".into()).into());
        let mut conn = self.db.get().await.map_err(|error| {
            tracing::warn!(%error, "rate limiter could not get a connection; refusing the request");
            unavailable()
        })?;
        let decision = runtime::rate_limit::hit(&mut conn, bucket.name(), key, limit, window, now)
            .await
            .map_err(|error| {
                tracing::warn!(%error, "rate limiter could not count a hit; refusing the request");
                unavailable()
            })?;
        let headers = RateLimitHeaders {
            limit: decision.limit,
            remaining: decision.remaining,
            reset: decision.reset_at,
        };
        if decision.allowed {
            Ok(headers)
        } else {
            tracing::info!("rate limit reached");
            Err(RateLimitRejection::Limited { headers, retry_after_secs: decision.retry_after(now) })
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    #[test]
    fn every_bucket_has_its_configured_policy() {
        let limits = RateLimits {
            signin_per_minute: 10,
            signin_account_per_minute: 5,
            signup_per_hour: 20,
            leads_per_minute: 7,
        };
        assert_eq!(Bucket::SignInIp.policy(&limits), (10, MINUTE));
        assert_eq!(Bucket::SignInAccount.policy(&limits), (5, MINUTE));
        assert_eq!(Bucket::SignUpIp.policy(&limits), (20, HOUR));
        assert_eq!(Bucket::PasswordResetIp.policy(&limits), (20, HOUR));
        assert_eq!(Bucket::LeadsIp.policy(&limits), (7, MINUTE));
    }

    #[test]
    fn headers_carry_unix_seconds_and_the_tighter_budget_wins() {
        let reset = Utc.with_ymd_and_hms(2026, 11, 25, 10, 8, 0).unwrap();
        let loose = RateLimitHeaders { limit: 10, remaining: 9, reset };
        let tight = RateLimitHeaders { limit: 5, remaining: 1, reset };
        assert_eq!(loose.min(tight), tight);
        assert_eq!(tight.min(loose), tight);
        let mut headers = HeaderMap::new();
        tight.apply(&mut headers);
        assert_eq!(headers[&X_RATELIMIT_LIMIT], "5");
        assert_eq!(headers[&X_RATELIMIT_REMAINING], "1");
        assert_eq!(headers[&X_RATELIMIT_RESET], reset.timestamp().to_string().as_str());
    }
}
