//! `/api/v1/billing/*`: the plans, the active organization's subscription, and the provider's
//! hosted checkout and customer portal (`docs/http-api.md`, Billing). The provider's webhooks
//! come in on the public router ([`crate::http::webhooks`]).

use axum::Json;
use axum::extract::State;
use contracts::ApiErrorBody;
use contracts::billing::{CheckoutBody, PlansView, RedirectView, SubscriptionView};

use crate::http::api::fail;
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::openapi::tags::BILLING;
use crate::http::session::Member;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The billing routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(plans))
        .routes(routes!(subscription))
        .routes(routes!(checkout))
        .routes(routes!(portal))
}

/// The plans are the public price list: no session needed.
#[utoipa::path(
    get,
    path = "/api/v1/billing/plans",
    tag = BILLING,
    responses((status = 200, description = "The plans, their prices and caps (`limit: null` is unlimited)", body = PlansView)),
)]
async fn plans() -> Json<PlansView> {
    Json(billing::application::list_plans())
}

/// The active organization's subscription (`billing:read`): the free plan with no provider
/// when it never subscribed.
#[utoipa::path(
    get,
    path = "/api/v1/billing/subscription",
    tag = BILLING,
    security(("session" = [], "organization" = [])),
    responses((status = 200, description = "The subscription", body = SubscriptionView)),
)]
async fn subscription(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<SubscriptionView>, ApiFailure> {
    let view = billing::application::current_subscription(&state.services.billing, &member.actor)
        .await
        .map_err(fail)?;
    Ok(Json(view))
}

/// Starts the provider's hosted checkout for a plan (`billing:manage`).
#[utoipa::path(
    post,
    path = "/api/v1/billing/checkout",
    tag = BILLING,
    security(("session" = [], "organization" = [])),
    request_body = CheckoutBody,
    responses(
        (status = 200, description = "Where to send the browser", body = RedirectView),
        (status = 400, description = "`validation`: the free plan, or no price in that currency and interval", body = ApiErrorBody),
        (status = 409, description = "`conflict` (`already_subscribed`): change plans in the portal", body = ApiErrorBody),
        (status = 503, description = "`billing_not_configured`: no payment provider; or `unavailable`: the provider did not answer", body = ApiErrorBody),
    ),
)]
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

/// Opens the provider's customer portal (`billing:manage`).
#[utoipa::path(
    post,
    path = "/api/v1/billing/portal",
    tag = BILLING,
    security(("session" = [], "organization" = [])),
    responses(
        (status = 200, description = "Where to send the browser", body = RedirectView),
        (status = 409, description = "`no_billing_account`: the organization never paid through the provider", body = ApiErrorBody),
        (status = 503, description = "`billing_not_configured`: no payment provider; or `unavailable`: the provider did not answer", body = ApiErrorBody),
    ),
)]
async fn portal(State(state): State<AppState>, member: Member) -> Result<Json<RedirectView>, ApiFailure> {
    let back = app::server::billing::billing_url(&state.services);
    let redirect = billing::application::open_portal(&state.services.billing, &member.actor, back)
        .await
        .map_err(fail)?;
    Ok(Json(redirect))
}
