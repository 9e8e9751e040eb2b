//! The `s3` adapter: a bucket of an S3-compatible store, through `object_store`.

use std::time::Duration;

use anyhow::Context as _;
use async_trait::async_trait;
use bytes::Bytes;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::client::{HttpError, HttpErrorKind};
use object_store::path::Path;
use object_store::{
    Attribute, Attributes, ClientOptions, ObjectStore, ObjectStoreExt, PutOptions, PutPayload, RetryConfig,
};

use super::{S3Config, check_content_type, trim_base};
use crate::{ObjectKey, StorageError, StorageProvider, StoredObject};

/// Keys are content-addressed (see the port's contract): an object never changes.
const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// The bucket's objects, read and written with `object_store`'s S3 client (`SigV4` signed with
/// ring; TLS by reqwest's rustls on ring, with the system's root certificates).
pub(crate) struct S3Storage {
    store: AmazonS3,
    /// Object URLs are `{public_base}/{key}`.
    public_base: String,
}

impl S3Storage {
    pub(crate) fn new(config: &S3Config) -> anyhow::Result<Self> {
        // `allow_http` lives in the client options: set on the builder, it would be replaced
        // by `with_client_options`.
        let options = ClientOptions::new()
            .with_allow_http(config.allow_http)
            .with_connect_timeout(Duration::from_secs(5))
            .with_timeout(Duration::from_secs(30));
        // object_store's default retries for up to 3 minutes: too long for a request that waits.
        let retry =
            RetryConfig { max_retries: 3, retry_timeout: Duration::from_secs(20), ..RetryConfig::default() };
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_access_key_id(&config.access_key_id)
            .with_secret_access_key(&config.secret_access_key)
            .with_client_options(options)
            .with_retry(retry);
        if let Some(endpoint) = &config.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        let store = builder.build().context("build the S3 client")?;

        let public_base = match (&config.public_url, &config.endpoint) {
            (Some(public), _) => trim_base(public),
            (None, Some(endpoint)) => format!("{}/{}", trim_base(endpoint), config.bucket),
            (None, None) => format!("https://{}.s3.{}.amazonaws.com", config.bucket, config.region),
        };
        Ok(Self { store, public_base })
    }
}

#[async_trait]
impl StorageProvider for S3Storage {
    async fn put(&self, key: &ObjectKey, bytes: Bytes, content_type: &str) -> Result<(), StorageError> {
        check_content_type(content_type)?;
        let attributes = Attributes::from_iter([
            (Attribute::ContentType, content_type.to_owned()),
            (Attribute::CacheControl, CACHE_CONTROL.to_owned()),
        ]);
        let options = PutOptions { attributes, ..PutOptions::default() };
        self.store
            .put_opts(&path(key), PutPayload::from(bytes), options)
            .await
            .map_err(|e| classify(e, "put the object"))?;
        Ok(())
    }

    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, StorageError> {
        let result = match self.store.get(&path(key)).await {
            Ok(result) => result,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(classify(e, "get the object")),
        };
        let content_type = result
            .attributes
            .get(&Attribute::ContentType)
            .map_or_else(|| "application/octet-stream".to_owned(), |value| value.to_string());
        let bytes = result.bytes().await.map_err(|e| classify(e, "read the object's body"))?;
        Ok(Some(StoredObject { bytes, content_type }))
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StorageError> {
        match self.store.delete(&path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(classify(e, "delete the object")),
        }
    }

    fn url(&self, key: &ObjectKey) -> String {
        format!("{}/{key}", self.public_base)
    }
}

/// An [`ObjectKey`] is always a valid `object_store` path: `[a-z0-9/_.-]`, no empty or dot
/// segments.
fn path(key: &ObjectKey) -> Path {
    Path::from(key.as_str())
}

/// A failure that may pass on a retry is `Unavailable`: the connection failed, timed out or was
/// cut (an [`HttpError`] of those kinds anywhere in the chain), or the store kept answering
/// `5xx`/`429` until the retries ran out (`Generic` with no transport error). Everything else
/// needs an operator and is `Internal`: refused credentials (`PermissionDenied`,
/// `Unauthenticated`), a missing bucket (`NotFound` on a put), a request that could not even be
/// built (`http://` without `allow_http`), a response that does not parse.
fn classify(error: object_store::Error, doing: &'static str) -> StorageError {
    let transient = match &error {
        object_store::Error::Generic { .. } => match transport_error(&error) {
            Some(kind) => matches!(
                kind,
                HttpErrorKind::Connect
                    | HttpErrorKind::Request
                    | HttpErrorKind::Timeout
                    | HttpErrorKind::Interrupted
            ),
            None => true,
        },
        _ => false,
    };
    let error = anyhow::Error::new(error).context(doing);
    if transient { StorageError::Unavailable(error) } else { StorageError::Internal(error) }
}

/// The kind of the first [`HttpError`] in `error`'s source chain.
fn transport_error(error: &(dyn std::error::Error + 'static)) -> Option<HttpErrorKind> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(http) = error.downcast_ref::<HttpError>() {
            return Some(http.kind());
        }
        current = error.source();
    }
    None
}
