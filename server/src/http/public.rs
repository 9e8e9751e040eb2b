//! The public surface (no session): the profile page `/{slug}` rendered on the server without
//! WASM, its no-JavaScript lead form, and `/api/v1/public/*` (the page as JSON, lead capture).

use analytics::ingest::{Beacon, Hit};
use app::public::LeadFormError;
use app::public::document::{
    ProfileRender, is_in_app_browser, profile_script_csp_hash, render_not_found, render_profile,
};
use app::public::lead_form::default_thanks;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION,
    REFERER, USER_AGENT, VARY,
};
use axum::http::header::{ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use cards::{Card, CardKey, CardKind, Served};
use contracts::links::{CaptureLeadInput, LeadCaptured, PublicPageView};
use contracts::{ApiErrorBody, Locale};
use links::LinksError;
use links::application::leads::{self, Captured, Submission};
use links::application::public::{self, CacheStatus};
use serde::Deserialize;
use tower::ServiceExt as _;
use tower_http::services::ServeDir;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::api::{fail, request_locale};
use crate::http::client_ip::ClientIp;
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::openapi::tags::PUBLIC;
use crate::http::rate_limit::Bucket;
use crate::http::rendered::{Encoding, Rendered, RenderedPages};
use crate::state::AppState;

/// How long shared caches may keep a card: an hour, then revalidate in the background for a day
/// (a page edit changes the card's ETag, so the next revalidation fetches the new card).
const CARD_CACHE: &str = "public, max-age=3600, stale-while-revalidate=86400";

/// `X-Cache: HIT|MISS`: whether the page came from the in-process cache.
pub static X_CACHE: HeaderName = HeaderName::from_static("x-cache");
/// How long shared caches may keep a public page (the contract's value).
const PUBLIC_CACHE: &str = "public, max-age=60, stale-while-revalidate=300";

/// The public routes.
pub fn routes() -> Router<AppState> {
    Router::from(api_routes())
        .route("/static/templates/{file}", get(template_thumbnail))
        .route("/static/{file}", get(profile_stylesheet))
        .route("/{slug}", get(profile))
        .route("/{slug}/leads", post(lead_form))
        .route("/opengraph-image", get(site_card))
        .route("/{slug}/opengraph-image", get(page_card))
}

/// The public REST routes, `/api/v1/public/*` (in the OpenAPI document).
pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(page_json))
        .routes(routes!(lead_json))
        .routes(routes!(view_beacon))
        .routes(routes!(click_beacon))
}

fn cache_header(status: CacheStatus) -> HeaderValue {
    HeaderValue::from_static(match status {
        CacheStatus::Hit => "HIT",
        CacheStatus::Miss => "MISS",
    })
}

async fn template_thumbnail(Path(file): Path<String>) -> Result<Response, ApiFailure> {
    let svg = links::application::templates::thumbnail(&file).ok_or_else(|| fail(LinksError::NotFound))?;
    let headers = [
        (CONTENT_TYPE, HeaderValue::from_static("image/svg+xml")),
        (CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
    ];
    Ok((headers, svg).into_response())
}

/// The public page's stylesheet as a file, for the editor's preview (the public page inlines it).
/// Its name carries its fingerprint, so it is cached for good; any other name is a 404.
async fn profile_stylesheet(Path(file): Path<String>) -> Response {
    if file != app::public::public_css_file() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let headers = [
        (CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
        (CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
    ];
    (headers, app::public::PUBLIC_CSS).into_response()
}

/// `204` at once, whatever the body: the hit is read here and written later by the ingest
/// writer; what cannot be read is logged and dropped.
fn beacon(
    state: &AppState,
    ip: ClientIp,
    headers: &HeaderMap,
    beacon: Option<Beacon>,
    body: &[u8],
) -> StatusCode {
    let Some(beacon) = beacon else {
        tracing::warn!(bytes = body.len(), "unreadable analytics beacon dropped");
        return StatusCode::NO_CONTENT;
    };
    let header = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(ToOwned::to_owned);
    state.analytics.offer(Hit {
        beacon,
        ip: ip.0,
        user_agent: header(USER_AGENT).unwrap_or_default(),
        page_url: header(REFERER),
        at: state.links.clock.now(),
    });
    StatusCode::NO_CONTENT
}

/// What a view beacon says, for the OpenAPI document (read by `analytics::ingest::Beacon`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
#[schema(rename_all = "camelCase")]
struct ViewBeaconBody {
    /// The page's slug.
    slug: String,
    /// The page's `document.referrer`.
    referrer: Option<String>,
}

/// What a click beacon says, for the OpenAPI document (read by `analytics::ingest::Beacon`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
#[schema(rename_all = "camelCase")]
struct ClickBeaconBody {
    /// The clicked block's id.
    block_id: String,
    /// The page's slug.
    slug: Option<String>,
}

/// A page view, counted after the answer (`204` whatever the body and its `Content-Type`).
#[utoipa::path(
    post,
    path = "/api/v1/public/analytics/view",
    tag = PUBLIC,
    request_body(content = Option<ViewBeaconBody>, content_type = "application/json"),
    responses((status = 204, description = "Taken (what cannot be read is dropped)")),
)]
async fn view_beacon(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    beacon(&state, ip, &headers, Beacon::view(&body), &body)
}

/// A block click, counted after the answer (`204` whatever the body and its `Content-Type`).
#[utoipa::path(
    post,
    path = "/api/v1/public/analytics/click",
    tag = PUBLIC,
    request_body(content = Option<ClickBeaconBody>, content_type = "application/json"),
    responses((status = 204, description = "Taken (what cannot be read is dropped)")),
)]
async fn click_beacon(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    beacon(&state, ip, &headers, Beacon::click(&body), &body)
}

