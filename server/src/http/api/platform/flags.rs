//! `/api/v1/platform/feature-flags`: list the flags, read and write one. The work is done by
//! `app::server::admin`, which the console's server functions call too.

use app::server::admin;
use axum::Json;
use axum::extract::{Path, State};
use contracts::flags::{FlagList, FlagView, PutFlagInput};

use crate::http::api::platform::PlatformAdmin;
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::state::AppState;

/// `GET feature-flags`: every flag the code knows, and this server's environment.
pub async fn list(
    _admin: PlatformAdmin,
    State(state): State<AppState>,
) -> Result<Json<FlagList>, ApiFailure> {
    Ok(Json(admin::flags(&state.services).await?))
}

/// `GET feature-flags/{key}`: one flag (404 for a key the code does not know).
pub async fn get(
    _admin: PlatformAdmin,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<FlagView>, ApiFailure> {
    Ok(Json(admin::flag(&state.services, &key).await?))
}

/// `PUT feature-flags/{key}`: replaces the flag's setting. An unknown key is `404` whatever the
/// body; then the body must be a valid `PutFlagInput` (`400` naming the field).
pub async fn put(
    caller: PlatformAdmin,
    State(state): State<AppState>,
    Path(key): Path<String>,
    body: Result<ApiJson<PutFlagInput>, ApiFailure>,
) -> Result<Json<FlagView>, ApiFailure> {
    admin::flag_of(&key)?;
    let ApiJson(input) = body?;
    Ok(Json(admin::put_flag(&state.services, &caller.user, &key, input).await?))
}
