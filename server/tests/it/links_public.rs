//! The public side of pages (docs/http-api.md, "Public"): the JSON read path by slug (only
//! enabled blocks inside their visibility window, in order; cached, and every write invalidates
//! it), and the server-rendered `/{slug}` HTML (SEO and social tags, escaping, no WASM, a strict
//! CSP, the lead form, the in-app-browser hint). No session and no `Origin` are needed.

use crate::common;
use crate::common::links;

use axum::http::StatusCode;
use common::app::{Call, Client, ORIGIN_URL, Reply, TestApp};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=300";
const INSTAGRAM_UA: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                            (KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98 (iPhone15,2; iOS 17_5; en_US)";
const SAFARI_UA: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                         (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/// A visitor's JSON read of `slug`.
async fn read(visitor: &Client, slug: &str) -> Reply {
    visitor.get(&public_path(slug)).await
}

/// A visitor's read that must succeed and be a cache `MISS` or `HIT` as told; the body.
#[track_caller]
fn cached(reply: Reply, x_cache: &str) -> Value {
    let reply = reply.expect(StatusCode::OK);
    assert_eq!(reply.header("x-cache"), Some(x_cache), "X-Cache; body: {}", reply.text());
    assert_eq!(reply.header("cache-control"), Some(CACHE_CONTROL));
    reply.json()
}

/// The visitor-facing titles of a public JSON page's blocks.
fn public_titles(body: &Value) -> Vec<String> {
    body["blocks"]
        .as_array()
        .unwrap_or_else(|| panic!("no blocks: {body}"))
        .iter()
        .map(|b| {
            let c = &b["config"];
            c["title"].as_str().or_else(|| c["text"].as_str()).unwrap_or_default().to_owned()
        })
        .collect()
}

/// The `/{slug}` HTML as a visitor with `user_agent` gets it.
async fn html(visitor: &Client, slug: &str, user_agent: &str) -> Reply {
    visitor.send(Call::get(&format!("/{slug}")).header("user-agent", user_agent)).await
}

/// A published page `slug` titled `title`, with a shown link, a disabled one, one not yet
/// visible, one expired, a header and a lead form. (ana, page id)
async fn showcase(app: &TestApp, slug: &str) -> (Client, String) {
    let ana = owner(app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, slug).await);
    let now = app.now();
    add_block(&ana, &page_id, "HEADER", header("Work with me")).await;
    add_block(&ana, &page_id, "LINK", link("Book a discovery call")).await;
    add_block_with(
        &ana,
        &page_id,
        json!({"type": "LINK", "config": link("Hidden disabled offer"), "enabled": false}),
    )
    .await;
    add_block_with(
        &ana,
        &page_id,
        json!({"type": "LINK", "config": link("Future webinar seat"), "visibleFrom": hours_from(now, 1)}),
    )
    .await;
    add_block_with(
        &ana,
        &page_id,
        json!({"type": "LINK", "config": link("Expired early bird"), "visibleFrom": hours_from(now, -48),
               "visibleUntil": hours_from(now, -1)}),
    )
    .await;
    add_block_with(
        &ana,
        &page_id,
        json!({"type": "LINK", "config": link("Spring promo now on"), "visibleFrom": hours_from(now, -1),
               "visibleUntil": hours_from(now, 24)}),
    )
    .await;
    add_block(&ana, &page_id, "LEAD_CAPTURE", lead_form("Weekly letter")).await;
    publish(&ana, &page_id).await;
    (ana, page_id)
}

#[tokio::test]
async fn a_published_page_shows_its_visible_blocks_in_order() {
    let app = TestApp::start().await;
    let (ana, page_id) = showcase(&app, "ana-coach").await;
    patch_page(&ana, &page_id, json!({"title": "Ana Perez Coaching", "bio": "Leadership coach."})).await;
    let editor_view = get_page(&ana, &page_id).await;

    let visitor = app.client();
    let body = cached(read(&visitor, "ana-coach").await, "MISS");
    assert_eq!(keys(&body), sorted(&["page", "blocks"]));
    assert_eq!(
        body["page"],
        json!({
            "id": page_id, "slug": "ana-coach", "title": "Ana Perez Coaching", "bio": "Leadership coach.",
            "theme": editor_view["theme"], "avatarUrl": null, "updatedAt": editor_view["updatedAt"],
            "branding": true,
        })
    );
    assert_eq!(
        public_titles(&body),
        ["Work with me", "Book a discovery call", "Spring promo now on", "Weekly letter"]
    );
    for block in body["blocks"].as_array().unwrap() {
        assert_eq!(keys(block), sorted(&["id", "type", "config"]), "visitors get no editor fields: {block}");
        let in_editor =
            editor_view["blocks"].as_array().unwrap().iter().find(|b| b["id"] == block["id"]).unwrap();
        assert_eq!((&block["type"], &block["config"]), (&in_editor["type"], &in_editor["config"]));
    }

    // Anyone may read it, signed in or not: the owner's session changes nothing.
    assert_eq!(cached(read(&ana, "ana-coach").await, "HIT"), body);
}

#[tokio::test]
async fn unknown_unpublished_and_reserved_slugs_are_404() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    create_page(&ana, "ana-draft").await;
    let visitor = app.client();
    for slug in ["nobody-here", "ana-draft", "admin", "pricing", "api", "www", "Ana-Draft"] {
        let reply = read(&visitor, slug).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{slug}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "not_found", "{slug}");
    }
    for slug in ["nobody-here", "ana-draft", "www", "mibio"] {
        let reply = html(&visitor, slug, SAFARI_UA).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "/{slug}: {}", reply.text());
        assert!(reply.header("content-type").unwrap_or_default().starts_with("text/html"), "/{slug}");
        assert!(!reply.text().contains("Page ana-draft"), "/{slug} leaks the draft");
    }
}

