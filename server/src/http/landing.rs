//! `/`, the landing page, served like a public page: rendered once per language and colour scheme
//! (the only things it depends on for a visitor without a session), kept ready in every encoding,
//! and sent as it is. It is the same for everyone in the same language and scheme and never changes
//! while the process runs (its texts, its demo and `PUBLIC_URL` are fixed at build and start-up),
//! so nothing ever invalidates it.
//!
//! What still renders per request, through the app's own route behind the session layers, exactly
//! as before: a visitor who carries a session cookie (the page then offers "Go to your dashboard"
//! and, during an impersonation, shows the support banner), and `?lang=…`, which also remembers the
//! choice in a cookie.
//!
//! The rendered page allows its inline scripts (the hydration script, resolved resources) by a
//! per-response nonce. A nonce sent to everyone is no secret, so the kept page's policy names those
//! scripts by their SHA-256 instead: the same scripts, and no other, may run.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, ETAG, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse as _, Response};
use base64::Engine as _;
use contracts::Locale;
use http_body_util::BodyExt as _;
use sha2::{Digest as _, Sha256};
use tokio::sync::OnceCell;
use tower::ServiceExt as _;

use app::components::user_menu::{ColorScheme, THEME_COOKIE};

use crate::http::api::request_locale;
use crate::http::public::if_none_match;
use crate::http::rendered::{Encoding, Rendered};
use crate::http::session::{SESSION_COOKIE, cookie};

/// What the kept page depends on besides its address.
const LANDING_VARY: &str = "Accept-Encoding, Accept-Language, Cookie";

/// The landing page's renders, one per language and colour scheme, made on first use.
pub struct Landing {
    /// The app's `/` route behind the session layers (it renders the page).
    app: Router,
    ready: [[OnceCell<Arc<Kept>>; 3]; 2],
}

impl std::fmt::Debug for Landing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Landing").finish_non_exhaustive()
    }
}

/// One kept render and its policy.
#[derive(Debug)]
struct Kept {
    rendered: Rendered,
    csp: HeaderValue,
}

impl Landing {
    /// The landing page rendered by `app` (a router that serves the app's `/`).
    #[must_use]
    pub fn new(app: Router) -> Arc<Self> {
        Arc::new(Self { app, ready: Default::default() })
    }

    /// The kept render for `locale` and `scheme`, rendering it the first time. `None` when the
    /// render did not answer `200` (it is then not kept).
    async fn kept(&self, locale: Locale, scheme: ColorScheme) -> Option<Arc<Kept>> {
        let cell = &self.ready[locale_index(locale)][scheme_index(scheme)];
        cell.get_or_try_init(|| self.render(locale, scheme)).await.ok().cloned()
    }

