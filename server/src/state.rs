//! The state every handler shares: one [`Arc`] around [`Shared`], so the clone that every
//! `from_fn_with_state` layer and every `State` extractor makes is one atomic increment. Handlers
//! take `State<AppState>` and borrow what they need (`&state.links`, `&state.limiter`).

use std::collections::BTreeSet;
use std::ops::Deref;
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

/// Shared application state. Read its parts through `Deref` (`state.db`, `state.config`).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What [`AppState`] holds. Built once, at start-up ([`crate::serve::build_state`]).
#[derive(Clone)]
pub struct Shared {
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
    /// The public pages' OpenGraph card validators, worked out once per page load.
    pub card_keys: Arc<crate::http::rendered::CardKeys>,
    pub iam: IamCtx,
    pub tenancy: TenancyCtx,
    pub links: LinksCtx,
    pub platform: platform::PlatformCtx,
    /// The beacon ingest pipeline (a writer task; see `analytics::ingest`).
    pub analytics: Arc<analytics::Ingest>,
    pub audit: AuditCtx,
    /// Feature flags, evaluated from an in-process snapshot (`mibio serve` keeps it fresh).
    pub flags: FeatureFlags,
    /// Uploaded files (`STORAGE_PROVIDER`): served back at `/media/{key}`.
    pub storage: Arc<dyn storage::StorageProvider>,
    /// Usage metering: the quota enforcer (also in `links`) and the usage overview.
    pub usage: usage::UsageCtx,
    /// In-app notifications, email preferences, unsubscribe links; its subscriber and jobs.
    pub notifications: notifications::NotificationsCtx,
    /// The configured rate limits, counted in Postgres.
    pub limiter: RateLimiter,
    /// The `Idempotency-Key` store of the creating API routes.
    pub idempotency: Idempotency,
    /// What server functions (and the shared session helpers) get: the use cases' dependencies
    /// and the request guard.
    pub services: app::server::Services,
}

impl AppState {
    /// The state over `shared`.
    #[must_use]
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }

    /// The parts, for changing one before the state is shared (tests point `leptos` at another
    /// site or add a migration); copies them first if the state is already shared.
    pub fn make_mut(&mut self) -> &mut Shared {
        Arc::make_mut(&mut self.0)
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("config", &self.config).finish_non_exhaustive()
    }
}

/// leptos_axum's route handlers read the options from the state. (`#[derive(FromRef)]` derives
/// impls for the fields of the state type itself, which a newtype around an `Arc` has none of.)
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
