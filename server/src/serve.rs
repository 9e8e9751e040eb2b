//! `mibio serve`: wait for the database, migrate it, bind, start the background work (jobs, cron
//! schedules, the outbox dispatcher: [`crate::jobs`]) and serve until SIGTERM/SIGINT, then drain
//! in-flight requests (up to `SHUTDOWN_TIMEOUT_SECS`) and stop the background work (as long again).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use axum::Router;
use axum::serve::ListenerExt as _;
use kernel::db::{PoolSettings, build_pool};
use leptos::config::{Env, LeptosOptions};
use tokio::net::TcpListener;
use tokio::sync::Notify;

use iam::IamCtx;
use iam::PasswordHasher;
use kernel::{Clock, SystemClock};
use links::LinksCtx;
use links::cache::{CHANGE_CHANNEL, PublicPageCache, on_signal};
use notifications::{EmailSender, Mailbox, SmtpCredentials, Transport, sender_from};
use tenancy::TenancyCtx;

use crate::config::{Config, MailTransport};
use crate::http::guard::HostGuard;
use crate::http::idempotency::Idempotency;
use crate::http::rate_limit::RateLimiter;
use crate::metrics::Metrics;
use crate::state::{AppState, Shared};

/// The job registry of this host (each context's handlers and schedules); see [`crate::jobs`].
pub use crate::jobs::registry as jobs;

/// Runs the server until a shutdown signal.
///
/// # Errors
/// When the database stays unreachable past the start-up timeout, a migration fails, or the
/// address cannot be bound.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let url = config.require_database_url()?.to_owned();
    migrate_when_ready(&url, config.database_startup_timeout).await?;
    let state = build_state(config)?;
    // Compute the dummy password hash now, so the first sign-in with an unknown email costs what
    // every later one does (timing must not tell unknown emails apart).
    if let Ok(attempt) = iam::domain::password::PasswordAttempt::parse("warm-up") {
        state.iam.hasher.verify_dummy(&attempt).await;
    }
    announce_setup_token(&state).await;
    if let Err(e) = usage::application::store_definitions(&state.usage).await {
        tracing::warn!(error = %e, "usage meter definitions could not be stored; the migrated ones stay");
    }
    // Other replicas' writes evict this process's public page cache.
    let _cache_listener =
        runtime::notify::spawn_listener(url.clone(), &[CHANGE_CHANNEL], on_signal(state.links.cache.clone()));
    // Feature flags: the stored settings before the first request, then kept fresh (other
    // replicas' writes through NOTIFY, and a periodic safety reload).
    if let Err(e) = state.flags.reload().await {
        tracing::warn!(error = %e, "feature flags could not be loaded; using the code defaults until the next refresh");
    }
    let _flags_refresher =
        state.flags.spawn_refresher(url.clone(), feature_flags::application::REFRESH_EVERY);
    let addr = state.config.site_addr;
    let listener = TcpListener::bind(addr).await.with_context(|| format!("could not listen on {addr}"))?;
    tracing::info!(
        address = %listener.local_addr().unwrap_or(addr),
        public_url = %state.config.public_url,
        "mibio is serving"
    );
    let grace = state.config.shutdown_timeout;
    let ingest = state.analytics.clone();
    // Jobs, cron schedules and the outbox dispatcher (not in build_state: tests build states
    // without background tasks).
    let background = crate::jobs::Background::start(&state, &url);
    run(listener, crate::http::router(state), shutdown_signal(), grace).await?;
    // Every beacon the drained requests accepted is written before the process exits.
    ingest.shutdown().await;
    background.shutdown(grace).await;
    tracing::info!("mibio stopped");
    Ok(())
}

/// The application state for `config` (builds the pool; connects lazily).
///
/// # Errors
/// When the database URL is missing or invalid.
pub fn build_state(config: Config) -> anyhow::Result<AppState> {
    let mail = mail_sender(&config)?;
    build_state_with(config, mail, Arc::new(SystemClock))
}

