//! The `StorageProvider` adapters, and the choice between them.

mod local;
mod null;
mod s3;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;

use crate::{StorageError, StorageProvider};

/// Where uploads go; the host builds it from `STORAGE_PROVIDER` and the variables of the
/// chosen provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageConfig {
    /// `null`: storage is off; every call answers [`StorageError::Disabled`].
    Null,
    /// `local`: a directory on this machine, served back by the host at `/media/{key}`. Only
    /// for a single replica (or a directory every replica shares).
    Local {
        /// The directory objects are written into (`STORAGE_LOCAL_DIR`); created if missing.
        dir: PathBuf,
        /// The site's public origin (`PUBLIC_URL`, e.g. `https://mibio.app`): object URLs are
        /// `{public_url}/media/{key}`.
        public_url: String,
    },
    /// `s3`: a bucket of an S3-compatible store (AWS, Cloudflare R2, `MinIO`, …).
    S3(S3Config),
}

/// An S3-compatible bucket. `Debug` does not show the secret key.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Config {
    /// The service's origin (`S3_ENDPOINT`, e.g. `https://<account>.r2.cloudflarestorage.com`);
    /// `None` means AWS itself, in `region`. Buckets are addressed path-style under it.
    pub endpoint: Option<String>,
    /// The bucket (`S3_BUCKET`). It must exist: the adapter never creates it.
    pub bucket: String,
    /// The region (`S3_REGION`; `auto` for R2, anything for `MinIO`).
    pub region: String,
    /// The access key id (`S3_ACCESS_KEY_ID`).
    pub access_key_id: String,
    /// The secret access key (`S3_SECRET_ACCESS_KEY`).
    pub secret_access_key: String,
    /// Where browsers read objects from (`S3_PUBLIC_URL`: a CDN or the bucket's public domain):
    /// object URLs are `{public_url}/{key}`. `None` means `{endpoint}/{bucket}/{key}`.
    pub public_url: Option<String>,
    /// Whether a plain `http://` endpoint is allowed (`S3_ALLOW_HTTP`): for local test servers
    /// only.
    pub allow_http: bool,
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("public_url", &self.public_url)
            .field("allow_http", &self.allow_http)
            .finish_non_exhaustive()
    }
}

/// Builds the provider `config` names.
///
/// # Errors
///
/// If the `local` directory cannot be created, or the `s3` settings are not usable (an endpoint
/// that is not a URL, `http://` without `allow_http`). No request is sent here: wrong credentials
/// or a missing bucket show up on the first call.
pub fn provider_from(config: &StorageConfig) -> anyhow::Result<Arc<dyn StorageProvider>> {
    Ok(match config {
        StorageConfig::Null => Arc::new(null::NullStorage),
        StorageConfig::Local { dir, public_url } => Arc::new(local::LocalStorage::new(dir, public_url)?),
        StorageConfig::S3(s3) => Arc::new(s3::S3Storage::new(s3).context("configure the S3 storage")?),
    })
}

/// Refuses a content type that could not travel as a header value (empty, control characters,
/// non-ASCII), before anything is written.
fn check_content_type(content_type: &str) -> Result<(), StorageError> {
    let valid = !content_type.is_empty()
        && content_type.len() <= 128
        && content_type.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
    if valid {
        Ok(())
    } else {
        Err(StorageError::Internal(anyhow::anyhow!("invalid content type {content_type:?}")))
    }
}

/// `base` without its trailing `/`s, so `{base}/{key}` has exactly one.
fn trim_base(base: &str) -> String {
    base.trim_end_matches('/').to_owned()
}
