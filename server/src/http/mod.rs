//! The HTTP surface: one axum router for the Leptos app, the ops endpoints and (as contexts
//! arrive) the REST API, the public pages and the webhooks.

pub mod api;
pub mod client_ip;
pub mod console;
pub mod deadline;
pub mod error;
pub mod guard;
pub mod idempotency;
pub mod json;
pub mod landing;
pub mod media;
pub mod middleware;
pub mod openapi;
pub mod ops;
pub mod public;
pub mod rate_limit;
pub mod rendered;
pub mod session;
pub mod sign_in_first;
pub mod upload;
pub mod webhooks;

use std::path::PathBuf;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get};
use leptos_axum::{LeptosRoutes as _, generate_route_list};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;

use crate::state::AppState;

/// Largest request body accepted by default (uploads get their own, larger limit).
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

/// The context every server function and rendered page gets: the use cases' dependencies and
/// the request guard.
fn provide_services(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let services = state.services.clone();
    move || leptos::prelude::provide_context(services.clone())
}

/// Builds the whole router over `state`.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// Builds the router with extra `api` routes mounted under the same middleware (the REST
/// adapters of the contexts, and the routes tests need).
///
/// Every request passes one edge, outermost first: request id, access log and metrics, security
/// headers ([`middleware::Edge`]), panics caught, compression (which leaves bodies that carry
/// their own `Content-Encoding` alone), JSON errors on JSON paths, the body limit, the request
/// deadline (not for uploads: [`deadline`]). Behind it:
/// - **the public surface** — `/health`, `/ready`, `/metrics`, the landing page `/`, the public
///   pages `/{slug}` with their cards and no-JavaScript lead form, `/api/v1/public/*`, the
///   OpenAPI document `/api/v1/openapi.json`, the emails'
///   unsubscribe page `/notifications/unsubscribe`, `/webhooks/*`, `/static`, `/pkg` — runs
///   nothing else: no session is loaded, no CSRF, console or impersonation check, no
///   idempotency, no sign-in-first redirect. None of it acts with a session's authority (the
///   landing page of a visitor with a session renders through the app: see [`landing`]).
/// - **the app** — its screens, the REST API, the server functions, the 404 page — runs behind the
///   session layers; its REST routes also behind `Idempotency-Key`s.
pub fn router_with(state: AppState, api: Router<AppState>) -> Router {
    let (landing_route, leptos_routes): (Vec<_>, Vec<_>) =
        generate_route_list(app::App).into_iter().partition(|route| route.path() == "/");
    let screens = sign_in_first::SignedInScreens::from_routes(leptos_routes.iter().map(|r| r.path()));
    let shell = {
        let options = state.leptos.clone();
        move || app::shell(options.clone())
    };
    // Outermost first; one layer, so a request clones the stack once.
    let session_layers = || {
        ServiceBuilder::new()
            // A session store that cannot reach the database: 503, not the auth layer's bare 500.
            .layer(axum::middleware::from_fn(session::session_store_unavailable))
            .layer(session::auth_layer(&state))
            .layer(axum::middleware::from_fn_with_state(state.clone(), session::impersonation))
            .layer(axum::middleware::from_fn_with_state(state.clone(), session::csrf))
            // Signed-out visitors of the dashboard and the console go to sign-in first.
            .layer(axum::middleware::from_fn_with_state(screens.clone(), sign_in_first::sign_in_first))
            // After the session and an expired impersonation's end.
            .layer(axum::middleware::from_fn_with_state(state.clone(), console::access))
    };

    let app = Router::new()
        .merge(
            Router::from(api::routes())
                .merge(api)
                // Inside the session layers: the scope comes from the session.
                .layer(
                    ServiceBuilder::new().layer(axum::middleware::from_fn(session::idempotency_scope)).layer(
                        axum::middleware::from_fn_with_state(
                            state.idempotency.clone(),
                            idempotency::idempotency,
                        ),
                    ),
                ),
        )
        .route("/api", any(error::api_not_found))
        .route("/api/{*rest}", any(error::api_not_found))
        .leptos_routes_with_context(&state, leptos_routes, provide_services(&state), shell.clone())
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            provide_services(&state),
            app::shell,
        ))
        .layer(session_layers());

    // The app's own `/` route, behind the same session layers, renders the landing page.
    let landing = landing::Landing::new(
        Router::new()
            .leptos_routes_with_context(&state, landing_route, provide_services(&state), shell)
            .layer(session_layers())
            .with_state(state.clone()),
    );

    let pkg_dir = PathBuf::from(state.leptos.site_root.as_ref()).join(state.leptos.site_pkg_dir.as_ref());
    let assets = Router::new()
        .nest_service("/pkg", ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip())
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::asset_cache));
    let public = Router::new()
        .route("/health", get(ops::health))
        .route("/ready", get(ops::ready))
        .route("/metrics", get(ops::metrics))
        .route("/", get(landing::page).with_state(landing))
        .merge(public::routes())
        .merge(Router::from(webhooks::routes()))
        .merge(Router::from(openapi::routes()))
        .merge(media::routes())
        // The emails' unsubscribe link: the token is the authority, no session is read.
        .merge(api::notifications::unsubscribe_routes())
        .merge(assets);

    // The upload routes, behind the same session layers, with their own body limit (the Content-
    // Length is checked before a byte is read; axum's extractors hold the same limit).
    let uploads = Router::from(api::upload_routes())
        .layer(
            ServiceBuilder::new()
                .layer(RequestBodyLimitLayer::new(upload::UPLOAD_BODY_LIMIT))
                .layer(DefaultBodyLimit::max(upload::UPLOAD_BODY_LIMIT)),
        )
        .layer(session_layers());

    app.merge(public)
        .layer(
            ServiceBuilder::new()
                .layer(RequestBodyLimitLayer::new(DEFAULT_BODY_LIMIT))
                .layer(deadline::DeadlineLayer::new(state.config.request_timeout)),
        )
        .merge(uploads)
        .layer(
            ServiceBuilder::new()
                .layer(middleware::EdgeLayer::new(&state))
                .layer(CatchPanicLayer::new())
                .layer(CompressionLayer::new())
                .layer(error::JsonErrorsLayer),
        )
        .with_state(state)
}