    /// Renders the page as a visitor without a session, in `locale` and `scheme`, sees it.
    async fn render(&self, locale: Locale, scheme: ColorScheme) -> Result<Arc<Kept>, ()> {
        // The app reads the language and the scheme from their cookies, as for any visitor.
        let mut cookies = format!("{}={}", app::i18n::LOCALE_COOKIE, locale.tag());
        if let Some(scheme) = scheme.attr() {
            cookies.push_str(&format!("; {THEME_COOKIE}={scheme}"));
        }
        let request = Request::get("/").header(COOKIE, cookies).body(Body::empty()).map_err(|_| ())?;
        let Ok(response) = self.app.clone().oneshot(request).await;
        if response.status() != StatusCode::OK {
            tracing::warn!(status = response.status().as_u16(), "the landing page did not render; not kept");
            return Err(());
        }
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.map_err(|_| ())?.to_bytes();
        let html = String::from_utf8(bytes.to_vec()).map_err(|_| ())?;
        let policy =
            parts.headers.get(CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let csp = HeaderValue::from_str(&hashed_policy(policy, &html)).map_err(|_| ())?;
        Ok(Arc::new(Kept { rendered: Rendered::new(html), csp }))
    }
}

const fn locale_index(locale: Locale) -> usize {
    match locale {
        Locale::Es => 0,
        Locale::En => 1,
    }
}

const fn scheme_index(scheme: ColorScheme) -> usize {
    match scheme {
        ColorScheme::System => 0,
        ColorScheme::Light => 1,
        ColorScheme::Dark => 2,
    }
}

/// Whether the query names a language (`lang=…`), as the app reads it.
fn chooses_language(query: Option<&str>) -> bool {
    query.is_some_and(|q| q.split('&').any(|pair| pair.starts_with("lang=")))
}

/// `GET /`: the kept render for the visitor's language and scheme; visitors with a session
/// cookie and language choices (`?lang=`) get the app's own render.
pub async fn page(State(landing): State<Arc<Landing>>, request: Request) -> Response {
    let headers = request.headers();
    if cookie(headers, SESSION_COOKIE).is_some() || chooses_language(request.uri().query()) {
        let Ok(response) = landing.app.clone().oneshot(request).await;
        return response;
    }
    let locale = request_locale(headers);
    let scheme = cookie(headers, THEME_COOKIE).map_or(ColorScheme::System, ColorScheme::parse);
    let Some(kept) = landing.kept(locale, scheme).await else {
        let Ok(response) = landing.app.clone().oneshot(request).await;
        return response;
    };
    respond(&kept, request.headers())
}

/// The kept page: `304` for a visitor who holds it, else the body in the best accepted encoding.
fn respond(kept: &Kept, headers: &HeaderMap) -> Response {
    let rendered = &kept.rendered;
    let not_modified = rendered.etag.to_str().is_ok_and(|etag| if_none_match(headers, etag));
    let encoding = Encoding::negotiate(headers.get(ACCEPT_ENCODING).and_then(|v| v.to_str().ok()));
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Response::new(Body::from(rendered.body(encoding)))
    };
    let h = response.headers_mut();
    h.reserve(12);
    h.insert(ETAG, rendered.etag.clone());
    h.insert(VARY, HeaderValue::from_static(LANDING_VARY));
    // On a 304 too: the browser takes the 304's headers for the page it keeps, and the edge's
    // default policy would block the page's inline scripts.
    h.insert(CONTENT_SECURITY_POLICY, kept.csp.clone());
    if !not_modified {
        if let Some(coding) = encoding.header() {
            h.insert(CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        h.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    }
    response
}

/// `policy` with its `'nonce-…'` source replaced by the SHA-256 of every inline script in
/// `html` (a policy without a nonce is returned as it is).
fn hashed_policy(policy: &str, html: &str) -> String {
    let Some(start) = policy.find("'nonce-") else { return policy.to_owned() };
    let end = policy[start + 1..].find('\'').map_or(policy.len(), |i| start + i + 2);
    let hashes: Vec<String> = inline_scripts(html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
        })
        .collect();
    if hashes.is_empty() {
        return format!("{}{}", &policy[..start], policy[end..].trim_start());
    }
    format!("{}{}{}", &policy[..start], hashes.join(" "), &policy[end..])
}

/// The text of every inline `<script>` (one without `src`) in `html`. A script's text cannot
/// contain `</script>`, so the first one after its start tag ends it.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find("<script")?;
            let after = &rest[start + "<script".len()..];
            let tag_end = after.find('>')?;
            let attributes = &after[..tag_end];
            let body = &after[tag_end + 1..];
            let end = body.find("</script>")?;
            rest = &body[end + "</script>".len()..];
            let external = attributes.split_ascii_whitespace().any(|a| a.starts_with("src="));
            if !external {
                return Some(&body[..end]);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let html = r#"<head><script type="module" nonce="n1">import('/pkg/a.js')</script>
            <script src="/pkg/b.js"></script><script nonce="n1">window.x=1</script><p>script</p>"#;
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), ["import('/pkg/a.js')", "window.x=1"]);
    }

    #[test]
    fn the_nonce_gives_way_to_the_scripts_hashes() {
        let html = "<script nonce=\"abc\">alert(1)</script>";
        let policy =
            "default-src 'self'; script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'; object-src 'none'";
        let hashed = hashed_policy(policy, html);
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"alert(1)"));
        assert_eq!(
            hashed,
            format!(
                "default-src 'self'; script-src 'self' 'sha256-{digest}' 'wasm-unsafe-eval'; object-src 'none'"
            )
        );
        assert_eq!(hashed_policy("script-src 'self'", html), "script-src 'self'");
    }

    #[test]
    fn only_lang_pairs_choose_a_language() {
        assert!(chooses_language(Some("lang=en")));
        assert!(chooses_language(Some("utm_source=ig&lang=xx")));
        assert!(!chooses_language(Some("utm_source=ig")));
        assert!(!chooses_language(Some("slang=en")));
        assert!(!chooses_language(None));
    }
}
