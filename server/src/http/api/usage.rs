//! `/api/v1/usage`: the active organization's usage of each meter under its plan.

use axum::Json;
use axum::extract::State;
use contracts::usage::UsageView;

use crate::http::api::fail;
use crate::http::error::ApiFailure;
use crate::http::openapi::tags::USAGE;
use crate::http::session::Member;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The usage routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(overview))
}

/// The active organization's usage of each meter under its plan (`billing:read`).
#[utoipa::path(
    get,
    operation_id = "usage_overview",
    path = "/api/v1/usage",
    tag = USAGE,
    security(("session" = [], "organization" = [])),
    responses((status = 200, description = "The usage", body = UsageView)),
)]
async fn overview(State(state): State<AppState>, member: Member) -> Result<Json<UsageView>, ApiFailure> {
    let view = usage::usage_overview(&state.usage, &member.actor).await.map_err(fail)?;
    Ok(Json(view))
}
