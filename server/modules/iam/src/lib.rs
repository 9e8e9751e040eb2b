//! The identity context: users, email verification, passwords and sessions. Adapters (REST,
//! server functions) call the use cases in [`application`]; the host wires the session layer
//! from the adapters re-exported here ([`PgSessionStore`], [`AuthBackend`]) and hashes passwords
//! with [`PasswordHasher`]. Everything else in `infrastructure` stays inside the crate.

pub mod application;
pub mod domain;
pub(crate) mod infrastructure;
pub mod session;

pub use application::{IamCtx, IamError};
pub use domain::user::{User, UserId};
pub use infrastructure::auth_backend::{AuthBackend, SessionUser};
pub use infrastructure::password_hasher::PasswordHasher;
pub use infrastructure::session_store::{PgSessionStore, track_unreachable};

/// The axum-login session of a request.
pub type AuthSession = axum_login::AuthSession<AuthBackend>;
