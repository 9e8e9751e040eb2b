//! The `StorageProvider` port.

use async_trait::async_trait;
use bytes::Bytes;

use crate::{ObjectKey, StorageError};

/// An object as stored: its bytes and the content type it was stored with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    /// The object's bytes, exactly as they were put.
    pub bytes: Bytes,
    /// The content type given to [`StorageProvider::put`], e.g. `image/webp`.
    pub content_type: String,
}

/// Stores objects by key. The host binds one adapter at start-up ([`crate::provider_from`]);
/// use cases hold it as `Arc<dyn StorageProvider>`.
///
/// Contract for every implementation:
///
/// - Keys are content-addressed by their callers (see [`crate::images::avatar_key`]): a key is
///   never put again with different bytes, so adapters may tell caches that an object never
///   changes (the `s3` adapter stores `Cache-Control: public, max-age=31536000, immutable`).
/// - `put` is atomic: a reader sees the whole old object, the whole new one, or none — never a
///   partial write.
/// - Every method of the `null` adapter MUST return [`StorageError::Disabled`] (except `url`).
/// - A missing object is not an error: `get` answers `Ok(None)` and `delete` `Ok(())`.
/// - It MUST return [`StorageError::Unavailable`] for failures that may pass on a retry, and
///   [`StorageError::Internal`] for the others. It MUST NOT hang: the `s3` adapter gives up after
///   bounded retries and timeouts.
#[async_trait]
pub trait StorageProvider: Send + Sync + 'static {
    /// Stores `bytes` under `key` with `content_type`, replacing any object there.
    ///
    /// # Errors
    ///
    /// [`StorageError::Disabled`] from the `null` adapter; otherwise `Unavailable` or `Internal`
    /// as in the trait's contract.
    async fn put(&self, key: &ObjectKey, bytes: Bytes, content_type: &str) -> Result<(), StorageError>;

    /// Reads the object under `key`, or `None` if there is none.
    ///
    /// # Errors
    ///
    /// [`StorageError::Disabled`] from the `null` adapter; otherwise `Unavailable` or `Internal`.
    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, StorageError>;

    /// Deletes the object under `key`; deleting a missing object succeeds.
    ///
    /// # Errors
    ///
    /// [`StorageError::Disabled`] from the `null` adapter; otherwise `Unavailable` or `Internal`.
    async fn delete(&self, key: &ObjectKey) -> Result<(), StorageError>;

    /// The public URL a browser loads the object from: `{PUBLIC_URL}/media/{key}` for `local`
    /// (served by the host), `{S3_PUBLIC_URL}/{key}` (or the bucket's own URL) for `s3`, and the
    /// host-relative `/media/{key}` for `null`, which the host answers with `503`.
    fn url(&self, key: &ObjectKey) -> String;

    /// Whether objects can be stored at all: `false` only for the `null` adapter, so an upload
    /// is answered `503` before its image is decoded.
    fn is_enabled(&self) -> bool {
        true
    }
}
