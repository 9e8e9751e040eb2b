//! `/api/v1/me`: the signed-in user's own profile.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use contracts::auth::{MeView, UpdateMeInput};
use contracts::media::AvatarUploaded;
use iam::application::update_profile;
use iam::{IamCtx, User};

use crate::http::api::fail;
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::session::Caller;
use crate::http::upload::Upload;
use crate::state::AppState;

/// The `/api/v1/me` routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/me", get(me).patch(update))
}

/// The upload routes (mounted with the upload body limit): `POST`/`DELETE /api/v1/me/avatar`.
pub fn upload_routes() -> Router<AppState> {
    Router::new().route("/api/v1/me/avatar", post(upload_avatar).delete(remove_avatar))
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

async fn me(State(state): State<AppState>, current: Caller) -> Json<MeView> {
    Json(view(&state.iam, &current.user))
}

/// `201 {avatarUrl}`; `400` naming `file` when it is not an image, `413` over 5 MiB, `503` with
/// storage off.
async fn upload_avatar(
    State(state): State<AppState>,
    current: Caller,
    Upload(file): Upload,
) -> Result<(StatusCode, Json<AvatarUploaded>), ApiFailure> {
    let user = update_profile::set_avatar(&state.iam, current.user.id, file).await.map_err(fail)?;
    let avatar_url = state.iam.avatar_url(&user).unwrap_or_default();
    Ok((StatusCode::CREATED, Json(AvatarUploaded { avatar_url })))
}

async fn remove_avatar(State(state): State<AppState>, current: Caller) -> Result<StatusCode, ApiFailure> {
    update_profile::remove_avatar(&state.iam, current.user.id).await.map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}

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
