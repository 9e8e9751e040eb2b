//! The identity context: users, email verification, passwords and sessions. Adapters (REST,
//! server functions) call the use cases in [`application`]; the host wires the session layer
//! from [`infrastructure::session_store`] and [`infrastructure::auth_backend`].

pub mod application;
pub mod domain;
pub mod infrastructure;
pub mod session;

pub use application::{IamCtx, IamError};
pub use domain::user::{User, UserId};
pub use infrastructure::auth_backend::{AuthBackend, SessionUser};

/// The axum-login session of a request.
pub type AuthSession = axum_login::AuthSession<AuthBackend>;
