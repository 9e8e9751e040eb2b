//! The `null` adapter: storage switched off answers `Disabled`, never a silent success.

use bytes::Bytes;
use storage::{ObjectKey, StorageConfig, StorageError, provider_from};

#[tokio::test]
async fn every_call_is_disabled() {
    let storage = provider_from(&StorageConfig::Null).unwrap();
    let key = ObjectKey::parse("avatars/a.png").unwrap();

    let put = storage.put(&key, Bytes::from_static(b"x"), "image/png").await;
    assert!(matches!(put, Err(StorageError::Disabled)), "{put:?}");
    let get = storage.get(&key).await;
    assert!(matches!(get, Err(StorageError::Disabled)), "{get:?}");
    let delete = storage.delete(&key).await;
    assert!(matches!(delete, Err(StorageError::Disabled)), "{delete:?}");
    // A key stored before storage was switched off still has a (host-relative) URL; the host
    // answers it with 503.
    assert_eq!(storage.url(&key), "/media/avatars/a.png");
}
