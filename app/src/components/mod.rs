//! Reusable components.

pub mod client_only;
pub mod form;
pub mod head;
pub mod impersonation_banner;
pub mod language_switch;
pub mod moment;
pub mod phone_preview;
pub mod session_hint;
pub mod site_header;
pub mod toast;
pub mod undo;
pub mod upload;
pub mod user_menu;
