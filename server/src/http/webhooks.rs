//! `POST /webhooks/{provider}`: the payment provider's deliveries. On the public router: no
//! session, no CSRF origin check (the provider's signature is the authentication), the raw body
//! kept exactly as signed.
//!
//! Answers: `200 {"received": true, "outcome": …}` for an applied, duplicate, stale or ignored
//! event (the provider stops retrying); `400 bad_request` for a bad signature or a malformed
//! body; `404` for a provider that is not the configured one.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use billing::ProviderKind;
use billing::application::Ingested;
use billing::domain::provider::WebhookRequest;
use contracts::ApiErrorBody;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::api::fail;
use crate::http::error::ApiFailure;
use crate::http::openapi::tags::WEBHOOKS;
use crate::state::AppState;

/// The webhook route.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(deliver))
}

/// What the provider is told.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Receipt {
    received: bool,
    /// `applied`, `duplicate` (this event id was applied before), `stale` (older than the last
    /// applied), `ignored` (not an event billing acts on) or `unknown_organization` (about an
    /// organization that does not exist).
    outcome: &'static str,
}

/// A delivery from the payment provider, verified by its signature over the raw body.
#[utoipa::path(
    post,
    path = "/webhooks/{provider}",
    tag = WEBHOOKS,
    params(("provider" = String, Path, description = "`stripe`, `mercadopago` or `polar`: the configured provider")),
    request_body(content = Object, content_type = "application/json", description = "The provider's event, exactly as signed"),
    responses(
        (status = 200, description = "Received (the provider stops retrying)", body = Receipt),
        (status = 400, description = "`bad_request`: a bad signature or a malformed body", body = ApiErrorBody),
        (status = 404, description = "`not_found`: not the configured provider", body = ApiErrorBody),
        (status = 503, description = "`unavailable`: the database or the provider's API is unavailable", body = ApiErrorBody),
    ),
)]
async fn deliver(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Receipt>, ApiFailure> {
    let Some(kind) = ProviderKind::from_key(&provider) else {
        return Err(fail(kernel::DomainError::NotFound));
    };
    let request = WebhookRequest { headers: &headers, query: query.as_deref(), body: &body };
    let outcome = match billing::application::ingest_webhook(&state.services.billing, kind, request).await {
        Ok(Ingested::Applied(billing::Applied::Applied)) => "applied",
        Ok(Ingested::Applied(billing::Applied::Duplicate)) => "duplicate",
        Ok(Ingested::Applied(billing::Applied::Stale)) => "stale",
        Ok(Ingested::Ignored) => "ignored",
        // Verified, but about an organization that is gone (deleted since, or metadata from
        // another environment): retrying cannot help, so the provider is told to stop.
        Err(billing::BillingError::UnknownOrganization) => {
            tracing::warn!(provider = kind.key(), "payment webhook for an unknown organization");
            "unknown_organization"
        }
        Err(err) => return Err(fail(err)),
    };
    tracing::info!(provider = kind.key(), outcome, "payment webhook");
    Ok(Json(Receipt { received: true, outcome }))
}
