//! Identity's adapters: diesel repositories, the session store, the axum-login backend and the
//! password hasher.

pub mod auth_backend;
pub mod password_hasher;
pub mod schema;
pub mod session_store;
pub mod tokens;
pub mod users;
