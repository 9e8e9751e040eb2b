//! The public hot path (issue #16): the public routes run without the session layers — a
//! signed-in visitor's cookie is neither read nor refreshed there —, the landing page is kept
//! ready per language and colour scheme and answers each visitor in their language, and bodies
//! that were compressed ahead of time are sent as they are, never compressed twice. (How fast
//! this is is measured by `scripts/bench`, not here.)

use crate::common;
use crate::common::links;
use crate::compression::decoded;

use axum::http::StatusCode;
use base64::Engine as _;
use common::app::{Call, Client, Reply, TestApp};
use links::*;
use pretty_assertions::assert_eq;
use sha2::{Digest as _, Sha256};

/// `GET path` as `client` with `headers`.
async fn get_with(client: &Client, path: &str, headers: &[(&str, &str)]) -> Reply {
    let call = headers.iter().fold(Call::get(path), |call, (name, value)| call.header(name, value));
    client.send(call).await
}

/// The session layers, given a cookie whose session is gone, tell the browser to forget it: any
/// `Set-Cookie` on a public route would show they ran (and read the session store) there.
#[tokio::test]
async fn public_routes_do_not_load_the_session() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    publish(&ana, &page_id).await;
    app.execute("DELETE FROM iam.sessions").await;
    assert!(ana.cookie("mibio_session").is_some());

    for path in [
        "/ana-coach",
        "/ana-coach/opengraph-image",
        "/api/v1/public/pages/by-slug/ana-coach",
        "/opengraph-image",
        "/health",
        "/ready",
        "/metrics",
        "/static/templates/wellness.svg",
        "/no-such-page-here",
    ] {
        let reply = ana.get(path).await;
        assert!(
            reply.status.is_success() || reply.status == StatusCode::NOT_FOUND,
            "GET {path}: {}",
            reply.status
        );
        assert_eq!(reply.set_cookies(), Vec::new(), "GET {path} sets no cookie");
    }
    let beacon =
        Call::post("/api/v1/public/analytics/view").body("application/json", r#"{"slug":"ana-coach"}"#);
    let reply = ana.send(beacon).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(reply.set_cookies(), Vec::new(), "the beacon sets no cookie");

    // The app's routes do load it, and drop the cookie of a session that is gone.
    let reply = ana.get("/api/v1/me").await.expect(StatusCode::UNAUTHORIZED);
    assert!(reply.set_cookie("mibio_session").is_some_and(|c| c.deletes()), "{:?}", reply.set_cookies());
}

#[tokio::test]
async fn a_foreign_origin_does_not_stop_the_public_lead_form() {
    // The public lead form carries no session authority: no CSRF check, with or without a cookie.
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    let block = id(&add_block(&ana, &page_id, "LEAD_CAPTURE", lead_form("Weekly letter")).await);
    publish(&ana, &page_id).await;
    let form = format!("blockId={block}&email=bea%40example.com&consent=on");
    let call = Call::post("/ana-coach/leads")
        .body("application/x-www-form-urlencoded", form)
        .without_origin()
        .header("origin", "https://elsewhere.example");
    let reply = ana.send(call).await.expect(StatusCode::SEE_OTHER);
    assert!(
        reply.header("location").is_some_and(|l| l.contains("subscribed=1")),
        "{:?}",
        reply.header("location")
    );
    assert_eq!(reply.set_cookies().len(), 0);
}

#[tokio::test]
async fn the_landing_page_answers_each_visitor_in_their_language() {
    let app = TestApp::start().await;
    let visitor = app.client();
    let lang = |reply: &Reply| {
        let html = String::from_utf8(decoded(reply)).expect("utf-8");
        let start = html.find("<html lang=\"").map(|i| i + 12).expect("<html lang>");
        html[start..start + 2].to_owned()
    };
    for (headers, expected) in [
        (vec![("accept-language", "en-US,en;q=0.9")], "en"),
        (vec![("accept-language", "es-ES,es;q=0.9")], "es"),
        (vec![("accept-language", "fr-FR")], "es"),
        (vec![("accept-language", "en-US"), ("cookie", "mibio_lang=es")], "es"),
        (vec![("accept-language", "es"), ("cookie", "mibio_lang=en")], "en"),
        (vec![("accept-language", "en"), ("accept-encoding", "br")], "en"),
        (vec![("accept-language", "es"), ("accept-encoding", "gzip")], "es"),
    ] {
        let reply = get_with(&visitor, "/", &headers).await.expect(StatusCode::OK);
        assert_eq!(lang(&reply), expected, "{headers:?}");
        assert_eq!(reply.set_cookies().len(), 0, "{headers:?}");
    }
    // `?lang=` chooses and remembers, as before.
    let reply = get_with(&visitor, "/?lang=en", &[("accept-language", "es")]).await.expect(StatusCode::OK);
    assert_eq!(lang(&reply), "en");
    assert_eq!(reply.set_cookie("mibio_lang").map(|c| c.value), Some("en".to_owned()));
    // Other query strings (campaign tags) get the kept page.
    let tagged =
        get_with(&visitor, "/?utm_source=ig", &[("accept-language", "en")]).await.expect(StatusCode::OK);
    let plain = get_with(&visitor, "/", &[("accept-language", "en")]).await.expect(StatusCode::OK);
    assert_eq!(tagged.header("etag"), plain.header("etag"));
}

