//! `/api/v1/notifications`: the signed-in user's in-app notifications and email preferences.
//! Notifications belong to the user across organizations, so these routes take the [`Caller`],
//! not a member of the active organization. `GET /api/v1/me/notifications` and
//! `POST /api/v1/me/notifications/read-all` (`204`) are the older form the HTTP contract names,
//! kept working.
//!
//! The unsubscribe page of the emails ([`notifications::UNSUBSCRIBE_PATH`]) is served by
//! [`unsubscribe_routes`], on the public router: the link works without a session.

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use contracts::notifications::{
    MarkedReadView, NotificationKind, NotificationsPage, PreferenceInput, PreferenceView, UnreadCountView,
};
use contracts::{ApiErrorBody, Problem};
use kernel::DomainError;
use kernel::pagination::PageRequest;
use notifications::application as use_cases;
use notifications::{NotificationId, NotificationsError, UNSUBSCRIBE_PATH};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::api::{fail, request_locale};
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::openapi::tags::NOTIFICATIONS;
use crate::http::session::Caller;
use crate::state::AppState;

/// The signed-in user's routes (behind the session layers).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(unread_count))
        .routes(routes!(read_all))
        .routes(routes!(preferences))
        .routes(routes!(set_preference))
        .routes(routes!(read))
        // The HTTP contract's first form.
        .routes(routes!(list_mine))
        .routes(routes!(read_all_no_content))
}

/// `?unread=&cursor=&limit=` as given.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `true`/`1`: only unread ones; `false`/`0`/empty: all.
    unread: Option<String>,
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
    /// 1-100 (default 20).
    limit: Option<String>,
}

/// `unread`: `true`/`1` lists only unread notifications; empty, `false` or `0` lists all.
fn unread_only(raw: Option<&str>) -> Result<bool, ApiFailure> {
    match raw.unwrap_or_default() {
        "" | "false" | "0" => Ok(false),
        "true" | "1" => Ok(true),
        _ => Err(fail(DomainError::field(
            "unread",
            Problem::OneOf { choices: vec!["true".to_owned(), "false".to_owned()] },
        ))),
    }
}

/// The signed-in user's notifications, newest first, in their language.
#[utoipa::path(
    get,
    operation_id = "list_notifications",
    path = "/api/v1/notifications",
    tag = NOTIFICATIONS,
    security(("session" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "A page of notifications", body = NotificationsPage),
        (status = 400, description = "`validation` naming `unread`, `cursor` or `limit`", body = ApiErrorBody),
    ),
)]
async fn list(
    State(state): State<AppState>,
    current: Caller,
    Query(query): Query<ListQuery>,
) -> Result<Json<NotificationsPage>, ApiFailure> {
    let unread = unread_only(query.unread.as_deref());
    let page = PageRequest::parse(query.cursor.as_deref(), query.limit.as_deref()).map_err(fail);
    let (unread, page) = match (unread, page) {
        (Ok(unread), Ok(page)) => (unread, page),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let user = &current.user;
    let found =
        use_cases::list(&state.notifications, user.id, user.locale, unread, &page).await.map_err(fail)?;
    Ok(Json(found))
}

/// The signed-in user's notifications (the contract's first form of the list).
#[utoipa::path(
    get,
    path = "/api/v1/me/notifications",
    tag = NOTIFICATIONS,
    security(("session" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "A page of notifications", body = NotificationsPage),
        (status = 400, description = "`validation` naming `unread`, `cursor` or `limit`", body = ApiErrorBody),
    ),
)]
async fn list_mine(
    state: State<AppState>,
    current: Caller,
    query: Query<ListQuery>,
) -> Result<Json<NotificationsPage>, ApiFailure> {
    list(state, current, query).await
}

/// How many notifications the user has not read.
#[utoipa::path(
    get,
    path = "/api/v1/notifications/unread-count",
    tag = NOTIFICATIONS,
    security(("session" = [])),
    responses((status = 200, description = "The count", body = UnreadCountView)),
)]
async fn unread_count(
    State(state): State<AppState>,
    current: Caller,
) -> Result<Json<UnreadCountView>, ApiFailure> {
    let unread = use_cases::unread_count(&state.notifications, current.user.id).await.map_err(fail)?;
    Ok(Json(UnreadCountView { unread }))
}

/// Marks one notification read (again: `204`).
#[utoipa::path(
    post,
    path = "/api/v1/notifications/{id}/read",
    tag = NOTIFICATIONS,
    security(("session" = [])),
    params(("id" = String, Path, description = "The notification's id")),
    responses(
        (status = 204, description = "Read"),
        (status = 404, description = "`not_found`: no such notification of the user", body = ApiErrorBody),
    ),
)]
async fn read(
    State(state): State<AppState>,
    current: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    // An id that is not a UUID names nothing.
    let id: NotificationId = id.parse().map_err(|_| fail(NotificationsError::NotFound))?;
    use_cases::mark_read(&state.notifications, current.user.id, id).await.map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks every notification read.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/read-all",
    tag = NOTIFICATIONS,
    security(("session" = [])),
    responses((status = 200, description = "How many were unread", body = MarkedReadView)),
)]
async fn read_all(
    State(state): State<AppState>,
    current: Caller,
) -> Result<Json<MarkedReadView>, ApiFailure> {
    let marked = use_cases::mark_all_read(&state.notifications, current.user.id).await.map_err(fail)?;
    Ok(Json(MarkedReadView { marked: u64::try_from(marked).unwrap_or(u64::MAX) }))
}

