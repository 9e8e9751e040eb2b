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
use axum::routing::{get, post, put};
use axum::{Form, Json, Router};
use contracts::Problem;
use contracts::notifications::{
    MarkedReadView, NotificationKind, NotificationsPage, PreferenceInput, PreferenceView, UnreadCountView,
};
use kernel::DomainError;
use kernel::pagination::PageRequest;
use notifications::application as use_cases;
use notifications::{NotificationId, NotificationsError, UNSUBSCRIBE_PATH};
use serde::Deserialize;

use crate::http::api::{fail, request_locale};
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::session::Caller;
use crate::state::AppState;

/// The signed-in user's routes (behind the session layers).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/notifications", get(list))
        .route("/api/v1/notifications/unread-count", get(unread_count))
        .route("/api/v1/notifications/read-all", post(read_all))
        .route("/api/v1/notifications/preferences", get(preferences))
        .route("/api/v1/notifications/preferences/{kind}", put(set_preference))
        .route("/api/v1/notifications/{id}/read", post(read))
        // The HTTP contract's first form.
        .route("/api/v1/me/notifications", get(list))
        .route("/api/v1/me/notifications/read-all", post(read_all_no_content))
}

/// `?unread=&cursor=&limit=` as given.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    unread: Option<String>,
    cursor: Option<String>,
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

async fn unread_count(
    State(state): State<AppState>,
    current: Caller,
) -> Result<Json<UnreadCountView>, ApiFailure> {
    let unread = use_cases::unread_count(&state.notifications, current.user.id).await.map_err(fail)?;
    Ok(Json(UnreadCountView { unread }))
}

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

async fn read_all(
    State(state): State<AppState>,
    current: Caller,
) -> Result<Json<MarkedReadView>, ApiFailure> {
    let marked = use_cases::mark_all_read(&state.notifications, current.user.id).await.map_err(fail)?;
    Ok(Json(MarkedReadView { marked: u64::try_from(marked).unwrap_or(u64::MAX) }))
}

async fn read_all_no_content(
    State(state): State<AppState>,
    current: Caller,
) -> Result<StatusCode, ApiFailure> {
    use_cases::mark_all_read(&state.notifications, current.user.id).await.map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn preferences(
    State(state): State<AppState>,
    current: Caller,
) -> Result<Json<Vec<PreferenceView>>, ApiFailure> {
    let found = use_cases::preferences(&state.notifications, current.user.id).await.map_err(fail)?;
    Ok(Json(found))
}

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
