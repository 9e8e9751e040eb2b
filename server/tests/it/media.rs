//! `GET /media/{key}`: what the storage holds, served back immutable; nothing else.

use crate::common;

use axum::http::StatusCode;
use common::app::TestApp;
use pretty_assertions::assert_eq;

#[tokio::test]
async fn stored_objects_are_served_immutable_and_nothing_else_is() {
    let dir = std::env::temp_dir().join(format!("mibio-media-test-{}", uuid::Uuid::now_v7()));
    let dir_text = dir.display().to_string();
    let app = TestApp::with_env(&[("STORAGE_PROVIDER", "local"), ("STORAGE_LOCAL_DIR", &dir_text)]).await;
    // What an upload writes: the same directory, through the storage crate.
    let local = storage::provider_from(&storage::StorageConfig::Local {
        dir: dir.clone(),
        public_url: "http://127.0.0.1:3000".to_owned(),
    })
    .unwrap();
    let key = storage::ObjectKey::parse("avatars/0192-abcdef0123456789.png").unwrap();
    let png = bytes::Bytes::from_static(b"\x89PNG\r\n\x1a\n not really");
    local.put(&key, png.clone(), "image/png").await.unwrap();
    assert_eq!(local.url(&key), "http://127.0.0.1:3000/media/avatars/0192-abcdef0123456789.png");

    let reply = app.client().get("/media/avatars/0192-abcdef0123456789.png").await.expect(StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("image/png"));
    assert_eq!(reply.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(reply.body, png);

    for path in [
        "/media/avatars/missing.png",
        "/media/../Cargo.toml",
        "/media/avatars/..%2F..%2Fetc%2Fpasswd",
        "/media/.content-types/avatars",
        "/media/AVATARS/X.PNG",
    ] {
        app.client().get(path).await.expect(StatusCode::NOT_FOUND);
    }

    // With storage off, nothing is there.
    let off = TestApp::with_env(&[("STORAGE_PROVIDER", "null")]).await;
    off.client().get("/media/avatars/0192-abcdef0123456789.png").await.expect(StatusCode::NOT_FOUND);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn s3_storage_needs_its_bucket_and_keys() {
    let err =
        mibio_server::config::Config::from_lookup(|k| (k == "STORAGE_PROVIDER").then(|| "s3".to_owned()))
            .unwrap()
            .storage_config()
            .unwrap_err();
    assert_eq!(err.var, "S3_BUCKET");
}
