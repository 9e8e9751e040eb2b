//! Routed pages.

pub mod landing;
pub mod not_found;