#[tokio::test]
async fn the_kept_landing_page_is_the_rendered_one_with_its_scripts_allowed_by_hash() {
    let app = TestApp::start().await;
    let visitor = app.client();
    let first = get_with(&visitor, "/", &[("accept-language", "en")]).await.expect(StatusCode::OK);
    let etag = first.header("etag").expect("an ETag").to_owned();
    assert_eq!(first.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(first.header("vary").is_some_and(|v| v.contains("Accept-Language") && v.contains("Cookie")));
    // Every encoding holds the same page; asked again, the same bytes.
    let html = decoded(&first);
    for encoding in ["gzip", "br", "identity"] {
        let reply =
            get_with(&visitor, "/", &[("accept-language", "en"), ("accept-encoding", encoding)]).await;
        assert_eq!(reply.header("etag"), Some(etag.as_str()), "{encoding}");
        assert!(decoded(&reply) == html, "{encoding}: the same page");
    }
    let again = get_with(&visitor, "/", &[("accept-language", "en"), ("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // A browser takes a 304's headers for the page it holds: the policy must still allow its
    // scripts.
    assert_eq!(again.header("content-security-policy"), first.header("content-security-policy"));

    // The policy allows exactly the page's inline scripts, by hash; no nonce, no unsafe-inline.
    let csp = first.header("content-security-policy").expect("a CSP").to_owned();
    let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).expect("script-src");
    assert!(!script_src.contains("nonce-") && !script_src.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    let html = String::from_utf8(html).expect("utf-8");
    let mut scripts = 0;
    for chunk in html.split("<script").skip(1) {
        let (attributes, rest) = chunk.split_once('>').expect("a start tag");
        if attributes.contains(" src=") {
            continue;
        }
        let text = &rest[..rest.find("</script>").expect("an end tag")];
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()));
        assert!(script_src.contains(&format!("'sha256-{hash}'")), "script {text:?} allowed by {csp}");
        scripts += 1;
    }
    assert!(scripts >= 1, "the hydration script is inline: {html}");

    // The colour scheme is part of the page: each scheme is kept apart.
    let dark = get_with(&visitor, "/", &[("accept-language", "en"), ("cookie", "mibio_theme=dark")]).await;
    let dark_html = String::from_utf8(decoded(&dark)).expect("utf-8");
    assert!(dark_html.contains("data-theme=\"dark\""), "{dark_html}");
    assert_ne!(dark.header("etag"), Some(etag.as_str()));
}

#[tokio::test]
async fn a_signed_in_visitor_gets_the_landing_page_rendered_for_them() {
    let app = TestApp::start().await;
    let (ana, _) = app.user("ana@example.com").await;
    let visitor = app.client();
    let theirs = String::from_utf8(decoded(&visitor.get("/").await.expect(StatusCode::OK))).expect("utf-8");
    assert!(!theirs.contains("href=\"/dashboard\""), "a visitor is offered the way in");
    let mine = String::from_utf8(decoded(&ana.get("/").await.expect(StatusCode::OK))).expect("utf-8");
    assert!(mine.contains("href=\"/dashboard\""), "a signed-in person is offered the dashboard: {mine}");
    // And the visitor's page was not spoiled by it.
    let again = String::from_utf8(decoded(&visitor.get("/").await.expect(StatusCode::OK))).expect("utf-8");
    assert!(!again.contains("href=\"/dashboard\""));
}

#[tokio::test]
async fn bodies_compressed_ahead_of_time_are_not_compressed_again() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    publish(&ana, &page_id).await;
    let visitor = app.client();
    for path in ["/ana-coach", "/"] {
        for encoding in ["gzip", "br"] {
            let reply =
                get_with(&visitor, path, &[("accept-encoding", encoding)]).await.expect(StatusCode::OK);
            assert_eq!(reply.header("content-encoding"), Some(encoding), "GET {path}, one coding");
            let html = String::from_utf8(decoded(&reply)).expect("decoded once, it is the page");
            assert!(
                html.to_ascii_lowercase().starts_with("<!doctype html>"),
                "GET {path} {encoding}: {html}"
            );
        }
    }
    // A PNG is not compressed at all.
    let card = get_with(&visitor, "/ana-coach/opengraph-image", &[("accept-encoding", "gzip, br")]).await;
    let card = card.expect(StatusCode::OK);
    assert_eq!(card.header("content-encoding"), None);
    assert!(card.body.starts_with(b"\x89PNG"));
}
