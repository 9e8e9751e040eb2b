//! The console's dead jobs: see why they failed, put them back in the queue. The work is done by
//! `app::server::admin`, which the console's server functions call too.

use app::server::admin;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use contracts::platform::DeadJobView;

use super::PlatformAdmin;
use crate::http::error::ApiFailure;
use crate::state::AppState;

/// `GET jobs/dead`: the most recently failed first.
pub async fn dead(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
) -> Result<Json<Vec<DeadJobView>>, ApiFailure> {
    Ok(Json(admin::dead_jobs(&state.services).await?))
}

/// `POST jobs/{id}/retry`: queued again with fresh attempts (204; 404 when no dead job has the id).
pub async fn retry(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    admin::retry_job(&state.services, &admin.user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
