//! The links context's use cases. Each takes the context's dependencies ([`LinksCtx`]) and, when
//! organization-scoped, the [`kernel::Actor`] whose permissions it checks.

pub mod blocks;
mod ctx;
mod error;
pub mod leads;
pub mod media;
pub mod pages;
pub mod public;
pub mod templates;
pub mod views;

pub use ctx::LinksCtx;
pub use error::LinksError;
