//! The links domain: rules that need no database.

pub mod templates;
