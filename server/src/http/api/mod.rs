//! The REST adapters (`docs/http-api.md`): thin handlers that authenticate, turn the body into a
//! command, call one use case and map the result.

pub mod auth;
pub mod billing;
pub mod links;
pub mod me;
pub mod notifications;
pub mod organizations;
pub mod platform;
pub mod usage;

use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use contracts::Locale;
use utoipa_axum::router::OpenApiRouter;

use crate::http::error::ApiFailure;
use crate::state::AppState;

/// Every REST route (each mounted by its handler's OpenAPI description: see
/// [`crate::http::openapi`]).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(auth::routes())
        .merge(me::routes())
        .merge(organizations::routes())
        .merge(links::routes())
        .merge(platform::routes())
        .merge(usage::routes())
        .merge(billing::routes())
        .merge(notifications::routes())
}

/// The routes that take a file (`multipart/form-data`): mounted outside the 64 KiB body limit,
/// with their own ([`crate::http::upload::UPLOAD_BODY_LIMIT`]).
pub fn upload_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(me::upload_routes()).merge(links::upload_routes())
}

/// The language of a request: the `mibio_lang` cookie, then `Accept-Language`, then Spanish.
#[must_use]
pub fn request_locale(headers: &HeaderMap) -> Locale {
    crate::http::session::cookie(headers, app::i18n::LOCALE_COOKIE)
        .and_then(|v| v.parse().ok())
        .or_else(|| headers.get(ACCEPT_LANGUAGE).and_then(|h| h.to_str().ok()).and_then(Locale::negotiate))
        .unwrap_or_default()
}

/// Maps any context error (anything that becomes a `DomainError`) to the wire.
pub fn fail<E: Into<kernel::DomainError>>(err: E) -> ApiFailure {
    ApiFailure::from(err.into())
}
