//! `/api/v1/platform/feature-flags`: list the flags, read and write one
//! (`platform::application::console`, which the console's server functions call too).

use axum::Json;
use axum::extract::{Path, State};
use contracts::flags::{Flag, FlagList, FlagView, PutFlagInput};
use platform::application::console;

use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::session::Admin;
use crate::state::AppState;

/// `GET feature-flags`: every flag the code knows, and this server's environment.
pub async fn list(at: Admin, State(state): State<AppState>) -> Result<Json<FlagList>, ApiFailure> {
    Ok(Json(console::flags(&state.services.console, &at.admin).await?))
}

/// `GET feature-flags/{key}`: one flag (404 for a key the code does not know).
pub async fn get(
    at: Admin,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<FlagView>, ApiFailure> {
    Ok(Json(console::flag(&state.services.console, &at.admin, &key).await?))
}

/// `PUT feature-flags/{key}`: replaces the flag's setting. An unknown key is `404` whatever the
/// body; then the body must be a valid `PutFlagInput` (`400` naming the field).
pub async fn put(
    at: Admin,
    State(state): State<AppState>,
    Path(key): Path<String>,
    body: Result<ApiJson<PutFlagInput>, ApiFailure>,
) -> Result<Json<FlagView>, ApiFailure> {
    if Flag::from_key(&key).is_none() {
        return Err(kernel::DomainError::NotFound.into());
    }
    let ApiJson(input) = body?;
    Ok(Json(console::put_flag(&state.services.console, &at.admin, &key, input).await?))
}