/// A published page as JSON: the page and its visible blocks in position order.
#[utoipa::path(
    get,
    path = "/api/v1/public/pages/by-slug/{slug}",
    tag = PUBLIC,
    params(("slug" = String, Path, description = "The page's slug")),
    responses(
        (status = 200, description = "The page", body = PublicPageView, headers(
            ("X-Cache" = String, description = "`HIT` or `MISS`: whether the page came from the in-process cache"),
            ("Cache-Control" = String, description = "`public, max-age=60, stale-while-revalidate=300`"),
        )),
        (status = 404, description = "`not_found`: an unknown, unpublished or reserved slug", body = ApiErrorBody),
        (status = 503, description = "`unavailable`: the database is unavailable", body = ApiErrorBody),
    ),
)]
async fn page_json(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, ApiFailure> {
    let (page, status) = public::page_by_slug(&state.links, &slug)
        .await
        .map_err(fail)?
        .ok_or_else(|| fail(LinksError::NotFound))?;
    let view: PublicPageView = page.view_at(state.links.clock.now());
    let headers =
        [(X_CACHE.clone(), cache_header(status)), (CACHE_CONTROL, HeaderValue::from_static(PUBLIC_CACHE))];
    Ok((headers, Json(view)).into_response())
}

/// Captures a lead from a published page's lead form (rate limited per IP).
#[utoipa::path(
    post,
    path = "/api/v1/public/leads",
    tag = PUBLIC,
    request_body = CaptureLeadInput,
    responses(
        (status = 201, description = "Captured (also when the honeypot `website` is filled in: then nothing is stored)", body = LeadCaptured),
        (status = 200, description = "A repeat: this page has this email already", body = LeadCaptured),
        (status = 404, description = "`not_found`: an unknown or disabled block, or an unpublished page", body = ApiErrorBody),
        (status = 429, description = "`rate_limited` (see `Retry-After`)", body = ApiErrorBody),
        (status = 503, description = "`unavailable`: the rate limiter or the database is unavailable", body = ApiErrorBody),
    ),
)]
async fn lead_json(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    ApiJson(input): ApiJson<CaptureLeadInput>,
) -> Result<Response, Response> {
    let limits = state
        .limiter
        .check(Bucket::LeadsIp, &ip.rate_limit_key())
        .await
        .map_err(IntoResponse::into_response)?;
    let submission = Submission {
        block_id: input.block_id,
        email: input.email,
        name: input.name,
        consent: input.consent,
        website: input.website,
    };
    let captured =
        leads::capture(&state.links, submission, None).await.map_err(|e| fail(e).into_response())?;
    let status = if captured.created { StatusCode::CREATED } else { StatusCode::OK };
    let message = captured.message.unwrap_or_else(|| default_thanks(request_locale(&headers)).to_owned());
    Ok((status, limits, Json(LeadCaptured { message })).into_response())
}

/// The query of a profile page after a no-JavaScript lead post.
#[derive(Debug, Default, Deserialize)]
pub struct ProfileQuery {
    subscribed: Option<String>,
    block: Option<String>,
    lead_error: Option<String>,
}

