//! OpenGraph cards over HTTP (issue #5): `GET /{slug}/opengraph-image` is a 1200×630 PNG for a
//! published page and the 404 page otherwise; it is cached under an ETag that changes with every
//! edit (`304` on `If-None-Match`); `/{slug}` and `/` point crawlers at their cards by absolute URL;
//! `GET /opengraph-image` is mibio's own card in the visitor's (or `?lang=`) language.

use crate::common;
use crate::common::links;

use axum::http::StatusCode;
use chrono::TimeDelta;
use common::app::{Call, Client, ORIGIN_URL, Reply, TestApp};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::json;

const CARD_CACHE: &str = "public, max-age=3600, stale-while-revalidate=86400";

fn card_path(slug: &str) -> String {
    format!("/{slug}/opengraph-image")
}

/// Asserts a card answer: `200 image/png`, exactly 1200×630, cached for an hour under a strong
/// ETag; the ETag.
#[track_caller]
fn assert_card(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::OK, "body: {}", reply.text());
    assert_eq!(reply.header("content-type"), Some("image/png"));
    assert_eq!(reply.header("cache-control"), Some(CARD_CACHE));
    let png = image::load_from_memory_with_format(&reply.body, image::ImageFormat::Png).expect("a PNG");
    assert_eq!((png.width(), png.height()), (1200, 630));
    let etag = reply.header("etag").expect("an ETag").to_owned();
    assert!(etag.starts_with("\"og-") && etag.ends_with('"'), "a strong ETag: {etag}");
    etag
}

/// A published page `slug` with a title and a bio (page id, owner).
async fn published(app: &TestApp, slug: &str) -> (String, Client) {
    let ana = owner(app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, slug).await);
    patch_page(
        &ana,
        &page_id,
        json!({"title": "Ana María Núñez", "bio": "Coach ejecutiva 🌟 Liderazgo, negociación y café ☕️"}),
    )
    .await;
    publish(&ana, &page_id).await;
    (page_id, ana)
}

async fn fetch_if_none_match(visitor: &Client, path: &str, etag: &str) -> Reply {
    visitor.send(Call::get(path).header("if-none-match", etag)).await
}

#[tokio::test]
async fn a_published_page_has_a_card_cached_under_its_etag() {
    let app = TestApp::start().await;
    let (page_id, _) = published(&app, "ana-coach").await;
    let visitor = app.client();

    let first = visitor.get(&card_path("ana-coach")).await;
    let etag = assert_card(&first);
    assert!(etag.contains(&page_id), "the ETag names the page: {etag}");
    assert_eq!(first.header("x-cache"), Some("MISS"));
    let again = app.client().get(&card_path("ana-coach")).await;
    assert_eq!(assert_card(&again), etag);
    assert_eq!(again.header("x-cache"), Some("HIT"), "the second fetch comes from the card cache");
    assert_eq!(again.body, first.body);

    // Revalidation: the same tag (strong, weak, in a list, or `*`) is 304 with no body.
    for tag in [etag.clone(), format!("W/{etag}"), format!("\"og-other\", {etag}"), "*".to_owned()] {
        let reply = fetch_if_none_match(&visitor, &card_path("ana-coach"), &tag).await;
        assert_eq!(reply.status, StatusCode::NOT_MODIFIED, "If-None-Match: {tag}");
        assert!(reply.body.is_empty());
        assert_eq!(reply.header("etag"), Some(etag.as_str()));
        assert_eq!(reply.header("cache-control"), Some(CARD_CACHE));
    }
    let stale = fetch_if_none_match(&visitor, &card_path("ana-coach"), "\"og-something-else\"").await;
    assert_eq!(assert_card(&stale), etag);
}

#[tokio::test]
async fn every_edit_changes_the_card_and_its_etag() {
    let app = TestApp::start().await;
    let (page_id, ana) = published(&app, "ana-coach").await;
    let visitor = app.client();
    let first = visitor.get(&card_path("ana-coach")).await;
    let etag = assert_card(&first);

    // A new title, even within the same clock tick: a new card.
    patch_page(&ana, &page_id, json!({"title": "Ana Núñez · Coach"})).await;
    let renamed = fetch_if_none_match(&visitor, &card_path("ana-coach"), &etag).await;
    let renamed_etag = assert_card(&renamed);
    assert_ne!(renamed_etag, etag);
    assert_ne!(renamed.body, first.body);
    assert_eq!(renamed.header("x-cache"), Some("MISS"), "rendered anew");

    // A block write touches the page's `updated_at`: the version moves on.
    app.clock.advance(TimeDelta::minutes(1));
    add_block(&ana, &page_id, "LINK", link("Book a call")).await;
    let touched = fetch_if_none_match(&visitor, &card_path("ana-coach"), &renamed_etag).await;
    assert_ne!(assert_card(&touched), renamed_etag);

    // A new theme changes the picture.
    app.clock.advance(TimeDelta::minutes(1));
    patch_page(&ana, &page_id, json!({"theme": {"preset": "wellness"}})).await;
    let themed = visitor.get(&card_path("ana-coach")).await;
    assert_card(&themed);
    assert_ne!(themed.body, touched.body);
}

