//! `/api/v1/me`: the signed-in user's own profile.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use contracts::auth::{MeView, UpdateMeInput};
use iam::User;
use iam::application::update_profile;

use crate::http::api::fail;
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::session::Caller;
use crate::state::AppState;

/// The `/api/v1/me` routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/me", get(me).patch(update))
}

fn view(user: &User) -> MeView {
    MeView {
        id: user.id.to_string(),
        email: user.email.clone(),
        name: user.name.clone(),
        locale: user.locale,
        avatar_url: None,
        email_verified: user.email_verified_at.is_some(),
    }
}

async fn me(current: Caller) -> Json<MeView> {
    Json(view(&current.user))
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
    Ok(Json(view(&user)))
}
