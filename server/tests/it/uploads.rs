//! Uploads (docs/http-api.md, "Me" and "Links"): `POST /api/v1/me/avatar`,
//! `POST /api/v1/links/pages/{id}/avatar` and `…/images`, as browsers send them
//! (`multipart/form-data`, the file in a field named `file`), good and hostile, and where the
//! pictures then show: `/api/v1/me`, the public page and its JSON, the OpenGraph card.

use crate::common;

use std::io::Cursor;

use axum::http::StatusCode;
use common::app::{Call, Client, Reply, TestApp};
use common::links::{PAGES, add_block, create_page, id, member, owner, public_path, publish};
use image::{DynamicImage, ImageFormat, RgbImage};
use pretty_assertions::assert_eq;
use serde_json::json;

/// A camera's JPEG: 320×240 with Exif holding a GPS position whose processing method is this text.
const CAMERA_JPEG: &[u8] = include_bytes!("fixtures/camera-with-gps.jpg");
const GPS_SECRET: &[u8] = b"MIBIO-SECRET-PLACE";
const BOUNDARY: &str = "----mibioTestBoundary7MA4YWxkTrZu0gW";

/// A `multipart/form-data` body as a browser's `FormData` makes it: each part `(field, file name,
/// content type, bytes)`.
fn form(parts: &[(&str, &str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (field, filename, content_type, bytes) in parts {
        body.extend(format!("--{BOUNDARY}\r\n").as_bytes());
        body.extend(
            format!("Content-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n")
                .as_bytes(),
        );
        body.extend(format!("Content-Type: {content_type}\r\n\r\n").as_bytes());
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// `POST path` with `bytes` as the `file` field, its length announced as browsers do.
async fn upload(client: &Client, path: &str, content_type: &str, bytes: &[u8]) -> Reply {
    let body = form(&[("file", "picture", content_type, bytes)]);
    let len = body.len().to_string();
    client
        .send(
            Call::post(path)
                .body(&format!("multipart/form-data; boundary={BOUNDARY}"), body)
                .header("content-length", &len),
        )
        .await
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 251) as u8, (y % 241) as u8, 120]));
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(image).write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The path part of a media URL (`http://127.0.0.1:3000/media/…` → `/media/…`).
fn media_path(url: &str) -> String {
    let at = url.find("/media/").unwrap_or_else(|| panic!("not a media URL: {url}"));
    url[at..].to_owned()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_users_avatar_is_uploaded_served_immutable_and_removed() {
    let app = TestApp::start().await;
    let (ana, _) = app.user("ana@example.com").await;

    let reply =
        upload(&ana, "/api/v1/me/avatar", "image/jpeg", CAMERA_JPEG).await.expect(StatusCode::CREATED);
    let url = reply.json()["avatarUrl"].as_str().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:3000/media/avatars/"), "{url}");
    assert_eq!(ana.get("/api/v1/me").await.expect(StatusCode::OK).json()["avatarUrl"], url.as_str());

    // A visitor's browser loads it: re-encoded, without the camera's Exif and GPS position.
    let picture = app.client().get(&media_path(&url)).await.expect(StatusCode::OK);
    assert_eq!(picture.header("content-type"), Some("image/jpeg"));
    assert_eq!(picture.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert!(contains(CAMERA_JPEG, GPS_SECRET) && contains(CAMERA_JPEG, b"Exif\0\0"));
    assert!(!contains(&picture.body, GPS_SECRET), "the GPS position was stored");
    assert!(!contains(&picture.body, b"Exif"), "Exif was stored");
    let decoded = image::load_from_memory(&picture.body).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (320, 240));

    ana.delete("/api/v1/me/avatar").await.expect(StatusCode::NO_CONTENT);
    assert_eq!(ana.get("/api/v1/me").await.expect(StatusCode::OK).json()["avatarUrl"], json!(null));
    app.client().get(&media_path(&url)).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn hostile_uploads_are_refused_with_a_clear_error_and_store_nothing() {
    let app = TestApp::start().await;
    let (ana, _) = app.user("ana@example.com").await;
    let me = "/api/v1/me/avatar";

    // 20 MiB: refused from its Content-Length, before it is read.
    let huge = vec![0x42u8; 20 * 1024 * 1024];
    upload(&ana, me, "image/png", &huge)
        .await
        .expect_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    // The same without a Content-Length (chunked): refused once the limit is crossed.
    let body = form(&[("file", "big.png", "image/png", &huge)]);
    ana.send(Call::post(me).body(&format!("multipart/form-data; boundary={BOUNDARY}"), body))
        .await
        .expect_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    // Just over 5 MiB of file fits the body limit, but not the picture's.
    let over = vec![0u8; 5 * 1024 * 1024 + 1];
    upload(&ana, me, "image/png", &over)
        .await
        .expect_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");

    // A PNG signature with garbage behind it, an SVG with script, a PDF named .png: the `file`
    // field is named, whatever the part's Content-Type claims.
    let mut garbage = b"\x89PNG\r\n\x1a\n".to_vec();
    garbage.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>"#;
    for (content_type, bytes, problem) in [
        ("image/png", garbage.as_slice(), "unreadable_image"),
        ("image/svg+xml", svg.as_slice(), "not_an_image"),
        ("image/png", b"%PDF-1.7\n".as_slice(), "not_an_image"),
    ] {
        let reply = upload(&ana, me, content_type, bytes).await.expect_invalid("file");
        assert_eq!(reply.json()["error"]["problems"]["file"]["code"], problem, "{}", reply.text());
    }

    // Not multipart: 415. No file, another field, two files: 400 naming the field.
    ana.send(Call::post(me).body("image/png", png(8, 8)))
        .await
        .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    let multipart = format!("multipart/form-data; boundary={BOUNDARY}");
    ana.send(Call::post(me).body(&multipart, form(&[]))).await.expect_invalid("file");
    let small = png(8, 8);
    ana.send(Call::post(me).body(&multipart, form(&[("avatar", "a.png", "image/png", &small)])))
        .await
        .expect_invalid("avatar");
    ana.send(Call::post(me).body(
        &multipart,
        form(&[("file", "a.png", "image/png", &small), ("file", "b.png", "image/png", &small)]),
    ))
    .await
    .expect_invalid("file");
    ana.send(Call::post(me).body("multipart/form-data", form(&[("file", "a.png", "image/png", &small)])))
        .await
        .expect_error(StatusCode::BAD_REQUEST, "bad_request");

    // Without a session: 401; from another site: 403.
    upload(&app.client(), me, "image/png", &small)
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let body = form(&[("file", "a.png", "image/png", &small)]);
    ana.send(Call::post(me).without_origin().header("origin", "https://evil.example").body(&multipart, body))
        .await
        .expect(StatusCode::FORBIDDEN);

    assert_eq!(ana.get("/api/v1/me").await.expect(StatusCode::OK).json()["avatarUrl"], json!(null));
    assert_eq!(app.count("SELECT count(*) AS n FROM iam.users WHERE avatar_key IS NOT NULL").await, 0);
    // The other JSON endpoints keep their 64 KiB limit.
    let big_json = json!({"name": "x".repeat(70 * 1024)});
    ana.patch("/api/v1/me", big_json).await.expect_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
}

#[tokio::test]
async fn a_pages_avatar_shows_on_the_public_page_its_json_and_its_card() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "ana-org").await;
    let page = create_page(&ana, "ana-foto").await;
    let page_id = id(&page);
    publish(&ana, &page_id).await;
    let card_before = app.client().get("/ana-foto/opengraph-image").await.expect(StatusCode::OK);

    let reply = upload(&ana, &format!("{PAGES}/{page_id}/avatar"), "image/png", &png(900, 900))
        .await
        .expect(StatusCode::CREATED);
    let url = reply.json()["avatarUrl"].as_str().unwrap().to_owned();
    assert!(url.contains(&format!("/media/avatars/{page_id}-")), "{url}");

    // The editor's page, the public JSON and the HTML page all show it.
    let detail = ana.get(&format!("{PAGES}/{page_id}")).await.expect(StatusCode::OK).json();
    assert_eq!(detail["avatarUrl"], url.as_str());
    let public = app.client().get(&public_path("ana-foto")).await.expect(StatusCode::OK).json();
    assert_eq!(public["page"]["avatarUrl"], url.as_str());
    let html = app.client().get("/ana-foto").await.expect(StatusCode::OK).text();
    assert!(html.contains(&format!(r#"<img src="{url}" alt="" width="96" height="96""#)), "{html}");
    let picture = app.client().get(&media_path(&url)).await.expect(StatusCode::OK);
    let decoded = image::load_from_memory(&picture.body).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (512, 512));

    // The card is drawn again, with the picture (a new ETag, other pixels).
    let card = app.client().get("/ana-foto/opengraph-image").await.expect(StatusCode::OK);
    assert_ne!(card.header("etag"), card_before.header("etag"));
    assert_ne!(card.body, card_before.body);
    let card = image::load_from_memory(&card.body).unwrap();
    assert_eq!((card.width(), card.height()), (1200, 630));

    // Removed: initials again everywhere, the file gone.
    ana.delete(&format!("{PAGES}/{page_id}/avatar")).await.expect(StatusCode::NO_CONTENT);
    let html = app.client().get("/ana-foto").await.expect(StatusCode::OK).text();
    assert!(!html.contains("/media/avatars/"), "{html}");
    app.client().get(&media_path(&url)).await.expect(StatusCode::NOT_FOUND);
    let card_after = app.client().get("/ana-foto/opengraph-image").await.expect(StatusCode::OK);
    assert_eq!(card_after.body, card_before.body, "the initials card again");
}

#[tokio::test]
async fn another_organizations_page_is_not_found_and_viewers_may_not_upload() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "ana-org").await;
    let page_id = id(&create_page(&ana, "ana-privada").await);
    let bruno = owner(&app, "bruno@example.com", "bruno-org").await;
    let picture = png(32, 32);
    for path in [format!("{PAGES}/{page_id}/avatar"), format!("{PAGES}/{page_id}/images")] {
        upload(&bruno, &path, "image/png", &picture).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    }
    bruno.delete(&format!("{PAGES}/{page_id}/avatar")).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    upload(&bruno, &format!("{PAGES}/not-a-uuid/avatar"), "image/png", &picture)
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    let viewer = member(&app, &ana, "vera@example.com", "viewer").await;
    upload(&viewer, &format!("{PAGES}/{page_id}/avatar"), "image/png", &picture)
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(app.count("SELECT count(*) AS n FROM links.pages WHERE avatar_key IS NOT NULL").await, 0);
}

#[tokio::test]
async fn an_image_blocks_uploaded_picture_shows_on_the_public_page() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "ana-org").await;
    let page_id = id(&create_page(&ana, "ana-taller").await);
    publish(&ana, &page_id).await;
    let reply = upload(&ana, &format!("{PAGES}/{page_id}/images"), "image/jpeg", CAMERA_JPEG)
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!((reply["width"].as_u64(), reply["height"].as_u64()), (Some(320), Some(240)));
    let url = reply["url"].as_str().unwrap();
    assert!(url.contains(&format!("/media/images/{page_id}-")), "{url}");
    add_block(&ana, &page_id, "IMAGE", json!({"url": url, "alt": "El taller de Ana"})).await;
    let html = app.client().get("/ana-taller").await.expect(StatusCode::OK).text();
    assert!(html.contains(url), "{html}");
    app.client().get(&media_path(url)).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn with_storage_off_uploads_answer_503_and_say_why() {
    let app = TestApp::with_env(&[("STORAGE_PROVIDER", "null")]).await;
    let ana = owner(&app, "ana@example.com", "ana-org").await;
    let page_id = id(&create_page(&ana, "ana-sin").await);
    let picture = png(16, 16);
    for path in [
        "/api/v1/me/avatar".to_owned(),
        format!("{PAGES}/{page_id}/avatar"),
        format!("{PAGES}/{page_id}/images"),
    ] {
        let reply = upload(&ana, &path, "image/png", &picture)
            .await
            .expect_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
        assert!(reply.text().contains("STORAGE_PROVIDER"), "{}", reply.text());
    }
    // Even a file that is not an image: storage off is said first.
    upload(&ana, "/api/v1/me/avatar", "image/png", b"nope").await.expect(StatusCode::SERVICE_UNAVAILABLE);
}
