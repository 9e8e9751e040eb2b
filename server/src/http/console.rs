//! The admin console's pages (`/admin/*`, rendered by the Leptos app) are decided before they
//! render: this middleware finds out whether the caller is a platform admin and leaves the answer
//! in the request ([`ConsoleAccess`]). The console's shell reads it and renders either the
//! console or the 404 page, with status 404 — the console's existence is not even confirmed to
//! anyone else. (Its server functions and REST routes check again, each call.)

use app::server::admin::ConsoleAccess;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use iam::AuthSession;

use crate::state::AppState;

/// Whether `path` is a page of the console.
#[must_use]
pub fn is_console_path(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/")
}

/// Middleware: on console paths, records whether the caller may see the console.
pub async fn access(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if is_console_path(request.uri().path()) {
        let access = match request.extensions().get::<AuthSession>() {
            Some(auth) => ConsoleAccess::of(&state.services, auth).await,
            None => ConsoleAccess(Ok(None)),
        };
        request.extensions_mut().insert(access);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::is_console_path;

    #[test]
    fn console_paths() {
        assert!(is_console_path("/admin"));
        assert!(is_console_path("/admin/users/1"));
        assert!(!is_console_path("/administrator"));
        assert!(!is_console_path("/api/v1/platform/users"));
    }
}
