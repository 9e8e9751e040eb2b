//! `/api/v1/me`: the signed-in user's own profile.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use contracts::ApiErrorBody;
use contracts::auth::{MeView, UpdateMeInput};
use contracts::media::AvatarUploaded;
use iam::application::update_profile;
use iam::{IamCtx, User};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::api::fail;
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::openapi::tags::ME;
use crate::http::session::Caller;
use crate::http::upload::{Upload, UploadForm};
use crate::state::AppState;

/// The `/api/v1/me` routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me, update))
}

/// The upload routes (mounted with the upload body limit): `POST`/`DELETE /api/v1/me/avatar`.
pub fn upload_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(upload_avatar, remove_avatar))
}

fn view(iam: &IamCtx, user: &User) -> MeView {
    MeView {
        id: user.id.to_string(),
        email: user.email.clone(),
        name: user.name.clone(),
        locale: user.locale,
        avatar_url: iam.avatar_url(user),
        email_verified: user.email_verified_at.is_some(),
    }
}

/// The signed-in user's profile.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = ME,
    security(("session" = [])),
    responses((status = 200, description = "The profile", body = MeView)),
)]
async fn me(State(state): State<AppState>, current: Caller) -> Json<MeView> {
    Json(view(&state.iam, &current.user))
}

/// `201 {avatarUrl}`; `400` naming `file` when it is not an image, `413` over 5 MiB, `503` with
/// storage off.
#[utoipa::path(
    post,
    path = "/api/v1/me/avatar",
    tag = ME,
    security(("session" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The new avatar (PNG, JPEG or WebP, re-encoded)", body = AvatarUploaded),
        (status = 503, description = "`unavailable`: storage is off (`STORAGE_PROVIDER=null`)", body = ApiErrorBody),
    ),
)]
async fn upload_avatar(
    State(state): State<AppState>,
    current: Caller,
    Upload(file): Upload,
) -> Result<(StatusCode, Json<AvatarUploaded>), ApiFailure> {
    let user = update_profile::set_avatar(&state.iam, current.user.id, file).await.map_err(fail)?;
    let avatar_url = state.iam.avatar_url(&user).unwrap_or_default();
    Ok((StatusCode::CREATED, Json(AvatarUploaded { avatar_url })))
}

/// Removes the avatar (the initial shows again) and deletes its file.
#[utoipa::path(
    delete,
    path = "/api/v1/me/avatar",
    tag = ME,
    security(("session" = [])),
    responses((status = 204, description = "Removed (also when there was none)")),
)]
async fn remove_avatar(State(state): State<AppState>, current: Caller) -> Result<StatusCode, ApiFailure> {
    update_profile::remove_avatar(&state.iam, current.user.id).await.map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Changes the name or the interface language.
#[utoipa::path(
    patch,
    path = "/api/v1/me",
    tag = ME,
    security(("session" = [])),
    request_body = UpdateMeInput,
    responses((status = 200, description = "The profile", body = MeView)),
)]
async fn update(
    State(state): State<AppState>,
    current: Caller,
    ApiJson(input): ApiJson<UpdateMeInput>,
) -> Result<Json<MeView>, ApiFailure> {
    let user =
        update_profile::update_profile(&state.iam, current.user.id, input.name.as_deref(), input.locale)
            .await
            .map_err(fail)?;
    Ok(Json(view(&state.iam, &user)))
}
