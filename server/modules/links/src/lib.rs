//! The links context — mibio's product: pages built from smart blocks, the coach templates, the
//! cached public read path behind `/{slug}`, and lead capture.

pub mod application;
pub mod domain;
pub mod infrastructure;

pub use application::{LinksCtx, LinksError};
