//! mibio's wire contracts: the types that cross the network between the browser, the server
//! functions and the REST API (see `docs/http-api.md`).
//!
//! This crate is serde-only on purpose: it compiles to WASM and must never pull in diesel, axum or
//! tokio. Domain rules that the browser also needs (slug syntax, reserved slugs) live here so that
//! the editor and the server agree on them by construction.

pub mod analytics;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod blocks;
pub mod email;
pub mod error;
pub mod flags;
pub mod links;
pub mod locale;
pub mod media;
pub mod next;
pub mod notifications;
pub mod organizations;
pub mod permissions;
pub mod platform;
pub mod problem;
pub mod slug;
pub mod theme;
pub mod usage;

pub use error::{ApiError, ApiErrorBody, ConflictReason, ErrorCode};
pub use locale::Locale;
pub use problem::{Problem, Problems};