async fn profile(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ProfileQuery>,
    request: Request,
) -> Response {
    // Files at the site root (`/favicon.svg`, `/robots.txt`) share this one-segment shape; a slug
    // never has a dot.
    if slug.contains('.') {
        let root = std::path::PathBuf::from(state.leptos.site_root.as_ref());
        return match ServeDir::new(root).oneshot(request).await {
            Ok(response) => response.into_response(),
            Err(never) => match never {},
        };
    }
    let headers = request.headers();
    let locale = request_locale(headers);
    // Slugs are lowercase; an address typed with capitals goes to the real one.
    let lower = slug.to_ascii_lowercase();
    if lower != slug && contracts::slug::Slug::parse(&lower).is_ok() {
        return (StatusCode::MOVED_PERMANENTLY, [(LOCATION, format!("/{lower}"))]).into_response();
    }
    let found = match public::page_by_slug(&state.links, &slug).await {
        Ok(found) => found,
        Err(e) => return fail(e).into_response(),
    };
    let Some((page, status)) = found else {
        return html(StatusCode::NOT_FOUND, render_not_found(locale, &state.config.public_origin()), None);
    };
    let now = state.links.clock.now();
    // The hint is a flag the platform can turn off per organization (or for everyone).
    let in_app_browser = headers.get(USER_AGENT).and_then(|v| v.to_str().ok()).is_some_and(is_in_app_browser)
        && state.flags.is_enabled(
            feature_flags::Flag::InAppBrowserHint,
            &feature_flags::Subject::organization(page.organization_id),
        );
    let after_lead_post = query.subscribed.is_some() || query.block.is_some() || query.lead_error.is_some();
    if !after_lead_post {
        // The page as every visitor sees it: rendered once, then sent as it is.
        let key = RenderedPages::key(&page, now, locale, in_app_browser);
        let rendered = if let Some(rendered) = state.public_html.get(&key) {
            rendered
        } else {
            let public_url = state.config.public_origin();
            let opts = ProfileRender { locale, public_url, in_app_browser, ..ProfileRender::default() };
            let rendered = Arc::new(Rendered::new(render_profile(&page.view_at(now), &opts)));
            state.public_html.put(key, rendered.clone());
            rendered
        };
        return rendered_profile(&rendered, headers, status);
    }
    let view = page.view_at(now);
    let block = query.block.filter(|b| view.blocks.iter().any(|v| &v.id == b));
    let lead_error = query.lead_error.as_deref().zip(block.clone()).map(|(field, block_id)| LeadFormError {
        block_id,
        field: field.to_owned(),
        message: lead_error_message(field, locale).to_owned(),
    });
    let opts = ProfileRender {
        locale,
        public_url: state.config.public_origin(),
        subscribed: query.subscribed.as_deref() == Some("1"),
        subscribed_block: if lead_error.is_none() { block } else { None },
        lead_error,
        in_app_browser,
    };
    let mut response = html(StatusCode::OK, render_profile(&view, &opts), Some(status));
    let h = response.headers_mut();
    h.insert(CACHE_CONTROL, HeaderValue::from_static(PUBLIC_CACHE));
    h.insert(VARY, HeaderValue::from_static(PROFILE_VARY));
    response
}

/// What a public page's body depends on besides its address: the hint depends on the browser,
/// the texts on the visitor's language, the bytes on the accepted encodings.
const PROFILE_VARY: &str = "Accept-Encoding, Accept-Language, Cookie, User-Agent";

/// Room for every header a public response ends up with (these, the edge's security headers and
/// request id), so none of them grows the map.
const RESPONSE_HEADERS: usize = 16;

