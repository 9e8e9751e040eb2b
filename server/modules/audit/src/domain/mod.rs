//! The audit log's rules: which events it keeps, how an event becomes an entry, and what a
//! query may ask.

pub mod actions;
pub mod entry;
pub mod query;