#[tokio::test]
async fn public_reads_are_cached_and_every_write_shows_at_once() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    let a = add_block(&ana, &page_id, "LINK", link("First link")).await;
    publish(&ana, &page_id).await;
    let visitor = app.client();

    let body = cached(read(&visitor, "ana-coach").await, "MISS");
    assert_eq!(public_titles(&body), ["First link"]);
    assert_eq!(cached(read(&visitor, "ana-coach").await, "HIT"), body);
    assert_eq!(cached(read(&app.client(), "ana-coach").await, "HIT"), body);

    // Each write: the next read misses and shows it; the one after hits again.
    patch_page(&ana, &page_id, json!({"title": "New title"})).await;
    let body = cached(read(&visitor, "ana-coach").await, "MISS");
    assert_eq!(body["page"]["title"], "New title");
    cached(read(&visitor, "ana-coach").await, "HIT");

    let b = add_block(&ana, &page_id, "LINK", link("Second link")).await;
    let body = cached(read(&visitor, "ana-coach").await, "MISS");
    assert_eq!(public_titles(&body), ["First link", "Second link"]);
    cached(read(&visitor, "ana-coach").await, "HIT");

    patch_block(&ana, &page_id, &id(&a), json!({"config": link("First link, renamed")})).await;
    let body = cached(read(&visitor, "ana-coach").await, "MISS");
    assert_eq!(public_titles(&body), ["First link, renamed", "Second link"]);

    patch_block(&ana, &page_id, &id(&b), json!({"afterBlockId": null})).await;
    let body = cached(read(&visitor, "ana-coach").await, "MISS");
    assert_eq!(public_titles(&body), ["Second link", "First link, renamed"]);

    patch_block(&ana, &page_id, &id(&b), json!({"enabled": false})).await;
    let body = cached(read(&visitor, "ana-coach").await, "MISS");
    assert_eq!(public_titles(&body), ["First link, renamed"]);

    ana.delete(&block_path(&page_id, &id(&a))).await.expect(StatusCode::NO_CONTENT);
    let body = cached(read(&visitor, "ana-coach").await, "MISS");
    assert_eq!(body["blocks"], json!([]));
    cached(read(&visitor, "ana-coach").await, "HIT");

    // The HTML page follows the same writes.
    patch_page(&ana, &page_id, json!({"title": "Title for the HTML"})).await;
    let page = html(&visitor, "ana-coach", SAFARI_UA).await.expect(StatusCode::OK).text();
    assert!(page.contains("Title for the HTML"), "the HTML shows the edit");

    unpublish(&ana, &page_id).await;
    read(&visitor, "ana-coach").await.expect_error(StatusCode::NOT_FOUND, "not_found");
    html(&visitor, "ana-coach", SAFARI_UA).await.expect(StatusCode::NOT_FOUND);
    publish(&ana, &page_id).await;
    cached(read(&visitor, "ana-coach").await, "MISS");

    patch_page(&ana, &page_id, json!({"slug": "ana-renamed"})).await;
    read(&visitor, "ana-coach").await.expect_error(StatusCode::NOT_FOUND, "not_found");
    html(&visitor, "ana-coach", SAFARI_UA).await.expect(StatusCode::NOT_FOUND);
    let body = cached(read(&visitor, "ana-renamed").await, "MISS");
    assert_eq!(body["page"]["slug"], "ana-renamed");

    ana.delete(&page_path(&page_id)).await.expect(StatusCode::NO_CONTENT);
    read(&visitor, "ana-renamed").await.expect_error(StatusCode::NOT_FOUND, "not_found");
    html(&visitor, "ana-renamed", SAFARI_UA).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_profile_page_is_server_rendered_with_social_tags_and_a_strict_csp() {
    let app = TestApp::start().await;
    let (ana, page_id) = showcase(&app, "ana-coach").await;
    patch_page(
        &ana,
        &page_id,
        json!({"title": "Ana Perez Coaching", "bio": "Leadership coach for calm teams."}),
    )
    .await;
    let form_block = get_page(&ana, &page_id).await["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "LEAD_CAPTURE")
        .cloned()
        .unwrap();

    let reply = html(&app.client(), "ana-coach", SAFARI_UA).await.expect(StatusCode::OK);
    assert!(reply.header("content-type").unwrap_or_default().starts_with("text/html"));
    let page = reply.text();

    // One heading: the title.
    assert_eq!(page.matches("<h1").count(), 1, "exactly one <h1>");
    let h1 = page.split("<h1").nth(1).unwrap().split("</h1>").next().unwrap();
    assert!(h1.contains("Ana Perez Coaching"), "h1: {h1}");
    assert!(page.contains("Leadership coach for calm teams."));

    // Social and SEO tags, with absolute URLs.
    assert_eq!(meta_content(&page, "og:title").as_deref(), Some("Ana Perez Coaching"));
    assert!(meta_content(&page, "og:description").is_some(), "og:description");
    assert_eq!(
        meta_content(&page, "og:image").as_deref(),
        Some(format!("{ORIGIN_URL}/ana-coach/opengraph-image").as_str())
    );
    assert_eq!(meta_content(&page, "og:url").as_deref(), Some(format!("{ORIGIN_URL}/ana-coach").as_str()));
    assert_eq!(meta_content(&page, "twitter:card").as_deref(), Some("summary_large_image"));
    assert!(page.contains("<link rel=\"canonical\""), "a canonical link");

    // No WebAssembly app: plain HTML.
    assert!(!page.contains("/pkg/"), "the profile page must not load the WASM bundle");

    // Only visible blocks are there.
    for shown in ["Work with me", "Book a discovery call", "Spring promo now on", "Weekly letter"] {
        assert!(page.contains(shown), "{shown} should be on the page");
    }
    for hidden in ["Hidden disabled offer", "Future webinar seat", "Expired early bird"] {
        assert!(!page.contains(hidden), "{hidden} must not be on the page");
    }

    // Outbound links do not hand the page to the target.
    let outbound: Vec<String> =
        anchors(&page).into_iter().filter(|a| a.contains("href=\"https://example.com/")).collect();
    assert!(!outbound.is_empty(), "the link blocks are anchors");
    for anchor in outbound {
        assert!(anchor.contains("rel=\"noopener noreferrer\""), "<a {anchor}>");
    }

    // The lead form works without JavaScript.
    assert!(page.contains("action=\"/ana-coach/leads\""), "the form posts to /ana-coach/leads");
    assert!(page.contains(form_block["id"].as_str().unwrap()), "the form names its block");

    // Inline scripts are allowed by hash only.
    let csp = reply.header("content-security-policy").expect("a CSP header");
    let script_src = csp_directive(csp, "script-src").unwrap_or_else(|| panic!("no script-src in {csp}"));
    assert!(script_src.contains("'sha256-"), "{script_src}");
    assert!(!script_src.contains("'unsafe-inline'"), "{script_src}");
}

#[tokio::test]
async fn hostile_titles_and_bios_are_escaped() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    let title = "<script>alert(1)</script>";
    let bio = "\"><img src=x onerror=alert(1)>";
    add_block(
        &ana,
        &page_id,
        "LINK",
        json!({"url": "https://example.com/x", "title": "</a><script>alert(2)</script>"}),
    )
    .await;
    patch_page(&ana, &page_id, json!({"title": title, "bio": bio, "published": true})).await;

    let page = html(&app.client(), "ana-coach", SAFARI_UA).await.expect(StatusCode::OK).text();
    assert!(!page.contains("<script>alert(1)</script>"), "the title is markup-escaped");
    assert!(!page.contains("<script>alert(2)</script>"), "block titles are markup-escaped");
    assert!(!page.contains("<img src=x onerror=alert(1)>"), "the bio is markup-escaped");
    assert!(!page.contains("\"><img"), "the bio cannot close an attribute");
    assert!(page.contains("&lt;script"), "the title is shown as text");
    assert!(page.contains("&lt;img src=x onerror=alert(1)"), "the bio is shown as text");

    // The JSON carries the text as typed. (The HTML read above may have filled the cache.)
    let body = read(&app.client(), "ana-coach").await.expect(StatusCode::OK).json();
    assert_eq!((body["page"]["title"].as_str(), body["page"]["bio"].as_str()), (Some(title), Some(bio)));
}

