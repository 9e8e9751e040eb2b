//! The screens for signed-in people — the dashboard's (`/dashboard/…`) and the admin console's
//! (`/admin/…`), as the app's route list names them — answer a visitor without a session with
//! `303 See Other` to `/signin?next=<path and query>`, before anything renders: no page saying it
//! is redirecting, nothing that needs JavaScript, nothing for a crawler or a link preview to read.
//! Sign-in then returns there (`contracts::next`). A signed-in person who is not a platform admin
//! still gets the console's 404 page (see [`super::console`]). Paths under those prefixes that
//! name no screen (`/admin/opengraph-image`, `/dashboard/nothing`) keep their own answer, the 404
//! page: only real screens ask for a session.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Redirect, Response};
use contracts::next::NextPath;
use iam::AuthSession;

/// The prefixes of the screens that need a session.
const ROOTS: [&str; 2] = ["/dashboard", "/admin"];

/// The screens that need a session: route patterns such as `/dashboard/pages/{id}`, split into
/// segments (`None`: a parameter, any one segment).
#[derive(Debug, Clone, Default)]
pub struct SignedInScreens(Vec<Vec<Option<String>>>);

impl SignedInScreens {
    /// The patterns among `routes` (axum-style paths, `{param}` or `:param`) under the roots.
    #[must_use]
    pub fn from_routes<'a>(routes: impl IntoIterator<Item = &'a str>) -> Arc<Self> {
        let patterns = routes
            .into_iter()
            .filter(|path| under_a_root(path))
            .map(|path| {
                segments(path)
                    .map(|s| (!(s.starts_with('{') || s.starts_with(':'))).then(|| s.to_owned()))
                    .collect()
            })
            .collect();
        Arc::new(Self(patterns))
    }

    /// Whether `path` is one of the screens.
    #[must_use]
    pub fn contains(&self, path: &str) -> bool {
        let wanted: Vec<&str> = segments(path).collect();
        self.0.iter().any(|pattern| {
            pattern.len() == wanted.len()
                && pattern.iter().zip(&wanted).all(|(p, w)| p.as_deref().is_none_or(|p| p == *w))
        })
    }
}

fn under_a_root(path: &str) -> bool {
    ROOTS
        .iter()
        .any(|root| path.strip_prefix(root).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
}

/// The non-empty segments of a path (`/dashboard/` and `/dashboard` are the same screen).
fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// Where a signed-out visitor of `path_and_query` is sent.
#[must_use]
pub fn sign_in_location(path_and_query: &str) -> String {
    NextPath::or_default(Some(path_and_query)).on("/signin")
}

/// Middleware: redirects signed-out `GET`/`HEAD` requests for those screens to sign-in.
pub async fn sign_in_first(
    State(screens): State<Arc<SignedInScreens>>,
    request: Request,
    next: Next,
) -> Response {
    let page =
        matches!(*request.method(), Method::GET | Method::HEAD) && screens.contains(request.uri().path());
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
        let screens = SignedInScreens::from_routes([
            "/",
            "/signin",
            "/dashboard",
            "/dashboard/pages",
            "/dashboard/pages/{id}/leads",
            "/admin",
            "/admin/users/:id",
            "/admin/setup",
            "/invitations/{token}",
        ]);
        for path in [
            "/dashboard",
            "/dashboard/",
            "/dashboard/pages/1/leads",
            "/admin",
            "/admin/users/x",
            "/admin/setup",
        ] {
            assert!(screens.contains(path), "{path}");
        }
        for path in [
            "/",
            "/signin",
            "/dashboards",
            "/administrator",
            "/admin/opengraph-image",
            "/dashboard/nothing",
            "/dashboard/pages/1/leads/more",
            "/invitations/abc",
            "/api/v1/platform/users",
        ] {
            assert!(!screens.contains(path), "{path}");
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
