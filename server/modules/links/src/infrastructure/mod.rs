//! The links context's adapters: Postgres repositories and the public read cache.

pub mod blocks;
pub mod cache;
pub mod leads;
pub mod pages;
pub mod schema;
