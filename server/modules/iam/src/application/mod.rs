//! Identity's use cases, one per file. Every adapter (REST, server functions) calls these.

pub mod admin;
pub mod change_password;
pub mod ctx;
pub mod emails;
pub mod error;
pub mod request_password_reset;
pub mod resend_verification;
pub mod reset_password;
pub mod sign_in;
pub mod sign_up;
pub mod update_profile;
pub mod users;
pub mod verify_email;
pub mod views;

pub use ctx::IamCtx;
pub use error::IamError;
