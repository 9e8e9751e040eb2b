//! The links context — mibio's product: pages built from smart blocks, the coach templates, the
//! cached public read path behind `/{slug}`, and lead capture.

pub mod application;
pub mod domain;
pub(crate) mod infrastructure;

pub use application::{LinksCtx, LinksError};

/// The public read path's cache, which the host sizes and keeps in step with every other
/// process (it listens on [`CHANGE_CHANNEL`](cache::CHANGE_CHANNEL) and calls
/// [`on_signal`](cache::on_signal)).
pub mod cache {
    pub use crate::infrastructure::cache::*;
}
