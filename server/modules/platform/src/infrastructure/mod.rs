//! The platform's storage (schema `platform`) and the overview's cross-schema read.

pub mod admins;
pub mod overview;
pub mod schema;
