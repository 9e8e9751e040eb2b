//! Configuration from the environment (the table in the README), declared with clap: every field
//! names its variable (`env = "…"`), its default and its value parser, and `mibio --help` lists
//! them. Values are trimmed; an empty one counts as unset. Every bad value is reported as one
//! line naming the variable ([`ConfigError`]); secrets are never echoed back.

use std::ffi::OsStr;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::builder::TypedValueParser;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Args, Command, FromArgMatches as _};
use ipnet::IpNet;
use url::Url;

/// A configuration value that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{var}: {problem}")]
pub struct ConfigError {
    /// The environment variable.
    pub var: String,
    pub problem: String,
}

impl ConfigError {
    /// The one-line error for a clap error raised by a configuration value (`None` for any
    /// other clap error: a bad subcommand, `--help`, …).
    #[must_use]
    pub fn from_clap(err: &clap::Error, cmd: &Command) -> Option<Self> {
        if err.kind() != ErrorKind::ValueValidation {
            return None;
        }
        let Some(ContextValue::String(shown)) = err.get(ContextKind::InvalidArg) else { return None };
        // An option shows as the error showed it (`--public-url <PUBLIC_URL>`) once built.
        let mut cmd = cmd.clone();
        cmd.build();
        let var = cmd.get_arguments().find(|arg| arg.to_string() == *shown)?.get_env()?;
        let problem = std::error::Error::source(err)?.to_string();
        Some(Self { var: var.to_string_lossy().into_owned(), problem })
    }
}

/// Where outgoing email goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// An SMTP relay (`smtp://[user:password@]host:port`).
    Smtp { host: String, port: u16, credentials: Option<(String, String)> },
    /// One `.eml` file per message in a directory (`file:///dir`).
    File(PathBuf),
    /// Logged only (`log`): for development.
    Log,
}

/// The payment provider billing talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentProvider {
    Stripe,
    MercadoPago,
    Polar,
    None,
}

/// Where uploaded files are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageProvider {
    /// Uploads are refused with 503.
    Null,
    Local,
    S3,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (the default).
    Pretty,
    /// One JSON object per line, for log shippers.
    Json,
}

/// Per-client rate limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Args)]
pub struct RateLimits {
    /// Sign-in attempts per client IP and minute.
    #[arg(long = "rate-limit-signin-per-minute", env = "RATE_LIMIT_SIGNIN_PER_MINUTE", default_value = "10", value_parser = setting(whole::<u32>(1..=100_000)))]
    pub signin_per_minute: u32,
    /// Sign-in attempts per account and minute.
    #[arg(long = "rate-limit-signin-account-per-minute", env = "RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE", default_value = "5", value_parser = setting(whole::<u32>(1..=100_000)))]
    pub signin_account_per_minute: u32,
    /// Sign-ups and password-reset requests per client IP and hour.
    #[arg(long = "rate-limit-signup-per-hour", env = "RATE_LIMIT_SIGNUP_PER_HOUR", default_value = "20", value_parser = setting(whole::<u32>(1..=100_000)))]
    pub signup_per_hour: u32,
    /// Public lead submissions per client IP and minute.
    #[arg(long = "rate-limit-leads-per-minute", env = "RATE_LIMIT_LEADS_PER_MINUTE", default_value = "10", value_parser = setting(whole::<u32>(1..=100_000)))]
    pub leads_per_minute: u32,
}

/// One provider price: the plan and interval it charges for, the currency (where the provider's
/// price has one), and the provider's id of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceId {
    pub plan: contracts::billing::PlanId,
    pub interval: contracts::billing::BillingInterval,
    pub currency: Option<contracts::billing::Currency>,
    pub id: String,
}

