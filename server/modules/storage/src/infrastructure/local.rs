//! The `local` adapter: objects as files in a directory, served back by the host.

use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use async_trait::async_trait;
use bytes::Bytes;

use super::{check_content_type, trim_base};
use crate::{ObjectKey, StorageError, StorageProvider, StoredObject};

/// Where each object's content type is kept: `{root}/.content-types/{key}`, a small text file.
/// No key can name it (a key's segments never start with `.`), nor the temporary files.
const TYPES_DIR: &str = ".content-types";

/// Content type of an object whose type file is missing (a file put there by hand).
const UNKNOWN_TYPE: &str = "application/octet-stream";

/// Stores `{key}` at `{root}/{key}`. Writes go to a temporary file in the same directory, are
/// flushed to disk and renamed over the target, so a reader never sees a partial object.
pub(crate) struct LocalStorage {
    root: PathBuf,
    /// `{public_url}/media`.
    media_base: String,
}

impl LocalStorage {
    /// Creates `dir` if it is missing.
    pub(crate) fn new(dir: &Path, public_url: &str) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("create the storage directory {}", dir.display()))?;
        Ok(Self { root: dir.to_owned(), media_base: format!("{}/media", trim_base(public_url)) })
    }

    fn object_path(&self, key: &ObjectKey) -> PathBuf {
        key.segments().fold(self.root.clone(), |path, segment| path.join(segment))
    }

    fn type_path(&self, key: &ObjectKey) -> PathBuf {
        key.segments().fold(self.root.join(TYPES_DIR), |path, segment| path.join(segment))
    }
}

#[async_trait]
impl StorageProvider for LocalStorage {
    async fn put(&self, key: &ObjectKey, bytes: Bytes, content_type: &str) -> Result<(), StorageError> {
        check_content_type(content_type)?;
        let (object, types) = (self.object_path(key), self.type_path(key));
        let content_type = content_type.to_owned();
        blocking(move || {
            // The type first: once the object is visible, its type is already there.
            write_atomically(&types, content_type.as_bytes()).context("write the content type file")?;
            write_atomically(&object, &bytes).context("write the object file")
        })
        .await
    }

    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, StorageError> {
        let (object, types) = (self.object_path(key), self.type_path(key));
        blocking(move || {
            let bytes = match std::fs::read(&object) {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e).context("read the object file"),
            };
            let content_type = match std::fs::read_to_string(&types) {
                Ok(content_type) => content_type,
                Err(e) if e.kind() == ErrorKind::NotFound => UNKNOWN_TYPE.to_owned(),
                Err(e) => return Err(e).context("read the content type file"),
            };
            Ok(Some(StoredObject { bytes: Bytes::from(bytes), content_type }))
        })
        .await
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StorageError> {
        let (object, types) = (self.object_path(key), self.type_path(key));
        blocking(move || {
            remove_if_present(&object).context("delete the object file")?;
            remove_if_present(&types).context("delete the content type file")
        })
        .await
    }

    fn url(&self, key: &ObjectKey) -> String {
        format!("{}/{key}", self.media_base)
    }
}

/// Runs file I/O off the async workers; every failure is `Internal` (a local disk does not come
/// back by retrying).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> Result<T, StorageError> {
    let result = tokio::task::spawn_blocking(work).await.context("join the storage I/O task")?;
    Ok(result?)
}

/// Writes `bytes` to `path` through a temporary file in its directory, synced, then renamed over
/// `path`. The temporary file is removed if anything fails before the rename.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().context("an object path has a parent directory")?;
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    let mut file = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .with_context(|| format!("create a temporary file in {}", dir.display()))?;
    file.write_all(bytes).context("write the temporary file")?;
    file.as_file().sync_all().context("sync the temporary file")?;
    file.persist(path).map_err(|e| e.error).with_context(|| format!("rename onto {}", path.display()))?;
    Ok(())
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != ErrorKind::NotFound => {
            Err(e).with_context(|| format!("remove {}", path.display()))
        }
        _ => Ok(()),
    }
}
