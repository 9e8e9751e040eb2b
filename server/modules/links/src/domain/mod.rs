//! The links domain: rules that need no database.

pub mod events;
pub mod export;
pub mod page;
pub mod placement;
pub mod quota;
pub mod templates;
