//! The console's dead letters: jobs and outbox events that failed their last attempt — see why,
//! put them back (`platform::application::console`, which the console's server functions call
//! too).

use app::server::admin::id_of;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use contracts::ApiErrorBody;
use contracts::platform::{DeadEventView, DeadJobView};
use platform::application::console;

use crate::http::error::ApiFailure;
use crate::http::openapi::tags::PLATFORM;
use crate::http::session::Admin;
use crate::state::AppState;

/// `GET jobs/dead`: the most recently failed first.
#[utoipa::path(
    get,
    path = "/api/v1/platform/jobs/dead",
    tag = PLATFORM,
    security(("session" = [])),
    responses((status = 200, description = "The 200 most recently failed jobs", body = Vec<DeadJobView>)),
)]
pub async fn dead(State(state): State<AppState>, at: Admin) -> Result<Json<Vec<DeadJobView>>, ApiFailure> {
    Ok(Json(console::dead_jobs(&state.services.console, &at.admin).await?))
}

/// `POST jobs/{id}/retry`: queued again with fresh attempts (204; 404 when no dead job has the id).
#[utoipa::path(
    post,
    path = "/api/v1/platform/jobs/{id}/retry",
    tag = PLATFORM,
    security(("session" = [])),
    params(("id" = String, Path, description = "The id (a UUID; anything else names nothing: 404)")),
    responses((status = 204, description = "Queued again with fresh attempts"), (status = 404, description = "`not_found`: no dead job has this id (or not a platform admin)", body = ApiErrorBody)),
)]
pub async fn retry(
    State(state): State<AppState>,
    at: Admin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    console::retry_job(&state.services.console, &at.admin, id_of(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET events/dead`: the most recently failed first, of every producer.
#[utoipa::path(
    get,
    path = "/api/v1/platform/events/dead",
    tag = PLATFORM,
    security(("session" = [])),
    responses((status = 200, description = "The 200 most recently failed events", body = Vec<DeadEventView>)),
)]
pub async fn dead_events(
    State(state): State<AppState>,
    at: Admin,
) -> Result<Json<Vec<DeadEventView>>, ApiFailure> {
    Ok(Json(console::dead_events(&state.services.console, &at.admin).await?))
}

/// `POST events/{id}/replay`: due again at once with fresh attempts, for the subscribers still
/// missing it (204; 404 when no dead event has the id).
#[utoipa::path(
    post,
    path = "/api/v1/platform/events/{id}/replay",
    tag = PLATFORM,
    security(("session" = [])),
    params(("id" = String, Path, description = "The id (a UUID; anything else names nothing: 404)")),
    responses((status = 204, description = "Due again, for the subscribers still missing it"), (status = 404, description = "`not_found`: no dead event has this id (or not a platform admin)", body = ApiErrorBody)),
)]
pub async fn replay_event(
    State(state): State<AppState>,
    at: Admin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    console::replay_event(&state.services.console, &at.admin, id_of(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
