//! `POST /webhooks/{provider}`: the payment provider's deliveries. On the public router: no
//! session, no CSRF origin check (the provider's signature is the authentication), the raw body
//! kept exactly as signed.
//!
//! Answers: `200 {"received": true, "outcome": …}` for an applied, duplicate, stale or ignored
//! event (the provider stops retrying); `400 bad_request` for a bad signature or a malformed
//! body; `404` for a provider that is not the configured one.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use billing::ProviderKind;
use billing::application::Ingested;
use billing::domain::provider::WebhookRequest;
use serde::Serialize;

use crate::http::api::fail;
use crate::http::error::ApiFailure;
use crate::state::AppState;

/// The webhook route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/webhooks/{provider}", post(deliver))
}

/// What the provider is told.
#[derive(Debug, Serialize)]
struct Receipt {
    received: bool,
    /// `applied`, `duplicate` (this event id was applied before), `stale` (older than the last
    /// applied), `ignored` (not an event billing acts on) or `unknown_organization` (about an
    /// organization that does not exist).
    outcome: &'static str,
}

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
