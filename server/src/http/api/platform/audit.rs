//! `GET /api/v1/platform/audit`: the audit log, newest first, filtered and paginated
//! (`platform::application::console::audit_log`, which the console's server functions call too).

use axum::Json;
use axum::extract::{RawQuery, State};
use contracts::ApiErrorBody;
use contracts::audit::AuditEntryView;
use contracts::links::Page;
use platform::application::console;

use crate::http::error::ApiFailure;
use crate::http::openapi::tags::PLATFORM;
use crate::http::session::Admin;
use crate::state::AppState;

/// `?actor=&action=&organization=&from=&to=&cursor=&limit=`: `actor` and `organization` are
/// UUIDs (`actor` also matches the admin behind an impersonation), `action` an event type or a
/// family (`membership.*`), `from`/`to` RFC 3339 times or dates. A bad value or an unknown field
/// is a `400` naming it.
#[utoipa::path(
    get,
    operation_id = "list_audit_log",
    path = "/api/v1/platform/audit",
    tag = PLATFORM,
    security(("session" = [])),
    params(
        ("actor" = Option<String>, Query, description = "A user id: entries where that user acted or impersonated the one who did"),
        ("action" = Option<String>, Query, description = "An event type (`membership.role_changed`) or a family (`membership.*`)"),
        ("organization" = Option<String>, Query, description = "An organization id"),
        ("from" = Option<String>, Query, description = "RFC 3339 time or date, inclusive"),
        ("to" = Option<String>, Query, description = "RFC 3339 time or date, exclusive (a date covers that whole day)"),
        ("cursor" = Option<String>, Query, description = "The `nextCursor` of the previous page"),
        ("limit" = Option<String>, Query, description = "1-100 (default 20)"),
    ),
    responses((status = 200, description = "A page of the audit log, newest first", body = Page<AuditEntryView>), (status = 400, description = "`validation` naming the bad, unknown or repeated parameter", body = ApiErrorBody)),
)]
pub async fn list(
    at: Admin,
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<Page<AuditEntryView>>, ApiFailure> {
    let pairs = url::form_urlencoded::parse(query.as_deref().unwrap_or_default().as_bytes());
    Ok(Json(console::audit_log(&state.services.console, &at.admin, pairs).await?))
}
