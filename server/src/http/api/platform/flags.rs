//! `/api/v1/platform/feature-flags`: list the flags, read and write one
//! (`platform::application::console`, which the console's server functions call too).

use axum::Json;
use axum::extract::{Path, State};
use contracts::ApiErrorBody;
use contracts::flags::{Flag, FlagList, FlagView, PutFlagInput};
use platform::application::console;

use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::openapi::tags::PLATFORM;
use crate::http::session::Admin;
use crate::state::AppState;

/// `GET feature-flags`: every flag the code knows, and this server's environment.
#[utoipa::path(
    get,
    operation_id = "list_feature_flags",
    path = "/api/v1/platform/feature-flags",
    tag = PLATFORM,
    security(("session" = [])),
    responses((status = 200, description = "Every flag and this server's environment", body = FlagList)),
)]
pub async fn list(at: Admin, State(state): State<AppState>) -> Result<Json<FlagList>, ApiFailure> {
    Ok(Json(console::flags(&state.services.console, &at.admin).await?))
}

/// `GET feature-flags/{key}`: one flag (404 for a key the code does not know).
#[utoipa::path(
    get,
    operation_id = "get_feature_flag",
    path = "/api/v1/platform/feature-flags/{key}",
    tag = PLATFORM,
    security(("session" = [])),
    params(("key" = String, Path, description = "A flag's key (`lead-csv-export`)")),
    responses((status = 200, description = "The flag", body = FlagView), (status = 404, description = "`not_found`: no flag has this key (or not a platform admin)", body = ApiErrorBody)),
)]
pub async fn get(
    at: Admin,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<FlagView>, ApiFailure> {
    Ok(Json(console::flag(&state.services.console, &at.admin, &key).await?))
}

/// `PUT feature-flags/{key}`: replaces the flag's setting. An unknown key is `404` whatever the
/// body; then the body must be a valid `PutFlagInput` (`400` naming the field).
#[utoipa::path(
    put,
    operation_id = "put_feature_flag",
    path = "/api/v1/platform/feature-flags/{key}",
    tag = PLATFORM,
    security(("session" = [])),
    params(("key" = String, Path, description = "A flag's key (`lead-csv-export`)")),
    request_body = PutFlagInput,
    responses((status = 200, description = "The flag", body = FlagView), (status = 404, description = "`not_found`: no flag has this key, whatever the body (or not a platform admin)", body = ApiErrorBody)),
)]
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
