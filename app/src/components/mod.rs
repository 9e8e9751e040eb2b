//! Reusable components.

pub mod language_switch;
pub mod phone_preview;
pub mod site_header;
