//! The storage context: where uploaded media (avatars, block images) is kept, and how an upload
//! becomes something safe to keep.
//!
//! # What is here
//!
//! - [`StorageProvider`], the port: `put` / `get` / `delete` an object by [`ObjectKey`], and the
//!   public `url` a browser loads it from. Its contract (atomic puts, missing objects are not
//!   errors, `Disabled` / `Unavailable` / `Internal`) is on the trait.
//! - Three adapters, chosen by a [`StorageConfig`] and built by [`provider_from`]:
//!
//!   | `STORAGE_PROVIDER` | [`StorageConfig`] | objects live | `url(key)` |
//!   |---|---|---|---|
//!   | `null` | `Null` | nowhere: every call is [`StorageError::Disabled`] | `/media/{key}` |
//!   | `local` | `Local { dir, public_url }` | files under `dir` (temp file + rename) | `{public_url}/media/{key}` |
//!   | `s3` | `S3(`[`S3Config`]`)` | a bucket of an S3-compatible store (`object_store`) | `{public_url}/{key}`, else `{endpoint}/{bucket}/{key}` |
//!
//! - [`ObjectKey`]: a key that is safe as a relative path and an S3 key (`[a-z0-9/_.-]`, no empty
//!   or dot-led segment); parse untrusted text with [`ObjectKey::parse`].
//! - [`images`]: [`images::process_avatar`] / [`images::process_image`] check, decode (bounded),
//!   orient, shrink and re-encode an upload without its metadata, and [`images::avatar_key`]
//!   names the result by its content: `avatars/{owner}-{sha256 first 16 hex}.{ext}`.
//!
//! # What the host must do
//!
//! - **Configure**: map `STORAGE_PROVIDER=null|local|s3` (default `null`) and the provider's
//!   variables — `STORAGE_LOCAL_DIR` (with the site's `PUBLIC_URL`), or `S3_ENDPOINT`,
//!   `S3_BUCKET`, `S3_REGION`, `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`, `S3_PUBLIC_URL`,
//!   `S3_ALLOW_HTTP` — to a [`StorageConfig`], call [`provider_from`] once at start-up and hand
//!   the `Arc<dyn StorageProvider>` to the contexts that store media.
//! - **Serve `local` objects**: `GET /media/{*key}` parses the key ([`ObjectKey::parse`]; a text
//!   that does not parse is `404`), calls [`StorageProvider::get`] and answers the bytes with the
//!   stored `Content-Type`, `X-Content-Type-Options: nosniff` and
//!   `Cache-Control: public, max-age=31536000, immutable` (keys are content-addressed);
//!   `Ok(None)` is `404`, `Disabled` is `503`. Serve through `get`, not a static directory
//!   service: the directory also holds each object's content type under `.content-types/`.
//!   With `s3`, browsers load objects from the bucket (or its CDN) directly.
//! - **Upload endpoints**: cap the request body a little above
//!   [`images::MAX_INPUT_BYTES`] (5 MiB), run [`images::process_avatar`] (or
//!   [`images::process_image`]) inside `tokio::task::spawn_blocking`, `put` the result under
//!   [`images::avatar_key`] with its `content_type`, save the key on the owner's row (render
//!   URLs with [`StorageProvider::url`] when reading, so a move to a CDN rewrites no row), and
//!   after the row is saved delete the previous object — unless it has the same key: the same
//!   picture uploaded again is the same object. Map
//!   [`images::ImageRejected::TooLarge`] to `413`, `Unsupported` and `Undecodable` to `400`;
//!   [`StorageError::Disabled`] and `Unavailable` to `503`; `Internal` to `500`.

mod error;
pub mod images;
mod infrastructure;
mod key;
mod provider;
pub mod upload;

pub use error::StorageError;
pub use infrastructure::{S3Config, StorageConfig, provider_from};
pub use key::{InvalidKey, ObjectKey};
pub use provider::{StorageProvider, StoredObject};
pub use upload::{ImagePurpose, StoredImage, UploadError, store_image};
