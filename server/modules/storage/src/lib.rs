//! The storage context: where uploaded media (avatars, block images) is kept.

mod error;
pub mod images;
mod infrastructure;
mod key;
mod provider;

pub use error::StorageError;
pub use infrastructure::{S3Config, StorageConfig, provider_from};
pub use key::{InvalidKey, ObjectKey};
pub use provider::{StorageProvider, StoredObject};
