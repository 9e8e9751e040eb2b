//! `POST /api/v1/setup/platform-admin`: the first-run bootstrap. While the platform has no admin
//! (nobody granted, no `PLATFORM_ADMIN_EMAILS`), the server prints a one-time setup token in its
//! log at start-up; the signed-in user who presents it becomes the first admin. Afterwards the
//! route answers 404.

use axum::extract::State;
use axum::http::StatusCode;
use contracts::ApiErrorBody;
use contracts::platform::ClaimSetupInput;

use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::openapi::tags::PLATFORM;
use crate::http::session::Caller;
use crate::state::AppState;

/// The path.
pub const PATH: &str = "/api/v1/setup/platform-admin";

/// Claims the setup token: 204, then the caller is a platform admin.
#[utoipa::path(
    post,
    path = "/api/v1/setup/platform-admin",
    tag = PLATFORM,
    security(("session" = [])),
    request_body = ClaimSetupInput,
    responses(
        (status = 204, description = "The caller is the first platform admin"),
        (status = 400, description = "`validation` naming `token`: not the token this server printed", body = ApiErrorBody),
        (status = 404, description = "`not_found`: setup is over (an admin exists)", body = ApiErrorBody),
    ),
)]
pub async fn claim(
    State(state): State<AppState>,
    current: Caller,
    ApiJson(input): ApiJson<ClaimSetupInput>,
) -> Result<StatusCode, ApiFailure> {
    app::server::admin::claim_setup(&state.services, &current.user, &input.token).await?;
    Ok(StatusCode::NO_CONTENT)
}