/// The application state with a given mail sender and clock (tests pass a capture SMTP server's
/// sender and a fixed clock).
///
/// # Errors
/// When the database URL is missing or invalid.
pub fn build_state_with(
    config: Config,
    mail: Arc<dyn EmailSender>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<AppState> {
    let url = config.require_database_url()?;
    let db =
        build_pool(url, PoolSettings { max_size: config.database_pool_size, ..PoolSettings::default() })?;
    let public_url = config.public_origin();
    let storage = storage::provider_from(&config.storage_config()?)
        .context("STORAGE_PROVIDER: the storage could not be set up")?;
    let iam = IamCtx {
        db: db.clone(),
        hasher: PasswordHasher::new(),
        mail: mail.clone(),
        clock: clock.clone(),
        public_url: public_url.clone(),
        storage: storage.clone(),
    };
    let platform = platform::PlatformCtx {
        db: db.clone(),
        clock: clock.clone(),
        config_admins: Arc::new(config.platform_admin_emails.clone()),
    };
    let billing =
        billing::BillingCtx { db: db.clone(), clock: clock.clone(), provider: payment_provider(&config)? };
    let usage = usage::UsageCtx {
        db: db.clone(),
        enforcer: usage::QuotaEnforcer::new(
            crate::directory::usage_meters(),
            Arc::new(crate::directory::BillingPlans(billing.clone())),
            clock.clone(),
            config.usage_metering_enabled,
        ),
    };
    let links = LinksCtx {
        db: db.clone(),
        clock: clock.clone(),
        cache: Arc::new(PublicPageCache::default()),
        quotas: Arc::new(usage.enforcer.clone()),
        premium: Arc::new(crate::directory::BillingPremium(billing.clone())),
        storage: storage.clone(),
    };
    let analytics = analytics::Ingest::start(
        db.clone(),
        clock.clone(),
        Arc::new(crate::directory::LinksPages(links.clone())),
        analytics::IngestConfig {
            own_host: url::Url::parse(&public_url).ok().and_then(|u| u.host_str().map(ToOwned::to_owned)),
            ..analytics::IngestConfig::default()
        },
    );
    let directory = Arc::new(crate::directory::IamDirectory(iam.clone()));
    let audit = audit::AuditCtx { db: db.clone(), clock: clock.clone(), users: directory.clone() };
    let flags = feature_flags::FeatureFlags::new(db.clone(), clock.clone(), &config.environment);
    let tenancy = TenancyCtx {
        db: db.clone(),
        clock: clock.clone(),
        mail: mail.clone(),
        users: directory,
        public_url: public_url.clone(),
    };
    let notifications = notifications::NotificationsCtx {
        db: db.clone(),
        clock: clock.clone(),
        mail,
        recipients: Arc::new(crate::directory::NotificationsDirectory {
            iam: iam.clone(),
            tenancy: tenancy.clone(),
            links: links.clone(),
        }),
        public_url: public_url.clone(),
    };
    let limiter = RateLimiter::new(db.clone(), config.rate_limits, clock.clone());
    let services = app::server::Services {
        iam: iam.clone(),
        tenancy: tenancy.clone(),
        links: links.clone(),
        analytics: analytics::application::AnalyticsCtx {
            db: db.clone(),
            clock: clock.clone(),
            pages: Arc::new(crate::directory::LinksPages(links.clone())),
        },
        platform: platform.clone(),
        console: platform::application::console::ConsoleCtx {
            platform: platform.clone(),
            iam: iam.clone(),
            tenancy: tenancy.clone(),
            audit: audit.clone(),
            flags: flags.clone(),
            billing: billing.clone(),
        },
        audit: audit.clone(),
        flags: flags.clone(),
        usage: usage.clone(),
        billing: billing.clone(),
        notifications: notifications.clone(),
        public_url: public_url.clone(),
        guard: Arc::new(HostGuard {
            limiter: limiter.clone(),
            trusted_proxies: config.trusted_proxies.clone(),
        }),
        secure_cookies: config.secure_cookies(),
    };
    Ok(AppState::new(Shared {
        leptos: leptos_options(&config)?,
        config: Arc::new(config),
        idempotency: Idempotency::new(db.clone(), clock),
        db,
        metrics: Arc::new(Metrics::new()),
        migrations: Arc::new(kernel::migrations::embedded_versions()),
        cards: cards::Cards::for_this_machine()?.with_trim(crate::alloc::trim),
        storage,
        public_html: Arc::default(),
        card_keys: Arc::default(),
        iam,
        tenancy,
        links,
        platform,
        analytics,
        audit,
        flags,
        usage,
        notifications,
        limiter,
        services,
    }))
}

/// The payment provider `PAYMENT_PROVIDER` names, built from its settings; `None` for `none`.
///
/// # Errors
/// When the provider's key or webhook secret is missing, or its HTTP client cannot be built.
pub fn payment_provider(config: &Config) -> anyhow::Result<Option<Arc<dyn billing::PaymentProvider>>> {
    use billing::providers::{
        MercadoPagoConfig, MercadoPagoProvider, PolarConfig, PolarProvider, PriceIds, StripeConfig,
        StripeProvider,
    };
    config.check_billing()?;
    let ids = |list: &[crate::config::PriceId]| {
        list.iter().fold(PriceIds::new(), |ids, p| ids.with(p.plan, p.interval, p.currency, p.id.clone()))
    };
    let origin = |url: &url::Url| url.as_str().trim_end_matches('/').to_owned();
    let b = &config.billing;
    let provider: Arc<dyn billing::PaymentProvider> = match config.payment_provider {
        crate::config::PaymentProvider::None => return Ok(None),
        crate::config::PaymentProvider::Stripe => Arc::new(StripeProvider::new(StripeConfig {
            api_base: origin(&b.stripe_api_base),
            secret_key: b.stripe_secret_key.clone(),
            webhook_secret: b.stripe_webhook_secret.clone(),
            prices: ids(&b.stripe_prices),
        })?),
        crate::config::PaymentProvider::MercadoPago => {
            Arc::new(MercadoPagoProvider::new(MercadoPagoConfig {
                api_base: origin(&b.mercadopago_api_base),
                access_token: b.mercadopago_access_token.clone(),
                webhook_secret: b.mercadopago_webhook_secret.clone(),
                currencies: b.mercadopago_currencies.clone(),
                portal_url: b.mercadopago_portal_url.to_string(),
            })?)
        }
        crate::config::PaymentProvider::Polar => Arc::new(PolarProvider::new(PolarConfig {
            api_base: origin(&b.polar_api_base),
            access_token: b.polar_access_token.clone(),
            webhook_secret: b.polar_webhook_secret.clone(),
            products: ids(&b.polar_products),
        })?),
    };
    Ok(Some(provider))
}

/// The email sender `MAIL_TRANSPORT` asks for.
///
/// # Errors
/// When `MAIL_FROM` is not a mailbox or the transport cannot be set up.
pub fn mail_sender(config: &Config) -> anyhow::Result<Arc<dyn EmailSender>> {
    let from: Mailbox = config
        .mail_from()
        .parse()
        .with_context(|| format!("MAIL_FROM: {:?} is not a mailbox", config.mail_from()))?;
    let transport = match &config.mail_transport {
        MailTransport::Smtp { host, port, credentials } => Transport::Smtp {
            host: host.clone(),
            port: *port,
            credentials: credentials
                .clone()
                .map(|(username, password)| SmtpCredentials { username, password }),
        },
        MailTransport::File(dir) => Transport::File(dir.clone()),
        MailTransport::Log => Transport::Log,
    };
    sender_from(transport, from).context("MAIL_TRANSPORT: the mail transport could not be set up")
}

/// When the platform has no admin yet, prints the one-time setup token that makes the first
/// visitor of `/admin/setup` one (a new token at every start until then).
async fn announce_setup_token(state: &AppState) {
    match platform::application::admins::issue_setup_token(&state.platform).await {
        Ok(Some(token)) => tracing::warn!(
            setup_url = %format!("{}/admin/setup", state.config.public_origin()),
            setup_token = %token,
            "no platform admin yet: sign up, open the setup page and enter this token (valid 24 h), \
             or set PLATFORM_ADMIN_EMAILS, or run `mibio admin create EMAIL`"
        ),
        Ok(None) => {}
        Err(err) => tracing::warn!(%err, "could not check whether the platform has an admin"),
    }
}

/// `mibio admin create EMAIL`: grants the signed-up user with `email` the platform admin role;
/// `false` when they had it.
///
/// # Errors
/// When no active user has that email, or the database fails.
pub async fn grant_admin(state: &AppState, email: &str) -> anyhow::Result<bool> {
    let user = iam::application::users::find_by_email(&state.iam, email)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .ok_or_else(|| anyhow::anyhow!("no active user has the email {email:?}: sign up first"))?;
    let person = platform::application::Person::of(&user);
    platform::application::admins::grant(
        &state.platform,
        person,
        None,
        platform::application::admins::Via::Cli,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Applies pending migrations, retrying while the database is still starting (up to `timeout`).
async fn migrate_when_ready(url: &str, timeout: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    let mut delay = Duration::from_millis(250);
    loop {
        match kernel::migrations::run_pending(url).await {
            Ok(applied) => {
                if applied.is_empty() {
                    tracing::info!("database schema is current");
                } else {
                    tracing::info!(applied = ?applied, "applied migrations");
                }
                return Ok(());
            }
            // Keep waiting only while we could not connect at all; a failing migration is final.
            Err(e) if Instant::now() < deadline && format!("{e:#}").contains("could not connect") => {
                tracing::warn!(error = %format!("{e:#}"), retry_in_ms = delay.as_millis(), "database not reachable yet");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
            Err(e) => return Err(e),
        }
    }
}

/// The Leptos options, from the `LEPTOS_*` variables cargo-leptos uses, with the listen address
/// from our config. Hashed asset names are on when cargo-leptos left a `hash.txt` beside the
/// binary (or `LEPTOS_HASH_FILES=true`).
fn leptos_options(config: &Config) -> anyhow::Result<LeptosOptions> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let hash_files = match var("LEPTOS_HASH_FILES") {
        Some(v) => {
            v.parse().map_err(|_| anyhow::anyhow!("LEPTOS_HASH_FILES: expected true or false, got {v:?}"))?
        }
        None => std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.join("hash.txt").is_file()))
            .unwrap_or(false),
    };
    let reload_port = match var("LEPTOS_RELOAD_PORT") {
        Some(v) => {
            v.parse().map_err(|_| anyhow::anyhow!("LEPTOS_RELOAD_PORT: expected a port number, got {v:?}"))?
        }
        None => 3001,
    };
    let output_name = var("LEPTOS_OUTPUT_NAME")
        .unwrap_or_else(|| option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("mibio").to_owned());
    Ok(LeptosOptions::builder()
        .output_name(output_name)
        .site_root(var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()))
        .site_pkg_dir(var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|| "pkg".to_owned()))
        .env(if var("LEPTOS_ENV").is_some_and(|e| e.eq_ignore_ascii_case("prod")) {
            Env::PROD
        } else {
            Env::DEV
        })
        .site_addr(config.site_addr)
        .reload_port(reload_port)
        .hash_files(hash_files)
        .build())
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting connections
/// and waits for in-flight requests — at most `grace` — before returning.
///
/// # Errors
/// When accepting connections fails.
pub async fn run(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let stopping = Arc::new(Notify::new());
    let signal = {
        let stopping = Arc::clone(&stopping);
        async move {
            shutdown.await;
            tracing::info!(grace_secs = grace.as_secs(), "shutting down: draining in-flight requests");
            stopping.notify_one();
        }
    };
    // Without TCP_NODELAY, a response written in two parts (head, then a streamed body) waits
    // for the client's delayed ACK: ~40 ms per static file on keep-alive connections.
    let listener = listener.tap_io(|tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::debug!(%err, "could not set TCP_NODELAY");
        }
    });
    let server = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(signal);
    tokio::select! {
        result = server => result,
        () = async { stopping.notified().await; tokio::time::sleep(grace).await } => {
            tracing::warn!("shutdown grace period over; abandoning the requests still running");
            Ok(())
        }
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
