//! Server functions: the dashboard's door to the use cases. Each is a thin adapter — read the
//! session, call one use case, map the result — like the REST handlers beside it.

pub mod admin;
pub mod auth;
pub mod billing;
pub mod links;
pub mod notifications;
pub mod orgs;
pub mod usage;