/// The payment providers' credentials. Only the `PAYMENT_PROVIDER`'s are needed (and then its
/// key and webhook secret are required, see [`Config::check_billing`]).
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct BillingSettings {
    /// Stripe's secret API key (`sk_…`).
    #[arg(long = "stripe-secret-key", env = "STRIPE_SECRET_KEY", hide_env_values = true, default_value = "", hide_default_value = true, value_parser = setting(text))]
    pub stripe_secret_key: String,
    /// The signing secret of the Stripe webhook endpoint (`whsec_…`).
    #[arg(long = "stripe-webhook-secret", env = "STRIPE_WEBHOOK_SECRET", hide_env_values = true, default_value = "", hide_default_value = true, value_parser = setting(text))]
    pub stripe_webhook_secret: String,
    /// Stripe's Price ids, comma-separated `plan:interval:CURRENCY=price_id`
    /// (`pro:month:USD=price_123,pro:year:USD=price_456`).
    #[arg(long = "stripe-prices", env = "STRIPE_PRICES", default_value = "", hide_default_value = true, value_parser = setting(price_ids))]
    pub stripe_prices: std::vec::Vec<PriceId>,
    /// Stripe's API origin (tests point it at a local server).
    #[arg(long = "stripe-api-base", env = "STRIPE_API_BASE", default_value = "https://api.stripe.com", value_parser = setting(api_base))]
    pub stripe_api_base: Url,
    /// Mercado Pago's access token (`APP_USR-…`).
    #[arg(long = "mercadopago-access-token", env = "MERCADOPAGO_ACCESS_TOKEN", hide_env_values = true, default_value = "", hide_default_value = true, value_parser = setting(text))]
    pub mercadopago_access_token: String,
    /// The secret key of the Mercado Pago webhook (`x-signature`).
    #[arg(long = "mercadopago-webhook-secret", env = "MERCADOPAGO_WEBHOOK_SECRET", hide_env_values = true, default_value = "", hide_default_value = true, value_parser = setting(text))]
    pub mercadopago_webhook_secret: String,
    /// The currencies the Mercado Pago account charges in (one per country account), comma-separated.
    #[arg(long = "mercadopago-currencies", env = "MERCADOPAGO_CURRENCIES", default_value = "MXN", value_parser = setting(currencies))]
    pub mercadopago_currencies: std::vec::Vec<contracts::billing::Currency>,
    /// Where "Manage billing" sends a Mercado Pago subscriber (it has no API-made portal).
    #[arg(long = "mercadopago-portal-url", env = "MERCADOPAGO_PORTAL_URL", default_value = "https://www.mercadopago.com/subscriptions", value_parser = setting(api_base))]
    pub mercadopago_portal_url: Url,
    /// Mercado Pago's API origin.
    #[arg(long = "mercadopago-api-base", env = "MERCADOPAGO_API_BASE", default_value = "https://api.mercadopago.com", value_parser = setting(api_base))]
    pub mercadopago_api_base: Url,
    /// Polar's organization access token.
    #[arg(long = "polar-access-token", env = "POLAR_ACCESS_TOKEN", hide_env_values = true, default_value = "", hide_default_value = true, value_parser = setting(text))]
    pub polar_access_token: String,
    /// The secret of the Polar webhook endpoint (Standard Webhooks).
    #[arg(long = "polar-webhook-secret", env = "POLAR_WEBHOOK_SECRET", hide_env_values = true, default_value = "", hide_default_value = true, value_parser = setting(text))]
    pub polar_webhook_secret: String,
    /// Polar's product ids, comma-separated `plan:interval=product_id`.
    #[arg(long = "polar-products", env = "POLAR_PRODUCTS", default_value = "", hide_default_value = true, value_parser = setting(price_ids))]
    pub polar_products: std::vec::Vec<PriceId>,
    /// Polar's API origin (`https://sandbox-api.polar.sh` for its sandbox).
    #[arg(long = "polar-api-base", env = "POLAR_API_BASE", default_value = "https://api.polar.sh", value_parser = setting(api_base))]
    pub polar_api_base: Url,
}

