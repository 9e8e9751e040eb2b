//! The mibio host: configuration, the HTTP router and its middleware, migrations, metrics and the
//! server lifecycle. `main.rs` is only the CLI over this library, so tests drive the real router.

#![recursion_limit = "256"]

pub mod alloc;
pub mod cli;
pub mod config;
pub mod directory;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod serve;
pub mod state;
pub mod telemetry;

pub use config::Config;
pub use state::AppState;
