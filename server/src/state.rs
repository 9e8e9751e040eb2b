//! The state every handler shares.

use std::collections::BTreeSet;
use std::sync::Arc;

use audit::AuditCtx;
use axum::extract::FromRef;
use feature_flags::FeatureFlags;
use iam::IamCtx;
use kernel::db::DbPool;
use leptos::config::LeptosOptions;
use links::LinksCtx;
use tenancy::TenancyCtx;

use crate::config::Config;
use crate::http::idempotency::Idempotency;
use crate::http::rate_limit::RateLimiter;
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
    /// OpenGraph cards: the renderer (fonts loaded once) and the PNG cache.
    pub cards: cards::Cards,
    /// The public page's rendered HTML, ready in every encoding (see `http::rendered`).
    pub public_html: Arc<crate::http::rendered::RenderedPages>,
    pub iam: IamCtx,
    pub tenancy: TenancyCtx,
    pub links: LinksCtx,
    pub platform: platform::PlatformCtx,
    /// The beacon ingest pipeline (a writer task; see `analytics::ingest`).
    pub analytics: Arc<analytics::Ingest>,
    pub audit: AuditCtx,
    /// Feature flags, evaluated from an in-process snapshot (`mibio serve` keeps it fresh).
    pub flags: FeatureFlags,
}

impl AppState {
    /// What server functions (and the shared session helpers) get: the use cases' dependencies
    /// and the request guard.
    #[must_use]
    pub fn services(&self) -> app::server::Services {
        app::server::Services {
            iam: self.iam.clone(),
            tenancy: self.tenancy.clone(),
            links: self.links.clone(),
            platform: self.platform.clone(),
            audit: self.audit.clone(),
            flags: self.flags.clone(),
            guard: Arc::new(crate::http::guard::HostGuard {
                limiter: FromRef::from_ref(self),
                trusted_proxies: self.config.trusted_proxies.clone(),
            }),
            secure_cookies: self.config.secure_cookies(),
        }
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("config", &self.config).finish_non_exhaustive()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl FromRef<AppState> for IamCtx {
    fn from_ref(state: &AppState) -> Self {
        state.iam.clone()
    }
}

impl FromRef<AppState> for TenancyCtx {
    fn from_ref(state: &AppState) -> Self {
        state.tenancy.clone()
    }
}

impl FromRef<AppState> for LinksCtx {
    fn from_ref(state: &AppState) -> Self {
        state.links.clone()
    }
}

impl FromRef<AppState> for AuditCtx {
    fn from_ref(state: &AppState) -> Self {
        state.audit.clone()
    }
}

impl FromRef<AppState> for FeatureFlags {
    fn from_ref(state: &AppState) -> Self {
        state.flags.clone()
    }
}

impl FromRef<AppState> for RateLimiter {
    fn from_ref(state: &AppState) -> Self {
        RateLimiter::new(state.db.clone(), state.config.rate_limits, state.iam.clock.clone())
    }
}

impl FromRef<AppState> for Idempotency {
    fn from_ref(state: &AppState) -> Self {
        Idempotency::new(state.db.clone(), state.iam.clock.clone())
    }
}
