//! The console's dead jobs: see why they failed, put them back in the queue.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use contracts::platform::DeadJobView;

use super::{PlatformAdmin, uuid_of};
use crate::http::error::ApiFailure;
use crate::state::AppState;

/// How many dead jobs the console lists.
const SHOWN: i64 = 200;

fn database(err: impl Into<kernel::DomainError>) -> ApiFailure {
    ApiFailure::from(err.into())
}

/// `GET jobs/dead`: the most recently failed first.
pub async fn dead(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
) -> Result<Json<Vec<DeadJobView>>, ApiFailure> {
    let mut conn = state.db.get().await.map_err(database)?;
    let jobs = kernel::jobs::dead_jobs(&mut conn, SHOWN).await.map_err(database)?;
    Ok(Json(
        jobs.into_iter()
            .map(|j| DeadJobView {
                id: j.id.to_string(),
                name: j.name,
                attempts: j.attempts,
                last_error: j.last_error,
                payload: j.payload,
                created_at: j.created_at.to_rfc3339(),
                failed_at: j.failed_at.to_rfc3339(),
            })
            .collect(),
    ))
}

/// `POST jobs/{id}/retry`: queued again with fresh attempts (204; 404 when no dead job has the id).
pub async fn retry(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    let id = uuid_of(&id)?;
    let mut conn = state.db.get().await.map_err(database)?;
    if !kernel::jobs::retry_dead(&mut conn, id, state.links.clock.now()).await.map_err(database)? {
        return Err(ApiFailure::new(contracts::ErrorCode::NotFound, "No dead job has this id."));
    }
    tracing::info!(job = %id, admin = %admin.user.id, "dead job queued again");
    Ok(StatusCode::NO_CONTENT)
}
