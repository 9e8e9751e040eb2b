//! The feature_flags context's adapters: the settings tables and the in-process snapshot.

pub mod cache;
pub mod schema;
pub mod store;