/// The profile page from its ready render: `304` when the visitor holds it, else the body in the
/// best encoding the visitor accepts (marked, so the compression layer leaves it alone).
fn rendered_profile(rendered: &Rendered, headers: &HeaderMap, status: CacheStatus) -> Response {
    let not_modified = rendered.etag.to_str().is_ok_and(|etag| if_none_match(headers, etag));
    let encoding = Encoding::negotiate(headers.get(ACCEPT_ENCODING).and_then(|v| v.to_str().ok()));
    let mut response = if not_modified {
        let mut response = Response::default();
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        response
    } else {
        Response::new(Body::from(rendered.body(encoding)))
    };
    let h = response.headers_mut();
    h.reserve(RESPONSE_HEADERS);
    h.insert(ETAG, rendered.etag.clone());
    h.insert(CACHE_CONTROL, HeaderValue::from_static(PUBLIC_CACHE));
    h.insert(VARY, HeaderValue::from_static(PROFILE_VARY));
    h.insert(X_CACHE.clone(), cache_header(status));
    // On a 304 too: the browser takes the 304's headers for the page it keeps, and the edge's
    // default policy would block the page's inline script.
    h.insert(CONTENT_SECURITY_POLICY, PUBLIC_CSP.clone());
    if !not_modified {
        if let Some(coding) = encoding.header() {
            h.insert(CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        h.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    }
    response
}

/// The visitor-facing text for a refused no-JavaScript lead post (never echoed from the query).
fn lead_error_message(field: &str, locale: Locale) -> &'static str {
    let (es, en) = match field {
        "email" => ("Escribe un email válido.", "Enter a valid email address."),
        "consent" => ("Acepta el aviso para suscribirte.", "Please accept to subscribe."),
        "name" => ("El nombre es demasiado largo.", "The name is too long."),
        "rate_limited" => (
            "Demasiados intentos. Espera un minuto y vuelve a intentarlo.",
            "Too many attempts. Wait a minute and try again.",
        ),
        _ => (
            "No pudimos guardar tus datos. Inténtalo de nuevo.",
            "We could not save your details. Please try again.",
        ),
    };
    app::i18n::tr(locale, es, en)
}

/// An HTML response with the public page's own CSP: its one inline script by hash, nothing else.
fn html(status: StatusCode, body: String, cache: Option<CacheStatus>) -> Response {
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(CONTENT_SECURITY_POLICY, PUBLIC_CSP.clone());
    if let Some(status) = cache {
        h.insert(X_CACHE.clone(), cache_header(status));
    }
    response
}

/// The public page's policy, built once: the script's hash never changes while the process runs.
static PUBLIC_CSP: std::sync::LazyLock<HeaderValue> = std::sync::LazyLock::new(|| {
    let policy = format!(
        "default-src 'none'; script-src {}; style-src 'unsafe-inline'; img-src 'self' data: https:; \
         connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        profile_script_csp_hash()
    );
    HeaderValue::from_str(&policy).expect("the policy is ASCII")
});

/// The fields of the no-JavaScript lead form.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadForm {
    #[serde(default)]
    block_id: String,
    #[serde(default)]
    email: String,
    name: Option<String>,
    consent: Option<String>,
    website: Option<String>,
}

async fn lead_form(
    State(state): State<AppState>,
    ip: ClientIp,
    Path(slug): Path<String>,
    Form(form): Form<LeadForm>,
) -> Response {
    let back =
        |query: String| (StatusCode::SEE_OTHER, [(LOCATION, format!("/{slug}?{query}"))]).into_response();
    let block = form.block_id.trim().to_owned();
    let block_query = url::form_urlencoded::byte_serialize(block.as_bytes()).collect::<String>();
    if let Err(rejection) = state.limiter.check(Bucket::LeadsIp, &ip.rate_limit_key()).await {
        let mut response = back(format!("lead_error=rate_limited&block={block_query}"));
        if let Some(retry) = rejection.into_response().headers().get(axum::http::header::RETRY_AFTER) {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, retry.clone());
        }
        return response;
    }
    let submission = Submission {
        block_id: block.clone(),
        email: form.email,
        name: form.name,
        consent: form.consent.as_deref().map(|c| matches!(c, "true" | "on" | "1" | "yes")),
        website: form.website,
    };
    match leads::capture(&state.links, submission, Some(&slug)).await {
        Ok(Captured { .. }) => back(format!("subscribed=1&block={block_query}#block-{block_query}")),
        Err(LinksError::Validation(fields)) => {
            let field = fields.keys().next().map_or("form", String::as_str);
            back(format!("lead_error={field}&block={block_query}#block-{block_query}"))
        }
        Err(LinksError::NotFound) => html(
            StatusCode::NOT_FOUND,
            render_not_found(Locale::default(), &state.config.public_origin()),
            None,
        ),
        Err(other) => fail(other).into_response(),
    }
}

/// The query of the landing page's card: `?lang=es|en` (else the request's language).
#[derive(Debug, Default, Deserialize)]
pub struct CardQuery {
    lang: Option<String>,
}