#[tokio::test]
async fn unknown_unpublished_and_reserved_slugs_have_no_card() {
    let app = TestApp::start().await;
    let (page_id, ana) = published(&app, "ana-coach").await;
    create_page(&ana, "ana-draft").await;
    let visitor = app.client();
    for slug in ["nobody-here", "ana-draft", "admin", "www", "x"] {
        let reply = visitor.get(&card_path(slug)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{slug}: {}", reply.text());
        assert!(reply.header("content-type").unwrap_or_default().starts_with("text/html"), "{slug}");
        assert!(reply.header("etag").is_none());
    }
    unpublish(&ana, &page_id).await;
    visitor.get(&card_path("ana-coach")).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_profile_page_points_crawlers_at_its_card() {
    let app = TestApp::start().await;
    published(&app, "ana-coach").await;
    let html = app.client().get("/ana-coach").await.expect(StatusCode::OK).text();
    let image = format!("{ORIGIN_URL}/ana-coach/opengraph-image");
    assert_eq!(meta_content(&html, "og:image").as_deref(), Some(image.as_str()));
    assert_eq!(meta_content(&html, "twitter:image").as_deref(), Some(image.as_str()));
    assert_eq!(meta_content(&html, "og:image:width").as_deref(), Some("1200"));
    assert_eq!(meta_content(&html, "og:image:height").as_deref(), Some("630"));
    assert!(meta_content(&html, "og:image:alt").is_some_and(|alt| alt.contains("Ana María Núñez")));
    assert_eq!(meta_content(&html, "twitter:card").as_deref(), Some("summary_large_image"));
}

#[tokio::test]
async fn the_landing_page_has_its_own_card_in_each_language() {
    let app = TestApp::start().await;
    let visitor = app.client();

    let es = visitor.get("/opengraph-image?lang=es").await;
    let en = visitor.get("/opengraph-image?lang=en").await;
    let (es_tag, en_tag) = (assert_card(&es), assert_card(&en));
    assert_ne!(es_tag, en_tag, "the tagline is in the card's language");
    assert_ne!(es.body, en.body);
    let reply = fetch_if_none_match(&visitor, "/opengraph-image?lang=en", &en_tag).await;
    assert_eq!(reply.status, StatusCode::NOT_MODIFIED);

    // Without `?lang=`, the request's language decides, and caches are told so.
    let negotiated =
        visitor.send(Call::get("/opengraph-image").header("accept-language", "en-US,en;q=0.9")).await;
    assert_eq!(assert_card(&negotiated), en_tag);
    assert_eq!(negotiated.header("vary"), Some("Accept-Language, Cookie"));
    assert_eq!(assert_card(&visitor.get("/opengraph-image").await), es_tag, "Spanish by default");

    for (accept, lang) in [("es", "es"), ("en", "en")] {
        let html = visitor
            .send(Call::get("/").header("accept-language", accept))
            .await
            .expect(StatusCode::OK)
            .text();
        let image = format!("{ORIGIN_URL}/opengraph-image?lang={lang}");
        assert_eq!(meta_content(&html, "og:image").as_deref(), Some(image.as_str()), "{html}");
        assert_eq!(meta_content(&html, "twitter:image").as_deref(), Some(image.as_str()));
        assert_eq!(meta_content(&html, "og:image:width").as_deref(), Some("1200"));
        assert_eq!(meta_content(&html, "og:image:height").as_deref(), Some("630"));
        assert!(meta_content(&html, "og:image:alt").is_some_and(|alt| alt.starts_with("mibio")));
        assert_eq!(meta_content(&html, "og:url").as_deref(), Some(format!("{ORIGIN_URL}/").as_str()));
        assert!(meta_content(&html, "og:title").is_some_and(|t| t.starts_with("mibio")));
    }
}
