//! The context's error: why a storage call did not do what was asked.

/// What went wrong with a [`crate::StorageProvider`] call. The host answers `503` to `Disabled`
/// and `Unavailable`, and `500` (with an incident id) to `Internal`.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// Storage is switched off (`STORAGE_PROVIDER=null`): nothing can be stored or read. Not a
    /// fault: the operator chose it, and uploads answer `503` until they configure a provider.
    #[error("storage is not configured")]
    Disabled,
    /// The backend could not be reached or answered with a transient failure (connection
    /// refused, timeout, an HTTP `5xx` after retries). Retrying later may succeed.
    #[error("storage is unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    /// Anything else: refused credentials, a missing bucket, a full or read-only disk, an I/O
    /// error. An operator has to look.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}
