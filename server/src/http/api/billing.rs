//! `/api/v1/billing/*`: the plans, the active organization's subscription, and the provider's
//! hosted checkout and customer portal (`docs/http-api.md`, Billing). The provider's webhooks
//! come in on the public router ([`crate::http::webhooks`]).

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use contracts::billing::{CheckoutBody, PlansView, RedirectView, SubscriptionView};

use crate::http::api::fail;
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::session::Member;
use crate::state::AppState;

/// The billing routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/billing/plans", get(plans))
        .route("/api/v1/billing/subscription", get(subscription))
        .route("/api/v1/billing/checkout", post(checkout))
        .route("/api/v1/billing/portal", post(portal))
}

/// The plans are the public price list: no session needed.
async fn plans() -> Json<PlansView> {
    Json(billing::application::list_plans())
}

async fn subscription(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<SubscriptionView>, ApiFailure> {
    let view = billing::application::current_subscription(&state.services.billing, &member.actor)
        .await
        .map_err(fail)?;
    Ok(Json(view))
}

async fn checkout(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<CheckoutBody>,
) -> Result<Json<RedirectView>, ApiFailure> {
    let urls = app::server::billing::return_urls(&state.services);
    let redirect = billing::application::start_checkout(
        &state.services.billing,
        &member.actor,
        &body,
        Some(member.caller.user.email.clone()),
        urls,
    )
    .await
    .map_err(fail)?;
    Ok(Json(redirect))
}

async fn portal(State(state): State<AppState>, member: Member) -> Result<Json<RedirectView>, ApiFailure> {
    let back = app::server::billing::billing_url(&state.services);
    let redirect = billing::application::open_portal(&state.services.billing, &member.actor, back)
        .await
        .map_err(fail)?;
    Ok(Json(redirect))
}