/// `/{slug}` as a Safari visitor asking for `encoding`, speaking `language`.
async fn html_as(visitor: &Client, slug: &str, encoding: &str, language: &str) -> Reply {
    let call = Call::get(&format!("/{slug}"))
        .header("user-agent", SAFARI_UA)
        .header("accept-encoding", encoding)
        .header("accept-language", language);
    visitor.send(call).await.expect(StatusCode::OK)
}

/// The HTML inside `reply`, decoded from its `Content-Encoding`.
fn decoded(reply: &Reply) -> String {
    use std::io::Read as _;
    let mut out = String::new();
    match reply.header("content-encoding") {
        Some("br") => brotli::Decompressor::new(&reply.body[..], 4096).read_to_string(&mut out),
        Some("gzip") => flate2::read::GzDecoder::new(&reply.body[..]).read_to_string(&mut out),
        None => return reply.text(),
        Some(other) => panic!("unexpected content-encoding {other}"),
    }
    .expect("the body decodes");
    out
}

#[tokio::test]
async fn the_profile_page_is_sent_compressed_revalidates_and_follows_edits_and_windows() {
    let app = TestApp::start().await;
    let (ana, page_id) = showcase(&app, "ana-coach").await;
    let visitor = app.client();

    // Brotli, gzip or plain, as the visitor accepts: the same page every time.
    let br = html_as(&visitor, "ana-coach", "gzip, deflate, br", "en").await;
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.header("x-cache"), Some("MISS"));
    let gzip = html_as(&visitor, "ana-coach", "gzip", "en").await;
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    let plain = html_as(&visitor, "ana-coach", "identity", "en").await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.header("x-cache"), Some("HIT"));
    let page = plain.text();
    assert_eq!(decoded(&br), page);
    assert_eq!(decoded(&gzip), page);
    assert!(page.contains("Book a discovery call") && !page.contains("Future webinar seat"));
    assert!(br.body.len() < page.len() / 2, "brotli: {} of {} bytes", br.body.len(), page.len());
    for reply in [&br, &gzip, &plain] {
        assert_eq!(reply.header("vary"), Some("Accept-Encoding, Accept-Language, Cookie, User-Agent"));
        assert_eq!(reply.header("cache-control"), Some(CACHE_CONTROL));
        assert!(
            reply.header("content-security-policy").is_some_and(|csp| csp.contains("script-src 'sha256-"))
        );
    }

    // A visitor holding the page revalidates it for free.
    let etag = plain.header("etag").expect("an ETag").to_owned();
    assert_eq!(br.header("etag"), Some(etag.as_str()), "one validator for every encoding");
    let call = Call::get("/ana-coach").header("if-none-match", &etag).header("accept-language", "en");
    let not_modified = visitor.send(call).await.expect(StatusCode::NOT_MODIFIED);
    assert!(not_modified.body.is_empty());
    assert_eq!(not_modified.header("etag"), Some(etag.as_str()));

    // Each language has its own render.
    let spanish = html_as(&visitor, "ana-coach", "br", "es").await;
    assert!(decoded(&spanish).contains("<html lang=\"es\""), "Spanish visitors get the Spanish page");
    assert!(page.contains("<html lang=\"en\""));
    assert_ne!(spanish.header("etag"), Some(etag.as_str()));

    // An edit: a new page and a new validator; the old one no longer matches.
    patch_page(&ana, &page_id, json!({"title": "Ana, renewed"})).await;
    let call = Call::get("/ana-coach").header("if-none-match", &etag).header("accept-language", "en");
    let edited = visitor.send(call).await.expect(StatusCode::OK);
    assert!(edited.text().contains("Ana, renewed"));
    assert_ne!(edited.header("etag"), Some(etag.as_str()));

    // Time alone opens a block's window: no write, and still the page shows it.
    app.clock.advance(chrono::Duration::hours(2));
    let later = html_as(&visitor, "ana-coach", "identity", "en").await;
    assert_eq!(later.header("x-cache"), Some("HIT"), "the page itself did not change");
    assert!(later.text().contains("Future webinar seat"), "the block's window opened");
}

