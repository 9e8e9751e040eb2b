//! The state every handler shares.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::FromRef;
use kernel::db::DbPool;
use leptos::config::LeptosOptions;

use crate::config::Config;
use crate::metrics::Metrics;

/// Shared, cheaply clonable application state.
#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub config: Arc<Config>,
    pub db: DbPool,
    pub metrics: Arc<Metrics>,
    /// Versions of the migrations compiled into this binary (for `/ready`).
    pub migrations: Arc<BTreeSet<String>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("config", &self.config).finish_non_exhaustive()
    }
}
