//! The `s3` adapter against a real S3-compatible server: moto, started by `scripts/lib/s3.sh`.
//!
//! ```sh
//! source scripts/lib/s3.sh && start_s3 && trap stop_s3 EXIT
//! cargo test -p storage --test s3
//! ```
//!
//! Without `S3_TEST_ENDPOINT` these tests fail, unless `MIBIO_SKIP_S3=1` says to skip them.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::{Attribute, ClientOptions, ObjectStoreExt as _};
use storage::{ObjectKey, S3Config, StorageConfig, StorageError, StorageProvider, provider_from};

/// moto's endpoint, or `None` when the run asked to skip S3 (`MIBIO_SKIP_S3=1`).
fn endpoint() -> Option<String> {
    match std::env::var("S3_TEST_ENDPOINT") {
        Ok(endpoint) if !endpoint.is_empty() => Some(endpoint.trim_end_matches('/').to_owned()),
        _ if std::env::var("MIBIO_SKIP_S3").as_deref() == Ok("1") => {
            eprintln!("S3 test skipped: MIBIO_SKIP_S3=1");
            None
        }
        _ => panic!(
            "S3_TEST_ENDPOINT is not set. Start the local S3 server first: \
             `source scripts/lib/s3.sh && start_s3` (it installs and starts moto and exports \
             S3_TEST_ENDPOINT), or set MIBIO_SKIP_S3=1 to skip the S3 tests."
        ),
    }
}

fn config(endpoint: &str, bucket: &str) -> S3Config {
    S3Config {
        endpoint: Some(endpoint.to_owned()),
        bucket: bucket.to_owned(),
        region: "us-east-1".into(),
        // moto accepts any credentials, but the requests are signed as for a real store.
        access_key_id: "mibio-test".into(),
        secret_access_key: "mibio-test-secret".into(),
        public_url: None,
        allow_http: true,
    }
}

fn s3(config: S3Config) -> Arc<dyn StorageProvider> {
    provider_from(&StorageConfig::S3(config)).unwrap()
}

/// A fresh bucket: a plain `PUT /{bucket}` (object_store does not create buckets, and moto
/// accepts it unsigned).
fn create_bucket(endpoint: &str) -> String {
    let bucket = format!("mibio-test-{}", uuid::Uuid::now_v7().simple());
    let addr = endpoint.strip_prefix("http://").expect("an http:// endpoint");
    let mut stream = TcpStream::connect(addr).unwrap();
    let request =
        format!("PUT /{bucket} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.lines().next().unwrap_or_default();
    assert!(status.starts_with("HTTP/1.1 200"), "create bucket: {status}");
    bucket
}

fn key(text: &str) -> ObjectKey {
    ObjectKey::parse(text).unwrap()
}

#[tokio::test]
async fn put_get_delete_round_trip() {
    let Some(endpoint) = endpoint() else { return };
    let bucket = create_bucket(&endpoint);
    let storage = s3(config(&endpoint, &bucket));
    let avatar = key("avatars/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b-3f2a9c1b5d7e8f01.webp");
    let bytes = Bytes::from_static(b"RIFF\x00\x00\x00\x00WEBPVP8L not really");

    assert_eq!(storage.get(&avatar).await.unwrap(), None);
    storage.put(&avatar, bytes.clone(), "image/webp").await.unwrap();

    let stored = storage.get(&avatar).await.unwrap().unwrap();
    assert_eq!(stored.bytes, bytes);
    assert_eq!(stored.content_type, "image/webp");

    // The public URL: no S3_PUBLIC_URL, so path-style under the endpoint. (moto keeps objects
    // private to anonymous readers; a deployment makes the bucket public or puts a CDN in front.)
    assert_eq!(storage.url(&avatar), format!("{endpoint}/{bucket}/{avatar}"));

    // What the store itself holds, read with a client of its own: the type, and the cache policy
    // a CDN or browser gets with the object.
    let reader = AmazonS3Builder::new()
        .with_endpoint(&endpoint)
        .with_bucket_name(&bucket)
        .with_region("us-east-1")
        .with_access_key_id("other")
        .with_secret_access_key("other")
        .with_client_options(ClientOptions::new().with_allow_http(true))
        .build()
        .unwrap();
    let object = reader.get(&object_store::path::Path::from(avatar.as_str())).await.unwrap();
    let attribute = |name| object.attributes.get(&name).map(|value| value.to_string());
    assert_eq!(attribute(Attribute::ContentType).as_deref(), Some("image/webp"));
    assert_eq!(attribute(Attribute::CacheControl).as_deref(), Some("public, max-age=31536000, immutable"));
    assert_eq!(object.bytes().await.unwrap(), bytes);

    storage.delete(&avatar).await.unwrap();
    assert_eq!(storage.get(&avatar).await.unwrap(), None);
    storage.delete(&avatar).await.unwrap();
}

/// Needs no S3 server: building the adapter sends nothing.
#[test]
fn url_uses_the_public_base_when_set() {
    let storage = s3(S3Config {
        public_url: Some("https://media.mibio.test/".into()),
        ..config("http://127.0.0.1:9", "any-bucket")
    });
    assert_eq!(storage.url(&key("avatars/a.png")), "https://media.mibio.test/avatars/a.png");
}

#[tokio::test]
async fn a_missing_bucket_is_internal_not_an_empty_store() {
    let Some(endpoint) = endpoint() else { return };
    let storage = s3(config(&endpoint, "mibio-no-such-bucket"));
    let put = storage.put(&key("a.png"), Bytes::from_static(b"x"), "image/png").await;
    assert!(matches!(put, Err(StorageError::Internal(_))), "{put:?}");
}

/// Needs no S3 server: nothing listens on the endpoint.
#[tokio::test]
async fn an_unreachable_store_is_unavailable_and_does_not_hang() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let storage = s3(config(&format!("http://127.0.0.1:{port}"), "bucket"));
    let started = Instant::now();
    let put = storage.put(&key("a.png"), Bytes::from_static(b"x"), "image/png").await;
    assert!(matches!(put, Err(StorageError::Unavailable(_))), "{put:?}");
    // Because the connection was refused, not because the request could not be built.
    assert!(format!("{put:?}").contains("Connection refused"), "{put:?}");
    assert!(started.elapsed() < Duration::from_secs(25), "gave up after {:?}", started.elapsed());
}

/// Needs no S3 server: the request is refused before it is sent.
#[tokio::test]
async fn plain_http_is_refused_unless_allowed() {
    let storage = s3(S3Config { allow_http: false, ..config("http://127.0.0.1:9", "bucket") });
    let put = storage.put(&key("a.png"), Bytes::from_static(b"x"), "image/png").await;
    // A configuration mistake, not an outage: the operator must look.
    assert!(matches!(put, Err(StorageError::Internal(_))), "{put:?}");
}

#[test]
fn debug_does_not_show_the_secret() {
    let shown = format!("{:?}", config("http://127.0.0.1:9", "bucket"));
    assert!(!shown.contains("mibio-test-secret"), "{shown}");
    assert!(shown.contains("mibio-test"), "{shown}");
}
