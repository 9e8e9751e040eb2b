//! Every response that is streamed or compressed works whatever the client accepts: `gzip` and
//! `br` (which every browser sends) and `identity`. Each test asks each route in the three ways,
//! reads the whole body, decodes it as `Content-Encoding` says and checks what it holds — the
//! streamed CSV export (2 000 leads: four batches of 500 and the end), the public page `/{slug}`
//! (precompressed by the host), JSON lists, the OpenGraph cards, the server-rendered app pages
//! and static files.
//!
//! The CSV export used to panic under compression ("Unfold must not be polled after it returned
//! `Poll::Ready(None)`"): the compression layer polls a body once more after its end, and the
//! stream was not fused. The router runs in the test's own task, so such a panic fails the test.

use crate::common;
use crate::common::links;

use std::collections::BTreeSet;
use std::io::Read as _;

use axum::http::StatusCode;
use common::app::{Call, Client, Reply, TestApp};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::Value;

/// What the client sends as `Accept-Encoding`, and the `Content-Encoding` a compressible answer
/// must then carry (`None`: sent as it is).
const ENCODINGS: [(&str, Option<&str>); 3] = [("gzip", Some("gzip")), ("br", Some("br")), ("identity", None)];

/// `GET path` as `client`, accepting `encoding`.
async fn get_as(client: &Client, path: &str, encoding: &str) -> Reply {
    client.send(Call::get(path).header("accept-encoding", encoding)).await
}

/// The body as sent, decoded as its `Content-Encoding` says.
pub(crate) fn decoded(reply: &Reply) -> Vec<u8> {
    let mut out = Vec::new();
    match reply.header("content-encoding") {
        Some("br") => brotli::Decompressor::new(&reply.body[..], 4096).read_to_end(&mut out),
        Some("gzip") => flate2::read::GzDecoder::new(&reply.body[..]).read_to_end(&mut out),
        None => {
            out.extend_from_slice(&reply.body);
            Ok(out.len())
        }
        Some(other) => panic!("unexpected Content-Encoding {other}"),
    }
    .unwrap_or_else(|e| panic!("the body does not decode as {:?}: {e}", reply.header("content-encoding")));
    out
}

/// Asks `path` with each encoding; asserts 200 and the encoding a compressible answer must carry;
/// the decoded bodies, in the order of [`ENCODINGS`].
async fn in_every_encoding(client: &Client, path: &str, compressible: bool) -> Vec<Vec<u8>> {
    let mut bodies = Vec::new();
    for (accept, expected) in ENCODINGS {
        let reply = get_as(client, path, accept).await;
        assert_eq!(reply.status, StatusCode::OK, "GET {path} accepting {accept}: {}", reply.text());
        let expected = if compressible { expected } else { None };
        assert_eq!(reply.header("content-encoding"), expected, "GET {path} accepting {accept}");
        bodies.push(decoded(&reply));
    }
    bodies
}

/// The decoded bodies of `path` asked with each encoding (any status, always compressed).
async fn in_every_encoding_any_status(client: &Client, path: &str) -> Vec<Vec<u8>> {
    let mut bodies = Vec::new();
    for (accept, expected) in ENCODINGS {
        let reply = get_as(client, path, accept).await;
        assert!(
            reply.status.is_success() || reply.status == StatusCode::NOT_FOUND,
            "GET {path}: {}",
            reply.status
        );
        assert_eq!(reply.header("content-encoding"), expected, "GET {path} accepting {accept}");
        bodies.push(decoded(&reply));
    }
    bodies
}

/// Like [`in_every_encoding`], for answers that do not change between requests: asserts that
/// every decoded body is the same; that body.
async fn same_in_every_encoding(client: &Client, path: &str, compressible: bool) -> Vec<u8> {
    let mut bodies = in_every_encoding(client, path, compressible).await;
    for (body, (accept, _)) in bodies.iter().zip(ENCODINGS).skip(1) {
        assert!(*body == bodies[0], "GET {path}: the body accepting {accept} differs from gzip's");
    }
    bodies.swap_remove(0)
}

/// Ana owning a published page `ana-coach` with a lead form; (app, ana, page id, block id).
async fn setup() -> (TestApp, Client, String, String) {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let (page_id, block_id) = published_with_form(&ana, "ana-coach", lead_form("Weekly letter")).await;
    add_block(&ana, &page_id, "LINK", link("Book a call")).await;
    (app, ana, page_id, block_id)
}

