//! Reusable components.

pub mod client_only;
pub mod form;
pub mod language_switch;
pub mod phone_preview;
pub mod site_header;
pub mod toast;
pub mod undo;
