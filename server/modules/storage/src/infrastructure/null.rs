//! The `null` adapter: storage switched off.

use async_trait::async_trait;
use bytes::Bytes;

use crate::{ObjectKey, StorageError, StorageProvider, StoredObject};

/// Answers every call with [`StorageError::Disabled`], so an upload fails loudly (`503`) instead
/// of vanishing.
pub(crate) struct NullStorage;

#[async_trait]
impl StorageProvider for NullStorage {
    async fn put(&self, _key: &ObjectKey, _bytes: Bytes, _content_type: &str) -> Result<(), StorageError> {
        Err(StorageError::Disabled)
    }

    async fn get(&self, _key: &ObjectKey) -> Result<Option<StoredObject>, StorageError> {
        Err(StorageError::Disabled)
    }

    async fn delete(&self, _key: &ObjectKey) -> Result<(), StorageError> {
        Err(StorageError::Disabled)
    }

    fn url(&self, key: &ObjectKey) -> String {
        format!("/media/{key}")
    }

    fn is_enabled(&self) -> bool {
        false
    }
}