/// Where uploaded files go: the `local` directory, or the `s3` bucket.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct StorageSettings {
    /// The directory of `STORAGE_PROVIDER=local` (created if missing), served at `/media/…`.
    #[arg(long = "storage-local-dir", env = "STORAGE_LOCAL_DIR", default_value = ".data/media", value_parser = setting(text))]
    pub local_dir: String,
    /// The S3-compatible service's origin (R2, MinIO, …); empty means AWS in `S3_REGION`.
    #[arg(long = "s3-endpoint", env = "S3_ENDPOINT", default_value = "", hide_default_value = true, value_parser = setting(text))]
    pub s3_endpoint: String,
    /// The bucket of `STORAGE_PROVIDER=s3`.
    #[arg(long = "s3-bucket", env = "S3_BUCKET", default_value = "", hide_default_value = true, value_parser = setting(text))]
    pub s3_bucket: String,
    /// The bucket's region.
    #[arg(long = "s3-region", env = "S3_REGION", default_value = "us-east-1", value_parser = setting(text))]
    pub s3_region: String,
    /// The access key id.
    #[arg(long = "s3-access-key-id", env = "S3_ACCESS_KEY_ID", hide_env_values = true, default_value = "", hide_default_value = true, value_parser = setting(text))]
    pub s3_access_key_id: String,
    /// The secret access key.
    #[arg(long = "s3-secret-access-key", env = "S3_SECRET_ACCESS_KEY", hide_env_values = true, default_value = "", hide_default_value = true, value_parser = setting(text))]
    pub s3_secret_access_key: String,
    /// The public origin objects are read from (a CDN or the bucket's public URL); empty: the
    /// endpoint and bucket.
    #[arg(long = "s3-public-url", env = "S3_PUBLIC_URL", default_value = "", hide_default_value = true, value_parser = setting(text))]
    pub s3_public_url: String,
    /// Allow a plain-http endpoint (a local test server).
    #[arg(long = "s3-allow-http", env = "S3_ALLOW_HTTP", default_value = "false", action = clap::ArgAction::Set, value_parser = setting(boolean))]
    pub s3_allow_http: bool,
}

