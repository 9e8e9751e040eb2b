//! Routed pages.

pub mod admin;
pub mod auth;
pub mod dashboard;
pub mod invitation;
pub mod landing;
pub mod not_found;
