//! The screens for signed-in people — the dashboard (`/dashboard/**`) and the admin console
//! (`/admin/**`) — answer a visitor without a session with `303 See Other` to
//! `/signin?next=<path and query>`, before anything renders: no page saying it is redirecting,
//! nothing that needs JavaScript, nothing for a crawler or a link preview to read. Sign-in then
//! returns there (`contracts::next`). A signed-in person who is not a platform admin still gets
//! the console's 404 page (see [`super::console`]).

use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Redirect, Response};
use contracts::next::NextPath;
use iam::AuthSession;

/// Whether `path` is a screen only a signed-in person can see.
#[must_use]
pub fn needs_session(path: &str) -> bool {
    ["/dashboard", "/admin"]
        .iter()
        .any(|root| path.strip_prefix(root).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
}

/// Where a signed-out visitor of `path_and_query` is sent.
#[must_use]
pub fn sign_in_location(path_and_query: &str) -> String {
    NextPath::or_default(Some(path_and_query)).on("/signin")
}

/// Middleware: redirects signed-out `GET`/`HEAD` requests for those screens to sign-in.
pub async fn sign_in_first(request: Request, next: Next) -> Response {
    let page = matches!(*request.method(), Method::GET | Method::HEAD) && needs_session(request.uri().path());
    let signed_in = request.extensions().get::<AuthSession>().is_some_and(|auth| auth.user.is_some());
    if page && !signed_in {
        let target = request.uri().path_and_query().map_or("/dashboard", |pq| pq.as_str());
        let mut response = Redirect::to(&sign_in_location(target)).into_response();
        // Whether someone is signed in is personal: no shared cache may keep this answer.
        response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
        return response;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_signed_in_screens_need_a_session() {
        for path in [
            "/dashboard",
            "/dashboard/",
            "/dashboard/pages/1/leads",
            "/admin",
            "/admin/users",
            "/admin/setup",
        ] {
            assert!(needs_session(path), "{path}");
        }
        for path in
            ["/", "/dashboards", "/administrator", "/signin", "/api/v1/platform/users", "/ana/dashboard"]
        {
            assert!(!needs_session(path), "{path}");
        }
    }

    #[test]
    fn the_way_back_is_carried_encoded() {
        assert_eq!(sign_in_location("/dashboard"), "/signin");
        assert_eq!(sign_in_location("/admin/setup"), "/signin?next=/admin/setup");
        assert_eq!(
            sign_in_location("/dashboard/pages?new=1&t=wellness"),
            "/signin?next=/dashboard/pages%3Fnew%3D1%26t%3Dwellness"
        );
        // A path the browser would read as another host is not carried.
        assert_eq!(sign_in_location("/dashboard/..//evil.example"), "/signin");
        assert_eq!(
            sign_in_location("/admin/%2F%2Fevil.example"),
            "/signin?next=/admin/%252F%252Fevil.example"
        );
    }
}
