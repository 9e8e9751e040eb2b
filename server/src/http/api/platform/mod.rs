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

use axum::http::Method;
use serde::Deserialize;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

use crate::http::error::ApiFailure;
use crate::state::AppState;

/// Where the platform routes are mounted.
pub const PREFIX: &str = "/api/v1/platform";

/// One platform route: its method, its path under [`PREFIX`] (both read from the handler's
/// `#[utoipa::path]`, which is what mounts it), and its handler.
pub struct PlatformRoute {
    pub method: Method,
    pub path: String,
    pub handler: UtoipaMethodRouter<AppState>,
}

/// The route of one handler's `routes!(…)`.
fn route(handler: UtoipaMethodRouter<AppState>) -> PlatformRoute {
    let (_, paths, _) = &handler;
    let [(path, item)] = paths.paths.iter().collect::<Vec<_>>()[..] else {
        panic!("a platform route is one handler on one path");
    };
    let item = serde_json::to_value(item).expect("a path item serializes");
    let methods: Vec<&String> = item.as_object().into_iter().flat_map(|o| o.keys()).collect();
    let [method] = methods[..] else { panic!("{path}: a platform route answers one method") };
    let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).expect("an HTTP method");
    let path = path.strip_prefix(PREFIX).unwrap_or_else(|| panic!("{path} is under {PREFIX}")).to_owned();
    PlatformRoute { method, path, handler }
}

/// Every platform route.
#[must_use]
pub fn table() -> Vec<PlatformRoute> {
    vec![
        route(routes!(users::overview)),
        route(routes!(users::list)),
        route(routes!(users::detail)),
        route(routes!(users::deactivate)),
        route(routes!(users::reactivate)),
        route(routes!(users::impersonate)),
        route(routes!(users::stop_impersonation)),
        route(routes!(organizations::list)),
        route(routes!(organizations::detail)),
        route(routes!(jobs::dead)),
        route(routes!(jobs::retry)),
        route(routes!(jobs::dead_events)),
        route(routes!(jobs::replay_event)),
        route(routes!(audit::list)),
        route(routes!(flags::list)),
        route(routes!(flags::get)),
        route(routes!(flags::put)),
    ]
}

/// The platform router (mounted at the root: paths carry [`PREFIX`]).
pub fn routes() -> OpenApiRouter<AppState> {
    table()
        .into_iter()
        .fold(OpenApiRouter::new(), |router, r| router.routes(r.handler))
        .routes(routes!(setup::claim))
}

/// `?q=&cursor=&limit=` of the console's lists (unknown parameters are a `400`).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Plain text matched case-insensitively (users: email or name; organizations: name or slug).
    q: Option<String>,
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
    /// 1-100 (default 20).
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