/// `GET /{slug}/opengraph-image`: the page's 1200×630 card (`image/png`); the styled 404 for
/// unknown, unpublished and reserved slugs.
async fn page_card(State(state): State<AppState>, Path(slug): Path<String>, request: Request) -> Response {
    let headers = request.headers();
    let found = match public::page_by_slug(&state.links, &slug).await {
        Ok(found) => found,
        Err(e) => return fail(e).into_response(),
    };
    let Some((cached, _)) = found else {
        let body = render_not_found(request_locale(headers), &state.config.public_origin());
        return html(StatusCode::NOT_FOUND, body, None);
    };
    // The card's text; the avatar's bytes are read from storage only when the card is rendered.
    let text = || {
        let page = &cached.page;
        Card {
            title: page.title.clone(),
            bio: page.bio.clone(),
            theme: page.theme.resolve(),
            host_and_path: format!("{}/{}", cards::host_of(&state.config.public_origin()), page.slug),
            avatar: None,
            kind: CardKind::Profile,
        }
    };
    let avatar_key = cached.avatar_key.as_deref();
    let validator = state.card_keys.get_or_insert_with(cached.load, || {
        // Avatar keys are content-addressed: the key stands for the picture in the card's version.
        let version = format!("{}|{}", cached.page.updated_at, avatar_key.unwrap_or_default());
        CardKey::new(&cached.page.id, &version, &text())
    });
    let card = async {
        let mut card = text();
        card.avatar = match avatar_key {
            Some(key) => avatar_bytes(&state, key).await,
            None => None,
        };
        card
    };
    card_response(&state, headers, &validator.key, &validator.etag, card, None).await
}

/// The stored avatar at `key` for a card; `None` (the card draws initials) when it is missing or
/// storage fails — the page's card is better with initials than not at all.
async fn avatar_bytes(state: &AppState, key: &str) -> Option<bytes::Bytes> {
    let key = storage::ObjectKey::parse(key).ok()?;
    match state.storage.get(&key).await {
        Ok(found) => found.map(|object| object.bytes),
        Err(error) => {
            tracing::warn!(%error, %key, "the avatar could not be read for a card; drawing initials");
            None
        }
    }
}

/// `GET /opengraph-image`: mibio's own card (the landing page's), in `?lang=` or the request's
/// language.
async fn site_card(
    State(state): State<AppState>,
    Query(query): Query<CardQuery>,
    headers: HeaderMap,
) -> Response {
    let chosen: Option<Locale> = query.lang.as_deref().and_then(|l| l.parse().ok());
    let locale = chosen.unwrap_or_else(|| request_locale(&headers));
    let tagline = app::i18n::texts(locale).headline;
    let card = Card::site(tagline, &cards::host_of(&state.config.public_origin()));
    let key = CardKey::new(&format!("site-{}", locale.tag()), "", &card);
    let Ok(etag) = HeaderValue::from_str(&key.etag()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    // Without `?lang=` the language comes from the request's headers.
    let vary = chosen.is_none().then_some("Accept-Language, Cookie");
    card_response(&state, &headers, &key, &etag, async { card }, vary).await
}

/// The card at `key`: `304` when the client holds it (`If-None-Match`), else the PNG (cached, or
/// `card` made and rendered now), with its ETag and long shared caching.
async fn card_response(
    state: &AppState,
    headers: &HeaderMap,
    key: &CardKey,
    etag: &HeaderValue,
    card: impl Future<Output = Card>,
    vary: Option<&'static str>,
) -> Response {
    let mut h = HeaderMap::with_capacity(RESPONSE_HEADERS);
    h.insert(ETAG, etag.clone());
    h.insert(CACHE_CONTROL, HeaderValue::from_static(CARD_CACHE));
    if let Some(vary) = vary {
        h.insert(VARY, HeaderValue::from_static(vary));
    }
    if etag.to_str().is_ok_and(|etag| if_none_match(headers, etag)) {
        return (StatusCode::NOT_MODIFIED, h).into_response();
    }
    let (png, served) = match state.cards.cached(key) {
        Some(png) => (png, Served::Cached),
        None => match state.cards.png(key, card.await).await {
            Ok(done) => done,
            Err(e) => return fail(e.context("rendering an OpenGraph card")).into_response(),
        },
    };
    h.insert(CONTENT_TYPE, HeaderValue::from_static("image/png"));
    let status = if served == Served::Cached { CacheStatus::Hit } else { CacheStatus::Miss };
    h.insert(X_CACHE.clone(), cache_header(status));
    let mut response = Response::new(Body::from(png));
    *response.headers_mut() = h;
    response
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for this header).
pub(crate) fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    let etag = etag.trim_start_matches("W/");
    headers.get_all(IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).any(|list| {
        list.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
    })
}