/// The host's whole configuration.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Configuration (environment variables, or these options)")]
pub struct Config {
    /// Postgres URL. Only `serve`, `migrate`, `jobs` and `admin` need it.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, default_value = "", hide_default_value = true, value_parser = setting(database_url))]
    pub database_url: std::option::Option<String>,
    /// Most Postgres connections per process.
    #[arg(long, env = "DATABASE_POOL_SIZE", default_value = "16", value_parser = setting(whole::<usize>(1..=1000)))]
    pub database_pool_size: usize,
    /// How long start-up waits for Postgres to accept connections, in seconds.
    #[arg(long = "database-startup-timeout-secs", value_name = "SECONDS", env = "DATABASE_STARTUP_TIMEOUT_SECS", default_value = "30", value_parser = setting(seconds(0..=3600)))]
    pub database_startup_timeout: Duration,
    /// The site's public origin (links, OpenGraph URLs, the CSRF origin; https turns on `Secure`
    /// cookies and HSTS).
    #[arg(long, env = "PUBLIC_URL", default_value = "http://127.0.0.1:3000", value_parser = setting(public_url))]
    pub public_url: Url,
    /// The address to listen on.
    #[arg(long = "leptos-site-addr", env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000", value_parser = setting(site_addr))]
    pub site_addr: SocketAddr,
    /// `smtp://[user:password@]host:port`, `file:///dir` (one `.eml` per message) or `log`.
    #[arg(long, env = "MAIL_TRANSPORT", hide_env_values = true, default_value = "log", value_parser = setting(mail_transport))]
    pub mail_transport: MailTransport,
    /// The sender of outgoing email; `mibio <no-reply@{PUBLIC_URL's domain}>` when unset (see
    /// [`Config::mail_from`]).
    #[arg(long, env = "MAIL_FROM", default_value = "", hide_default_value = true, value_parser = setting(text))]
    pub mail_from: String,
    /// `stripe`, `mercadopago`, `polar` or `none`.
    #[arg(long, env = "PAYMENT_PROVIDER", default_value = "none", value_parser = setting(payment_provider))]
    pub payment_provider: PaymentProvider,
    #[command(flatten)]
    pub billing: BillingSettings,
    /// `null` (uploads answer 503), `local` or `s3`.
    #[arg(long, env = "STORAGE_PROVIDER", default_value = "local", value_parser = setting(storage_provider))]
    pub storage_provider: StorageProvider,
    #[command(flatten)]
    pub storage: StorageSettings,
    /// Whether the plans' caps are enforced (`true`/`false`): `402 quota_exceeded` past a cap; usage
    /// is counted either way.
    #[arg(long, env = "USAGE_METERING_ENABLED", default_value = "false", action = clap::ArgAction::Set, value_parser = setting(boolean))]
    pub usage_metering_enabled: bool,
    /// Comma-separated emails of platform admins (kept lower-cased).
    #[arg(long, env = "PLATFORM_ADMIN_EMAILS", default_value = "", hide_default_value = true, value_parser = setting(admin_emails))]
    pub platform_admin_emails: std::vec::Vec<String>,
    #[command(flatten)]
    pub rate_limits: RateLimits,
    /// Comma-separated CIDRs whose `X-Forwarded-For` is believed.
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "", hide_default_value = true, value_parser = setting(trusted_proxies))]
    pub trusted_proxies: std::vec::Vec<IpNet>,
    /// `pretty` (human lines) or `json` (one object per line).
    #[arg(long, env = "LOG_FORMAT", default_value = "pretty", value_parser = setting(log_format))]
    pub log_format: LogFormat,
    /// An OpenTelemetry collector's OTLP/HTTP base URL (`http://collector:4318`): spans go to
    /// its `/v1/traces`. Unset: no spans leave the process.
    #[arg(long = "otel-exporter-otlp-endpoint", env = "OTEL_EXPORTER_OTLP_ENDPOINT", value_parser = setting(api_base))]
    pub otel_endpoint: Option<Url>,
    /// Longest a request may take to begin its response, in seconds; past it the request is
    /// answered `503 unavailable` with `Retry-After` (uploads excepted: see `http::deadline`).
    #[arg(long = "request-timeout-secs", value_name = "SECONDS", env = "REQUEST_TIMEOUT_SECS", default_value = "15", value_parser = setting(seconds(1..=3600)))]
    pub request_timeout: Duration,
    /// Longest drain of in-flight requests on SIGTERM/SIGINT, in seconds (then, as long again,
    /// of running jobs).
    #[arg(long = "shutdown-timeout-secs", value_name = "SECONDS", env = "SHUTDOWN_TIMEOUT_SECS", default_value = "30", value_parser = setting(seconds(0..=3600)))]
    pub shutdown_timeout: Duration,
    /// Jobs run at once by this process; 0 runs no jobs and no cron schedules here.
    #[arg(long, env = "JOB_WORKERS", default_value = "2", value_parser = setting(whole::<usize>(0..=64)))]
    pub job_workers: usize,
    /// The deployment's name (`production`, `staging`, …); feature flags may be limited to some
    /// environments.
    #[arg(long = "mibio-env", value_name = "NAME", env = "MIBIO_ENV", default_value = "development", value_parser = setting(environment))]
    pub environment: String,
}