#[tokio::test]
async fn the_csv_export_streams_every_lead_in_every_encoding() {
    let (app, ana, page_id, block_id) = setup().await;
    crate::links_leads::insert_leads(&app, &page_id, &block_id, 2000).await;

    for (accept, expected) in ENCODINGS {
        let reply = get_as(&ana, &export_path(&page_id), accept).await;
        assert_eq!(reply.status, StatusCode::OK, "accepting {accept}: {}", reply.text());
        assert_eq!(reply.header("content-encoding"), expected, "accepting {accept}");
        assert_eq!(reply.header("content-type"), Some("text/csv; charset=utf-8"));
        let csv = decoded(&reply);
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&csv[..]);
        let records: Vec<csv::StringRecord> =
            reader.records().collect::<Result<_, _>>().unwrap_or_else(|e| panic!("{accept}: not CSV: {e}"));
        assert_eq!(records.len(), 2001, "accepting {accept}: a header and 2 000 rows");
        assert_eq!(&records[0], &csv::StringRecord::from(vec!["email", "name", "created_at", "block_id"]));
        let emails: BTreeSet<&str> = records[1..].iter().map(|r| &r[0]).collect();
        assert_eq!(emails.len(), 2000, "accepting {accept}: every lead exactly once");
        for n in 1..=2000 {
            assert!(emails.contains(format!("bulk{n}@example.com").as_str()), "{accept}: bulk{n} is missing");
        }
        assert!(records[1..].iter().all(|r| r[3] == *block_id), "{accept}: every row names the form");
    }
}

#[tokio::test]
async fn the_csv_export_of_a_page_without_leads_is_its_header_in_every_encoding() {
    let (_app, ana, page_id, _) = setup().await;
    let csv = same_in_every_encoding(&ana, &export_path(&page_id), true).await;
    assert_eq!(String::from_utf8(csv).unwrap().trim_end(), "email,name,created_at,block_id");
}

#[tokio::test]
async fn the_public_page_reads_the_same_in_every_encoding() {
    let (app, _ana, _, _) = setup().await;
    let visitor = app.client();
    let html = String::from_utf8(same_in_every_encoding(&visitor, "/ana-coach", true).await).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"), "{html}");
    assert!(html.contains("Book a call") && html.contains("Weekly letter"), "{html}");
    // Its JSON twin, compressed per request.
    let json = same_in_every_encoding(&visitor, &public_path("ana-coach"), true).await;
    let page: Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(page["page"]["slug"], "ana-coach");
}

#[tokio::test]
async fn json_lists_read_the_same_in_every_encoding() {
    let (app, ana, page_id, block_id) = setup().await;
    crate::links_leads::insert_leads(&app, &page_id, &block_id, 150).await;
    for (path, field, at_least) in [
        (PAGES.to_owned(), "items", 1),
        (TEMPLATES.to_owned(), "items", 4),
        (format!("{}?limit=100", leads_path(&page_id)), "items", 100),
        ("/api/v1/organizations".to_owned(), "items", 1),
        (format!("/api/v1/links/pages/{page_id}/analytics?range=30d"), "series", 30),
    ] {
        let body = same_in_every_encoding(&ana, &path, true).await;
        let value: Value = serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{path}: {e}"));
        let items = value[field].as_array().unwrap_or_else(|| panic!("{path}: no {field} in {value}"));
        assert!(items.len() >= at_least, "{path}: {} {field}", items.len());
    }
}

#[tokio::test]
async fn opengraph_cards_arrive_whole_in_every_encoding() {
    let (app, _ana, _, _) = setup().await;
    let visitor = app.client();
    for path in ["/ana-coach/opengraph-image", "/opengraph-image?lang=es"] {
        // A PNG is already compressed: sent as it is whatever the client accepts.
        let png = same_in_every_encoding(&visitor, path, false).await;
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{path}: not a PNG");
        let image = image::load_from_memory(&png).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!((image.width(), image.height()), (1200, 630), "{path}");
    }
}

#[tokio::test]
async fn app_pages_and_static_files_read_the_same_in_every_encoding() {
    let (app, ana, _, _) = setup().await;
    let anonymous = app.client();
    // Rendered anew for each request (each with its own CSP nonce): whole, with what they show.
    for (client, path, marker) in [
        (&anonymous, "/", "id=\"hero-heading\""),
        (&anonymous, "/signin", "id=\"auth-title\""),
        (&anonymous, "/no/such/page", "not-found-code"),
        (&ana, "/dashboard", "data-testid=\"org-name\""),
        (&ana, "/dashboard/pages", "<h1"),
    ] {
        for (html, (accept, _)) in in_every_encoding_any_status(client, path).await.into_iter().zip(ENCODINGS)
        {
            let html = String::from_utf8(html).unwrap();
            assert!(html.contains(marker), "{path} ({accept}): {html}");
            // The whole document arrived (a streamed page sends resolved parts after `</body>`).
            let tail = &html[html.len().saturating_sub(300)..];
            assert!(html.contains("</body>") && tail.trim_end().ends_with('>'), "{path} ({accept}): …{tail}");
        }
    }
    let svg = same_in_every_encoding(&anonymous, "/static/templates/wellness.svg", true).await;
    assert!(String::from_utf8(svg).unwrap().trim_end().ends_with("</svg>"));
}
