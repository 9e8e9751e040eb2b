//! Sessions: the session layer (tower-sessions in Postgres + axum-login), the active-organization
//! cookie, the CSRF origin check, the idempotency scope and the impersonation clock. Who is
//! calling is found out by the extractors of `app::server::caller` ([`Caller`], [`Member`],
//! [`Admin`]), which the server functions use too.

pub use app::server::caller::{Admin, Caller, HasServices, Member};
use axum::extract::{Request, State};
use axum::http::header::{ORIGIN, REFERER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder};
use contracts::ErrorCode;
use iam::{AuthBackend, AuthSession, PgSessionStore};
use platform::domain::impersonation::StopReason;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::http::error::ApiFailure;
use crate::http::idempotency::IdempotencyScope;
use crate::state::AppState;

/// The session cookie.
pub const SESSION_COOKIE: &str = "mibio_session";
/// The active-organization cookie (shared with the server functions).
pub use app::server::cookies::ORG_COOKIE;
/// Sessions last 30 days from the last request (rolling).
const SESSION_DAYS: i64 = 30;

/// The auth layer: sessions in Postgres, `HttpOnly`, `SameSite=Lax`, `Secure` on https, rolling
/// 30-day expiry; axum-login on top.
pub fn auth_layer(state: &AppState) -> AuthManagerLayer<AuthBackend, PgSessionStore> {
    let sessions = SessionManagerLayer::new(PgSessionStore::new(state.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies())
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::days(SESSION_DAYS)));
    AuthManagerLayerBuilder::new(AuthBackend::new(state.db.clone()), sessions).build()
}

/// Middleware, outside the auth layer: when the session store or the auth backend could not reach
/// the database, tower-sessions and axum-login answer a bare `500`; this answers `503
/// unavailable` instead, as every other request that needs the database does while it is down.
pub async fn session_store_unavailable(req: Request, next: Next) -> Response {
    let (response, unreachable) = iam::track_unreachable(next.run(req)).await;
    if unreachable && response.status() == StatusCode::INTERNAL_SERVER_ERROR {
        return ApiFailure::new(
            ErrorCode::Unavailable,
            "The service is temporarily unavailable; try again shortly.",
        )
        .into_response();
    }
    response
}

/// The host's state gives the caller extractors ([`Caller`], [`Member`], [`Admin`]) the services
/// they read from; the extractors themselves are the ones the server functions run too.
impl HasServices for AppState {
    fn services(&self) -> &app::server::Services {
        &self.services
    }
}

/// A cookie's value from the request headers.
#[must_use]
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    app::server::cookies::read(headers, name)
}

/// The `Set-Cookie` value that makes `organization` active (or clears it with `None`).
#[must_use]
pub fn org_cookie(state: &AppState, organization: Option<tenancy::OrganizationId>) -> HeaderValue {
    let value = app::server::cookies::org_cookie(organization, state.config.secure_cookies());
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Adds the active-organization cookie to a response.
pub fn with_org_cookie(mut response: Response, cookie: HeaderValue) -> Response {
    response.headers_mut().append(SET_COOKIE, cookie);
    response
}

/// Paths whose mutations need no origin check: they carry no session authority (webhooks are
/// signed; the public endpoints are anonymous; the emails' unsubscribe link carries its own
/// one-use token). These routes live on the public router, which runs no session layer at all;
/// the list keeps them exempt should one ever move behind it.
fn csrf_exempt(path: &str) -> bool {
    path.starts_with("/webhooks/")
        || path.starts_with("/api/v1/public/")
        || path == notifications::UNSUBSCRIBE_PATH
        || path.ends_with("/leads") && path.matches('/').count() == 2
}

/// The origin of a `Referer` URL (`scheme://host[:port]`).
fn referer_origin(referer: &str) -> Option<String> {
    let url = url::Url::parse(referer).ok()?;
    Some(url.origin().ascii_serialization())
}

/// Middleware: a mutating request that carries a session cookie must come from our own origin
/// (its `Origin`, or failing that its `Referer`, equals `PUBLIC_URL`'s); otherwise 403.
pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mutating = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    if !mutating || csrf_exempt(req.uri().path()) || cookie(req.headers(), SESSION_COOKIE).is_none() {
        return next.run(req).await;
    }
    let headers = req.headers();
    let origin = headers
        .get(ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| *o != "null")
        .map(str::to_owned)
        .or_else(|| headers.get(REFERER).and_then(|v| v.to_str().ok()).and_then(referer_origin));
    if origin.as_deref() == Some(state.config.public_origin().as_str()) {
        next.run(req).await
    } else {
        tracing::warn!(origin = origin.as_deref().unwrap_or("(none)"), "cross-site request refused");
        ApiFailure::new(ErrorCode::Forbidden, "Cross-site request refused: send it from the mibio site.")
            .into_response()
    }
}

/// Middleware: scopes `Idempotency-Key`s to the signed-in user.
pub async fn idempotency_scope(mut req: Request, next: Next) -> Response {
    let user = req.extensions().get::<AuthSession>().and_then(|s| s.user.as_ref()).map(|u| u.id.to_string());
    if let Some(user) = user {
        req.extensions_mut().insert(IdempotencyScope(format!("user:{user}")));
    }
    next.run(req).await
}

/// During an impersonation: runs the request with the admin as the outbox's impersonator (every
/// event it records carries both identities); once the hour is up, ends the impersonation first
/// (the session is the admin's again, and the admin's organization active again).
pub async fn impersonation(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let Some(mut session) = request.extensions().get::<AuthSession>().cloned() else {
        return next.run(request).await;
    };
    let Some(imp) = app::server::caller::impersonation(&session).await else {
        return next.run(request).await;
    };
    if !imp.expired(state.platform.clock.now()) {
        // Whatever this request records names the admin behind the user.
        return runtime::outbox::IMPERSONATOR.scope(imp.admin_id, next.run(request)).await;
    }
    let ended =
        app::server::caller::end_impersonation(&state.services, &mut session, StopReason::Expired).await;
    if let Err(err) = ended {
        tracing::warn!(?err, "an expired impersonation could not be ended");
        return next.run(request).await;
    }
    tracing::info!(admin = %imp.admin_id, user = %imp.user_id, "impersonation expired");
    // Handlers extract the session from the request: give them the admin's.
    request.extensions_mut().insert(session);
    let organization = imp.admin_organization.as_deref().and_then(|o| o.parse().ok());
    with_org_cookie(next.run(request).await, org_cookie(&state, organization))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exempt_paths() {
        assert!(csrf_exempt("/webhooks/stripe"));
        assert!(csrf_exempt("/api/v1/public/leads"));
        assert!(csrf_exempt("/ana-perez/leads"));
        assert!(csrf_exempt("/notifications/unsubscribe"));
        assert!(!csrf_exempt("/api/v1/notifications/read-all"));
        assert!(!csrf_exempt("/api/v1/organizations"));
        assert!(!csrf_exempt("/api/auth/sign-out"));
        assert_eq!(referer_origin("https://m.example:8443/x?y").as_deref(), Some("https://m.example:8443"));
    }
}
