//! `/api/v1/platform/feature-flags`: list the flags, read and write one.

use axum::Json;
use axum::extract::{Path, State};
use contracts::flags::{FlagList, FlagView, PutFlagInput};
use feature_flags::FlagsError;
use feature_flags::application::admin;

use crate::http::api::fail;
use crate::http::api::platform::PlatformAdmin;
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::state::AppState;

/// `GET feature-flags`: every flag the code knows, and this server's environment.
pub async fn list(
    _admin: PlatformAdmin,
    State(state): State<AppState>,
) -> Result<Json<FlagList>, ApiFailure> {
    Ok(Json(admin::list_flags(&state.flags).await.map_err(fail)?))
}

/// `GET feature-flags/{key}`: one flag (404 for a key the code does not know).
pub async fn get(
    _admin: PlatformAdmin,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<FlagView>, ApiFailure> {
    Ok(Json(admin::get_flag(&state.flags, &key).await.map_err(fail)?))
}

/// `PUT feature-flags/{key}`: replaces the flag's setting. An unknown key is `404` whatever the
/// body; then the body must be a valid `PutFlagInput` (`400` naming the field).
pub async fn put(
    caller: PlatformAdmin,
    State(state): State<AppState>,
    Path(key): Path<String>,
    body: Result<ApiJson<PutFlagInput>, ApiFailure>,
) -> Result<Json<FlagView>, ApiFailure> {
    if contracts::flags::Flag::from_key(&key).is_none() {
        return Err(fail(FlagsError::NotFound));
    }
    let ApiJson(input) = body?;
    let actor = caller.user.id.into_uuid();
    Ok(Json(admin::put_flag(&state.flags, actor, &key, input).await.map_err(fail)?))
}
