//! `/api/v1/usage`: the active organization's usage of each meter under its plan.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use contracts::usage::UsageView;

use crate::http::api::fail;
use crate::http::error::ApiFailure;
use crate::http::session::Member;
use crate::state::AppState;

/// The usage routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/usage", get(overview))
}

async fn overview(State(state): State<AppState>, member: Member) -> Result<Json<UsageView>, ApiFailure> {
    let view = usage::usage_overview(&state.usage, &member.actor).await.map_err(fail)?;
    Ok(Json(view))
}