#[tokio::test]
async fn instagrams_in_app_browser_gets_the_open_in_your_browser_hint() {
    let app = TestApp::start().await;
    let (_ana, _page_id) = showcase(&app, "ana-coach").await;
    let hint = |page: &str| page.contains("Open in your browser") || page.contains("Abrir en el navegador");

    let inside_instagram = html(&app.client(), "ana-coach", INSTAGRAM_UA).await.expect(StatusCode::OK).text();
    assert!(hint(&inside_instagram), "Instagram's in-app browser gets the hint");
    let safari = html(&app.client(), "ana-coach", SAFARI_UA).await.expect(StatusCode::OK).text();
    assert!(!hint(&safari), "a normal browser does not");
}

#[tokio::test]
async fn the_in_app_hint_follows_its_feature_flag_per_organization() {
    let app = TestApp::with_env(&[("PLATFORM_ADMIN_EMAILS", "root@example.com")]).await;
    let (admin, _) = app.user("root@example.com").await;
    let (ana, _) = showcase(&app, "ana-coach").await;
    let ana_org = ana.session().await.json()["organization"]["id"].as_str().unwrap().to_owned();
    let bea = owner(&app, "bea@example.com", "org-bea").await;
    let bea_page = id(&create_page(&bea, "bea-coach").await);
    publish(&bea, &bea_page).await;
    let hint = |page: &str| page.contains("Open in your browser") || page.contains("Abrir en el navegador");
    let inside_instagram =
        async |slug: &str| html(&app.client(), slug, INSTAGRAM_UA).await.expect(StatusCode::OK).text();
    assert!(hint(&inside_instagram("ana-coach").await), "on by default (and now rendered and cached)");

    // Off for Ana's organization only: her page drops the hint at once, Bea's keeps it.
    let off_for_ana = json!({"enabled": true, "rolloutPercentage": 100, "environments": [],
        "overrides": [{"subjectKind": "organization", "subjectId": ana_org, "enabled": false}]});
    let put = Call::new(axum::http::Method::PUT, "/api/v1/platform/feature-flags/in-app-browser-hint")
        .json(&off_for_ana);
    admin.send(put).await.expect(StatusCode::OK);
    assert!(!hint(&inside_instagram("ana-coach").await), "the flag is off for Ana's organization");
    assert!(hint(&inside_instagram("bea-coach").await));
}

#[tokio::test]
async fn public_endpoints_need_no_session_and_no_origin() {
    let app = TestApp::start().await;
    let (_ana, _page_id) = showcase(&app, "ana-coach").await;
    let visitor = app.client();
    visitor.send(Call::get(&public_path("ana-coach")).without_origin()).await.expect(StatusCode::OK);
    visitor.send(Call::get("/ana-coach").without_origin()).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn the_editor_preview_links_the_public_stylesheet_by_its_fingerprint() {
    let app = TestApp::start().await;
    let visitor = app.client();
    let href = app::public::public_css_href();

    let css = visitor.get(&href).await.expect(StatusCode::OK);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(css.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert_eq!(css.text(), app::public::PUBLIC_CSS, "the same rules the public page inlines");

    // Another fingerprint (a stale or made-up name) is not this stylesheet.
    for stale in ["/static/profile.0000000000000000.css", "/static/profile.css", "/static/..%2fCargo.toml"] {
        visitor.get(stale).await.expect(StatusCode::NOT_FOUND);
    }
}
