//! `GET /api/v1/platform/audit`: the audit log, newest first, filtered and paginated
//! (`platform::application::console::audit_log`, which the console's server functions call too).

use axum::Json;
use axum::extract::{RawQuery, State};
use contracts::audit::AuditEntryView;
use contracts::links::Page;
use platform::application::console;

use crate::http::error::ApiFailure;
use crate::http::session::Admin;
use crate::state::AppState;

/// `?actor=&action=&organization=&from=&to=&cursor=&limit=`: `actor` and `organization` are
/// UUIDs (`actor` also matches the admin behind an impersonation), `action` an event type or a
/// family (`membership.*`), `from`/`to` RFC 3339 times or dates. A bad value or an unknown field
/// is a `400` naming it.
pub async fn list(
    at: Admin,
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<Page<AuditEntryView>>, ApiFailure> {
    let pairs = url::form_urlencoded::parse(query.as_deref().unwrap_or_default().as_bytes());
    Ok(Json(console::audit_log(&state.services.console, &at.admin, pairs).await?))
}