impl Config {
    /// Reads configuration through `lookup` (a map in tests) instead of the process environment
    /// (which `mibio`'s command line reads: [`crate::cli::Cli`]): each variable `lookup` knows is
    /// handed to clap as its option.
    ///
    /// # Errors
    /// The first variable with an unusable value.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let declared = Self::augment_args(Command::new("mibio").no_binary_name(true));
        let mut args = Vec::new();
        // Not the process environment: what `lookup` knows, as options.
        let cmd = declared.clone().mut_args(|arg| {
            let name = arg.get_env().and_then(OsStr::to_str);
            if let (Some(value), Some(long)) = (name.and_then(&lookup), arg.get_long()) {
                args.push(format!("--{long}={value}"));
            }
            arg.env(None::<&'static str>)
        });
        let matches = cmd.try_get_matches_from(args).map_err(|err| {
            ConfigError::from_clap(&err, &declared)
                .unwrap_or_else(|| invalid("configuration", err.kind().to_string()))
        })?;
        Self::from_arg_matches(&matches).map_err(|err| invalid("configuration", err.kind().to_string()))
    }

    /// The storage `STORAGE_PROVIDER` and its settings describe.
    ///
    /// # Errors
    /// `S3_BUCKET` (or a key) missing with `STORAGE_PROVIDER=s3`.
    pub fn storage_config(&self) -> Result<storage::StorageConfig, ConfigError> {
        let s = &self.storage;
        let some = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        Ok(match self.storage_provider {
            StorageProvider::Null => storage::StorageConfig::Null,
            StorageProvider::Local => storage::StorageConfig::Local {
                dir: PathBuf::from(&s.local_dir),
                public_url: self.public_origin(),
            },
            StorageProvider::S3 => {
                for (var, value) in [
                    ("S3_BUCKET", &s.s3_bucket),
                    ("S3_ACCESS_KEY_ID", &s.s3_access_key_id),
                    ("S3_SECRET_ACCESS_KEY", &s.s3_secret_access_key),
                ] {
                    if value.is_empty() {
                        return Err(invalid(var, "is required with STORAGE_PROVIDER=s3"));
                    }
                }
                storage::StorageConfig::S3(storage::S3Config {
                    endpoint: some(&s.s3_endpoint),
                    bucket: s.s3_bucket.clone(),
                    region: s.s3_region.clone(),
                    access_key_id: s.s3_access_key_id.clone(),
                    secret_access_key: s.s3_secret_access_key.clone(),
                    public_url: some(&s.s3_public_url),
                    allow_http: s.s3_allow_http,
                })
            }
        })
    }

    /// Checks that the `PAYMENT_PROVIDER`'s credentials are set.
    ///
    /// # Errors
    /// The first missing one.
    pub fn check_billing(&self) -> Result<(), ConfigError> {
        let b = &self.billing;
        let required: &[(&str, &str)] = match self.payment_provider {
            PaymentProvider::None => &[],
            PaymentProvider::Stripe => &[
                ("STRIPE_SECRET_KEY", &b.stripe_secret_key),
                ("STRIPE_WEBHOOK_SECRET", &b.stripe_webhook_secret),
            ],
            PaymentProvider::MercadoPago => &[
                ("MERCADOPAGO_ACCESS_TOKEN", &b.mercadopago_access_token),
                ("MERCADOPAGO_WEBHOOK_SECRET", &b.mercadopago_webhook_secret),
            ],
            PaymentProvider::Polar => &[
                ("POLAR_ACCESS_TOKEN", &b.polar_access_token),
                ("POLAR_WEBHOOK_SECRET", &b.polar_webhook_secret),
            ],
        };
        match required.iter().find(|(_, value)| value.is_empty()) {
            Some((var, _)) => Err(invalid(var, "is required with this PAYMENT_PROVIDER")),
            None => Ok(()),
        }
    }

    /// The database URL, for commands that need one.
    ///
    /// # Errors
    /// When `DATABASE_URL` is unset.
    pub fn require_database_url(&self) -> Result<&str, ConfigError> {
        self.database_url.as_deref().ok_or_else(|| {
            invalid("DATABASE_URL", "is not set; point it at Postgres (scripts/run provisions a local one)")
        })
    }

