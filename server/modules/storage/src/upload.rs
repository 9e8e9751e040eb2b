//! An upload, start to finish: the image pipeline on the blocking pool, then the store, under a
//! content-addressed key. The contexts that own pictures (a user's avatar, a page's avatar, an
//! IMAGE block's picture) call [`store_image`] and keep the returned key on their row.

use bytes::Bytes;
use contracts::{ErrorCode, Problem};
use kernel::DomainError;

use crate::images::{self, ImageRejected, ProcessedImage};
use crate::{ObjectKey, StorageError, StorageProvider};

/// How many pictures are decoded at once in this process. A decode may take up to
/// [`images::MAX_DECODE_ALLOC`] of memory and a core for a few hundred milliseconds: a burst of
/// uploads queues here instead of multiplying both.
const PIPELINES: usize = 2;
static PIPELINE: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PIPELINES);

/// The widest and tallest side an IMAGE block's picture is kept at (a phone at 3× shows a
/// 420 px column; 1600 px stays sharp on a desktop too).
pub const BLOCK_IMAGE_SIDE: u32 = 1600;

/// What a picture is for: its box and its key's folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImagePurpose {
    /// A user's or a page's avatar: 512×512 at most, under `avatars/`.
    Avatar,
    /// An IMAGE block's picture: [`BLOCK_IMAGE_SIDE`] at most, under `images/`.
    BlockImage,
}

impl ImagePurpose {
    const fn max_side(self) -> u32 {
        match self {
            Self::Avatar => images::AVATAR_SIDE,
            Self::BlockImage => BLOCK_IMAGE_SIDE,
        }
    }

    const fn folder(self) -> &'static str {
        match self {
            Self::Avatar => "avatars",
            Self::BlockImage => "images",
        }
    }
}

/// A picture as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    /// Where it is: `{folder}/{owner}-{sha256:16}.{ext}`.
    pub key: ObjectKey,
    /// The URL browsers load it from ([`StorageProvider::url`]).
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// Why an upload was not stored.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// Not an acceptable image (too large, not PNG/JPEG/WebP, unreadable).
    #[error(transparent)]
    Rejected(#[from] ImageRejected),
    /// The store refused or is off.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<UploadError> for DomainError {
    /// `413 payload_too_large` for a picture over 5 MiB; `400 validation` naming the `file` field
    /// for one that is not an image; `503` when storage is off or down.
    fn from(err: UploadError) -> Self {
        match err {
            UploadError::Rejected(ImageRejected::TooLarge) => Self::rejected(
                ErrorCode::PayloadTooLarge,
                "The image is too large: at most 5 MiB and 8000 pixels a side.",
            ),
            UploadError::Rejected(ImageRejected::Unsupported) => Self::field("file", Problem::NotAnImage),
            UploadError::Rejected(ImageRejected::Undecodable) => {
                Self::field("file", Problem::UnreadableImage)
            }
            UploadError::Storage(StorageError::Disabled) => Self::rejected(
                ErrorCode::Unavailable,
                "File uploads are switched off on this server (STORAGE_PROVIDER=null).",
            ),
            UploadError::Storage(StorageError::Unavailable(e)) => {
                tracing::warn!(error = %format!("{e:#}"), "storage unavailable for an upload");
                Self::Unavailable("storage".to_owned())
            }
            UploadError::Storage(StorageError::Internal(e)) => Self::Internal(e.context("storing an upload")),
        }
    }
}

/// Checks, re-encodes (on tokio's blocking pool) and stores an uploaded picture of `owner` (a
/// user or a page) for `purpose`. Nothing is decoded when storage is off, and nothing is stored
/// unless the whole pipeline succeeded. The same picture uploaded twice gets the same key.
///
/// # Errors
/// [`UploadError::Storage`]`(Disabled)` with the `null` adapter; [`UploadError::Rejected`] as
/// [`images::process_image`]; the store's own errors.
pub async fn store_image(
    storage: &dyn StorageProvider,
    owner: uuid::Uuid,
    purpose: ImagePurpose,
    bytes: Bytes,
) -> Result<StoredImage, UploadError> {
    if !storage.is_enabled() {
        return Err(StorageError::Disabled.into());
    }
    if bytes.len() > images::MAX_INPUT_BYTES {
        return Err(ImageRejected::TooLarge.into());
    }
    let _permit = PIPELINE
        .acquire()
        .await
        .map_err(|e| StorageError::Internal(anyhow::Error::new(e).context("the image pipeline is closed")))?;
    let processed: ProcessedImage =
        tokio::task::spawn_blocking(move || images::process_image(&bytes, purpose.max_side()))
            .await
            .map_err(|e| StorageError::Internal(anyhow::Error::new(e).context("the image task failed")))??;
    let key = key_for(owner, purpose, &processed);
    storage.put(&key, processed.bytes.clone(), processed.content_type).await?;
    Ok(StoredImage { url: storage.url(&key), key, width: processed.width, height: processed.height })
}

/// `{folder}/{owner}-{sha256:16}.{ext}`.
pub(crate) fn key_for(owner: uuid::Uuid, purpose: ImagePurpose, image: &ProcessedImage) -> ObjectKey {
    let key = format!("{}/{owner}-{}.{}", purpose.folder(), image.sha256_16, image.ext);
    // A hyphenated UUID, hex digits and a fixed extension: always a valid key.
    ObjectKey::parse(&key).unwrap_or_else(|e| unreachable!("image key {key:?}: {e}"))
}

/// Deletes the picture at `old` after its owner's row moved to `new` (or to none). A failure is
/// logged, not returned: the owner's change has committed, and an orphaned object only costs
/// space. Keys that do not parse (rows written by hand) are left alone.
pub async fn forget_replaced(storage: &dyn StorageProvider, old: Option<&str>, new: Option<&str>) {
    let Some(old) = old.filter(|old| Some(*old) != new) else { return };
    let Ok(key) = ObjectKey::parse(old) else { return };
    if let Err(error) = storage.delete(&key).await {
        tracing::warn!(%error, key = %key, "a replaced picture could not be deleted");
    }
}

/// The URL of a stored key as kept on a row (`None` for no picture, or a key that does not parse).
#[must_use]
pub fn url_of(storage: &dyn StorageProvider, key: Option<&str>) -> Option<String> {
    key.and_then(|k| ObjectKey::parse(k).ok()).map(|k| storage.url(&k))
}