/// Marks every notification read (the contract's first form of `read-all`).
#[utoipa::path(
    post,
    path = "/api/v1/me/notifications/read-all",
    tag = NOTIFICATIONS,
    security(("session" = [])),
    responses((status = 204, description = "Read")),
)]
async fn read_all_no_content(
    State(state): State<AppState>,
    current: Caller,
) -> Result<StatusCode, ApiFailure> {
    use_cases::mark_all_read(&state.notifications, current.user.id).await.map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The user's email preferences: one per kind whose emails can be turned off.
#[utoipa::path(
    get,
    path = "/api/v1/notifications/preferences",
    tag = NOTIFICATIONS,
    security(("session" = [])),
    responses((status = 200, description = "The preferences", body = Vec<PreferenceView>)),
)]
async fn preferences(
    State(state): State<AppState>,
    current: Caller,
) -> Result<Json<Vec<PreferenceView>>, ApiFailure> {
    let found = use_cases::preferences(&state.notifications, current.user.id).await.map_err(fail)?;
    Ok(Json(found))
}

/// Turns a kind's emails on or off.
#[utoipa::path(
    put,
    path = "/api/v1/notifications/preferences/{kind}",
    tag = NOTIFICATIONS,
    security(("session" = [])),
    params(("kind" = String, Path, description = "A notification kind (`lead_captured`)")),
    request_body = PreferenceInput,
    responses(
        (status = 200, description = "The preference", body = PreferenceView),
        (status = 400, description = "`validation` naming `kind`: its emails are essential", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such kind", body = ApiErrorBody),
    ),
)]
async fn set_preference(
    State(state): State<AppState>,
    current: Caller,
    Path(kind): Path<String>,
    ApiJson(input): ApiJson<PreferenceInput>,
) -> Result<Json<PreferenceView>, ApiFailure> {
    // A key that names no kind names nothing; a kind whose emails are essential is a 400.
    let kind: NotificationKind = kind.parse().map_err(|_| fail(NotificationsError::NotFound))?;
    let saved = use_cases::set_preference(&state.notifications, current.user.id, kind, input.email)
        .await
        .map_err(fail)?;
    Ok(Json(saved))
}

/// The unsubscribe page (public router: no session, no CSRF check — the token is the authority).
pub fn unsubscribe_routes() -> Router<AppState> {
    Router::new().route(UNSUBSCRIBE_PATH, get(unsubscribe_page).post(unsubscribe))
}

/// `?token=` (and the form's `token` field).
#[derive(Debug, Default, Deserialize)]
pub struct TokenField {
    #[serde(default)]
    token: Option<String>,
}

async fn unsubscribe_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<TokenField>,
) -> Response {
    use app::public::unsubscribe::UnsubscribeStep;
    let locale = request_locale(&headers);
    let token = query.token.unwrap_or_default();
    let step = if token.is_empty() {
        Err(NotificationsError::InvalidToken)
    } else {
        use_cases::unsubscribe_preview(&state.notifications, &token).await.map(|preview| {
            UnsubscribeStep::Confirm { kind: preview.kind, token, action: UNSUBSCRIBE_PATH.to_owned() }
        })
    };
    page(locale, step)
}

/// The confirmation's `POST`: the token comes in the form (or, from a mail client's one-click
/// unsubscribe, in the query).
async fn unsubscribe(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<TokenField>,
    form: Result<Form<TokenField>, FormRejection>,
) -> Response {
    use app::public::unsubscribe::UnsubscribeStep;
    let locale = request_locale(&headers);
    let token =
        form.ok().and_then(|Form(f)| f.token).filter(|t| !t.is_empty()).or(query.token).unwrap_or_default();
    let step = if token.is_empty() {
        Err(NotificationsError::InvalidToken)
    } else {
        use_cases::unsubscribe(&state.notifications, &token)
            .await
            .map(|done| UnsubscribeStep::Done { kind: done.kind })
    };
    page(locale, step)
}

/// The page for `step`: `200`, or `400` with "this link is no longer valid" for a bad token;
/// other failures are the usual error answers.
fn page(
    locale: contracts::Locale,
    step: Result<app::public::unsubscribe::UnsubscribeStep, NotificationsError>,
) -> Response {
    use app::public::unsubscribe::{UnsubscribeStep, render_unsubscribe};
    let (status, step) = match step {
        Ok(step) => (StatusCode::OK, step),
        Err(NotificationsError::InvalidToken) => (StatusCode::BAD_REQUEST, UnsubscribeStep::Invalid),
        Err(other) => return fail(other).into_response(),
    };
    let mut response = (status, render_unsubscribe(locale, step)).into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; \
             frame-ancestors 'none'",
        ),
    );
    response
}
