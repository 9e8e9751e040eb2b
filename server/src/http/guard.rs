//! The rate limits of the REST door, offered to the server functions of the dashboard (the
//! `app::server::RequestGuard` port), so both doors spend the same budgets.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::response::IntoResponse as _;
use contracts::{ApiError, ErrorCode};
use ipnet::IpNet;

use app::server::{Guarded, RequestGuard};

use crate::http::client_ip::{ClientIp, resolve};
use crate::http::rate_limit::{Bucket, RateLimitRejection, RateLimiter};

/// The host's guard: its rate limiter and its trusted proxies.
pub struct HostGuard {
    pub limiter: RateLimiter,
    pub trusted_proxies: Vec<IpNet>,
}

fn to_api_error(rejection: RateLimitRejection) -> ApiError {
    match rejection {
        RateLimitRejection::Limited { retry_after_secs, .. } => ApiError::new(
            ErrorCode::RateLimited,
            format!("Too many attempts; try again in {retry_after_secs} seconds."),
        ),
        RateLimitRejection::Unavailable(failure) => {
            drop(failure.into_response());
            ApiError::new(
                ErrorCode::Unavailable,
                "The service is temporarily unavailable; try again shortly.",
            )
        }
    }
}

#[async_trait::async_trait]
impl RequestGuard for HostGuard {
    async fn check(
        &self,
        action: Guarded,
        request: &http::request::Parts,
        account: Option<&str>,
    ) -> Result<(), ApiError> {
        let peer = request
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "No client address on the request."))?;
        let ip = ClientIp(resolve(peer, &request.headers, &self.trusted_proxies)).rate_limit_key();
        let (by_ip, by_account) = match action {
            Guarded::SignIn => (Some(Bucket::SignInIp), Some(Bucket::SignInAccount)),
            Guarded::SignUp => (Some(Bucket::SignUpIp), None),
            Guarded::PasswordReset => (Some(Bucket::PasswordResetIp), None),
            Guarded::VerifyResend => (None, Some(Bucket::VerifyResendAccount)),
        };
        if let Some(bucket) = by_ip {
            self.limiter.check(bucket, &ip).await.map_err(to_api_error)?;
        }
        if let (Some(bucket), Some(account)) = (by_account, account) {
            self.limiter.check(bucket, account).await.map_err(to_api_error)?;
        }
        Ok(())
    }
}