    /// The sender address of outgoing email.
    #[must_use]
    pub fn mail_from(&self) -> String {
        if self.mail_from.is_empty() {
            // An IP address or a dotless host is not a valid mail domain.
            let host =
                self.public_url.domain().filter(|d| d.contains('.')).unwrap_or("localhost.localdomain");
            format!("mibio <no-reply@{host}>")
        } else {
            self.mail_from.clone()
        }
    }

    /// The public origin without a trailing slash (`https://mibio.example`), as browsers send it
    /// in `Origin`.
    #[must_use]
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }

    /// Whether cookies must be `Secure` (the public origin is https).
    #[must_use]
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

fn invalid(var: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError { var: var.to_owned(), problem: problem.into() }
}

/// The value parser of every setting: trims the value, reads an empty one as the option's
/// default, then hands it to `parse`, whose error becomes the one-line problem.
fn setting<T, F>(parse: F) -> Setting<F>
where
    F: Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    Setting(parse)
}

#[derive(Clone)]
struct Setting<F>(F);

impl<T, F> TypedValueParser for Setting<F>
where
    F: Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    type Value = T;

    fn parse_ref(&self, cmd: &Command, arg: Option<&Arg>, value: &OsStr) -> Result<T, clap::Error> {
        let Some(raw) = value.to_str() else {
            let not_text = |_: &str| Err::<T, _>("is not valid UTF-8".to_owned());
            return not_text.parse_ref(cmd, arg, OsStr::new(""));
        };
        let mut raw = raw.trim();
        if raw.is_empty() {
            raw = arg.and_then(|a| a.get_default_values().first()).and_then(|d| d.to_str()).unwrap_or("");
        }
        // Errors carry the option (clap's `InvalidArg`) and the problem as their source, which
        // `ConfigError::from_clap` turns into one line.
        self.0.parse_ref(cmd, arg, OsStr::new(raw))
    }
}

fn whole<T>(range: std::ops::RangeInclusive<T>) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy + Send + Sync,
{
    move |raw| match raw.parse::<T>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number from {} to {}, got {raw:?}", range.start(), range.end())),
    }
}

fn seconds(
    range: std::ops::RangeInclusive<u64>,
) -> impl Fn(&str) -> Result<Duration, String> + Clone + Send + Sync {
    let whole = whole(range);
    move |raw| whole(raw).map(Duration::from_secs)
}

/// Text as it is (after the trimming every setting gets).
fn text(raw: &str) -> Result<String, String> {
    Ok(raw.to_owned())
}

fn boolean(raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        other => Err(format!("expected true or false, got {other:?}")),
    }
}

fn database_url(raw: &str) -> Result<Option<String>, String> {
    if raw.is_empty() {
        return Ok(None);
    }
    kernel::db::validate_url(raw)
        .map(|()| Some(raw.to_owned()))
        .map_err(|e| e.to_string().trim_start_matches("DATABASE_URL ").to_owned())
}

fn payment_provider(raw: &str) -> Result<PaymentProvider, String> {
    match raw {
        "none" => Ok(PaymentProvider::None),
        "stripe" => Ok(PaymentProvider::Stripe),
        "mercadopago" => Ok(PaymentProvider::MercadoPago),
        "polar" => Ok(PaymentProvider::Polar),
        other => Err(format!("unknown provider {other:?}; use stripe, mercadopago, polar or none")),
    }
}

/// `plan:interval[:CURRENCY]=id`, comma-separated.
fn price_ids(raw: &str) -> Result<Vec<PriceId>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let bad =
                || format!("{entry:?} is not plan:interval[:CURRENCY]=id (e.g. pro:month:USD=price_123)");
            let (key, id) = entry.split_once('=').ok_or_else(bad)?;
            let mut parts = key.split(':');
            let plan = parts.next().and_then(|p| p.trim().parse().ok()).ok_or_else(bad)?;
            let interval = parts.next().and_then(|p| p.trim().parse().ok()).ok_or_else(bad)?;
            let currency =
                parts.next().map(|c| c.trim().to_uppercase().parse()).transpose().map_err(|_| bad())?;
            if parts.next().is_some() || id.trim().is_empty() || plan == contracts::billing::PlanId::Free {
                return Err(bad());
            }
            Ok(PriceId { plan, interval, currency, id: id.trim().to_owned() })
        })
        .collect()
}

