//! `/api/v1/platform/*`: the platform admin console's REST door. Every route takes the
//! [`Admin`](crate::http::session::Admin) extractor, which answers 404 to anyone else (signed
//! out, or signed in without the role), so the console's existence is not even confirmed to
//! them; its proof is what the console's use cases (`platform::application::console`) demand. The routes live in one
//! table ([`table`]) that builds the router and that the tests walk, so a new route cannot miss
//! the check unnoticed.
//!

mod audit;
mod flags;
mod jobs;
mod organizations;
pub mod setup;
mod users;

use axum::Router;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post, put};
use serde::Deserialize;

use crate::http::error::ApiFailure;
use crate::state::AppState;

/// Where the platform routes are mounted.
pub const PREFIX: &str = "/api/v1/platform";

/// One platform route: its method, its path under [`PREFIX`], and its handler.
pub struct PlatformRoute {
    pub method: Method,
    pub path: &'static str,
    pub handler: MethodRouter<AppState>,
}

fn route(method: Method, path: &'static str, handler: MethodRouter<AppState>) -> PlatformRoute {
    PlatformRoute { method, path, handler }
}

/// Every platform route.
#[must_use]
pub fn table() -> Vec<PlatformRoute> {
    vec![
        route(Method::GET, "/overview", get(users::overview)),
        route(Method::GET, "/users", get(users::list)),
        route(Method::GET, "/users/{id}", get(users::detail)),
        route(Method::POST, "/users/{id}/deactivate", post(users::deactivate)),
        route(Method::POST, "/users/{id}/reactivate", post(users::reactivate)),
        route(Method::POST, "/users/{id}/impersonate", post(users::impersonate)),
        route(Method::POST, "/impersonation/stop", post(users::stop_impersonation)),
        route(Method::GET, "/organizations", get(organizations::list)),
        route(Method::GET, "/organizations/{id}", get(organizations::detail)),
        route(Method::GET, "/jobs/dead", get(jobs::dead)),
        route(Method::POST, "/jobs/{id}/retry", post(jobs::retry)),
        route(Method::GET, "/events/dead", get(jobs::dead_events)),
        route(Method::POST, "/events/{id}/replay", post(jobs::replay_event)),
        route(Method::GET, "/audit", get(audit::list)),
        route(Method::GET, "/feature-flags", get(flags::list)),
        route(Method::GET, "/feature-flags/{key}", get(flags::get)),
        route(Method::PUT, "/feature-flags/{key}", put(flags::put)),
    ]
}

/// The platform router (mounted at the root: paths carry [`PREFIX`]).
pub fn routes() -> Router<AppState> {
    table()
        .into_iter()
        .fold(Router::new(), |router, r| router.route(&format!("{PREFIX}{}", r.path), r.handler))
        .route(setup::PATH, post(setup::claim))
}

/// `?q=&cursor=&limit=` of the console's lists.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    q: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

impl ListQuery {
    fn page(&self) -> Result<kernel::PageRequest, ApiFailure> {
        Ok(app::server::admin::page_request(self.cursor.as_deref(), self.limit.as_deref())?)
    }

    fn search(&self) -> Option<&str> {
        app::server::admin::search(self.q.as_deref())
    }
}
