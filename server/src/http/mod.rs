//! The HTTP surface: one axum router for the Leptos app, the ops endpoints and (as contexts
//! arrive) the REST API, the public pages and the webhooks.

pub mod api;
pub mod client_ip;
pub mod console;
pub mod error;
pub mod guard;
pub mod idempotency;
pub mod json;
pub mod middleware;
pub mod ops;
pub mod public;
pub mod rate_limit;
pub mod rendered;
pub mod session;
pub mod sign_in_first;

use std::path::PathBuf;

use axum::Router;
use axum::routing::{any, get};
use leptos_axum::{LeptosRoutes as _, generate_route_list};
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
pub fn router_with(state: AppState, api: Router<AppState>) -> Router {
    let leptos_routes = generate_route_list(app::App);
    let screens = sign_in_first::SignedInScreens::from_routes(leptos_routes.iter().map(|r| r.path()));
    let pkg_dir = PathBuf::from(state.leptos.site_root.as_ref()).join(state.leptos.site_pkg_dir.as_ref());

    let assets = Router::new()
        .nest_service("/pkg", ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip())
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::asset_cache));

    Router::new()
        .route("/health", get(ops::health))
        .route("/ready", get(ops::ready))
        .route("/metrics", get(ops::metrics))
        .merge(
            api::routes()
                .merge(public::routes())
                .merge(api)
                // Inside the auth layer (added below): the scope comes from the session.
                .layer(axum::middleware::from_fn_with_state(
                    state.idempotency.clone(),
                    idempotency::idempotency,
                ))
                .layer(axum::middleware::from_fn(session::idempotency_scope)),
        )
        .route("/api", any(error::api_not_found))
        .route("/api/{*rest}", any(error::api_not_found))
        .leptos_routes_with_context(&state, leptos_routes, provide_services(&state), {
            let options = state.leptos.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            provide_services(&state),
            app::shell,
        ))
        .merge(assets)
        // Layers: the last added runs first.
        .layer(RequestBodyLimitLayer::new(DEFAULT_BODY_LIMIT))
        // After the session and an expired impersonation's end (the layers below run first).
        .layer(axum::middleware::from_fn_with_state(state.clone(), console::access))
        // Signed-out visitors of the dashboard and the console go to sign-in first.
        .layer(axum::middleware::from_fn_with_state(screens, sign_in_first::sign_in_first))
        .layer(axum::middleware::from_fn_with_state(state.clone(), session::csrf))
        .layer(axum::middleware::from_fn_with_state(state.clone(), session::impersonation))
        .layer(session::auth_layer(&state))
        .layer(axum::middleware::from_fn(error::json_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::observe))
        .layer(axum::middleware::from_fn(middleware::request_id))
        .with_state(state)
}