/// ISO 4217 codes, comma-separated.
fn currencies(raw: &str) -> Result<Vec<contracts::billing::Currency>, String> {
    let list = raw
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            c.to_uppercase().parse().map_err(|_| format!("{c:?} is not one of USD, MXN, BRL, ARS, COP, CLP"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if list.is_empty() {
        return Err("name at least one currency".to_owned());
    }
    Ok(list)
}

/// An http(s) origin of a provider's API.
fn api_base(raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|e| format!("{raw:?} is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("{raw:?} must be an http or https URL"));
    }
    Ok(url)
}

fn storage_provider(raw: &str) -> Result<StorageProvider, String> {
    match raw {
        "local" => Ok(StorageProvider::Local),
        "null" => Ok(StorageProvider::Null),
        "s3" => Ok(StorageProvider::S3),
        other => Err(format!("unknown provider {other:?}; use null, local or s3")),
    }
}

fn log_format(raw: &str) -> Result<LogFormat, String> {
    match raw {
        "pretty" | "text" => Ok(LogFormat::Pretty),
        "json" => Ok(LogFormat::Json),
        other => Err(format!("unknown format {other:?}; use pretty or json")),
    }
}

fn public_url(raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|e| format!("{raw:?} is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("{raw:?} must be an http or https origin such as https://mibio.example"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(format!("{raw:?} must be a bare origin (no path, query, fragment or credentials)"));
    }
    Ok(url)
}

fn site_addr(raw: &str) -> Result<SocketAddr, String> {
    raw.parse().map_err(|_| format!("{raw:?} is not an address such as 127.0.0.1:3000 or 0.0.0.0:3000"))
}

fn mail_transport(raw: &str) -> Result<MailTransport, String> {
    if raw == "log" {
        return Ok(MailTransport::Log);
    }
    let bad = |why: &str| format!("{raw:?} {why}; use smtp://host:port, file:///dir or log");
    let url = Url::parse(raw).map_err(|_| bad("is not a URL"))?;
    match url.scheme() {
        "smtp" => {
            let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(|| bad("has no host"))?;
            let credentials = (!url.username().is_empty()).then(|| {
                let decode = |s: &str| {
                    url::form_urlencoded::parse(format!("x={s}").as_bytes())
                        .next()
                        .map(|(_, v)| v.into_owned())
                        .unwrap_or_default()
                };
                (decode(url.username()), decode(url.password().unwrap_or_default()))
            });
            Ok(MailTransport::Smtp { host: host.to_owned(), port: url.port().unwrap_or(25), credentials })
        }
        "file" => {
            url.to_file_path().map(MailTransport::File).map_err(|()| bad("is not an absolute directory"))
        }
        _ => Err(bad("has an unknown scheme")),
    }
}

fn admin_emails(raw: &str) -> Result<Vec<String>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|email| {
            let (local, domain) = email.split_once('@').unwrap_or_default();
            if local.is_empty() || !domain.contains('.') || email.chars().any(char::is_whitespace) {
                Err(format!("{email:?} is not an email address"))
            } else {
                Ok(email.to_lowercase())
            }
        })
        .collect()
}

fn environment(raw: &str) -> Result<String, String> {
    contracts::flags::check_environment(raw)
        .map(|()| raw.to_owned())
        .map_err(|problem| format!("{raw:?} {problem}, such as production or staging"))
}

fn trusted_proxies(raw: &str) -> Result<Vec<IpNet>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|cidr| {
            cidr.parse::<IpNet>()
                .or_else(|_| cidr.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{cidr:?} is not a CIDR such as 10.0.0.0/8"))
        })
        .collect()
}

#[cfg(test)]
mod tests;
