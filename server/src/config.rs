//! Configuration from the environment (the table in `docs/http-api.md`). Every bad value is
//! reported as one clear line naming the variable; secrets are never echoed back.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use ipnet::IpNet;
use url::Url;

/// A configuration value that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{var}: {problem}")]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

fn invalid(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError { var, problem: problem.into() }
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub signin_per_minute: u32,
    pub signin_account_per_minute: u32,
    pub signup_per_hour: u32,
    pub leads_per_minute: u32,
}

/// The host's whole configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `None` only when the command needs no database (e.g. `--help`); `serve` and `migrate`
    /// demand it.
    pub database_url: Option<String>,
    pub database_pool_size: usize,
    /// How long start-up waits for the database to accept connections.
    pub database_startup_timeout: Duration,
    pub public_url: Url,
    pub site_addr: SocketAddr,
    pub mail_transport: MailTransport,
    /// The sender of outgoing email (`MAIL_FROM`); defaults to `mibio <no-reply@{public host}>`.
    pub mail_from: String,
    pub payment_provider: PaymentProvider,
    pub storage_provider: StorageProvider,
    pub usage_metering_enabled: bool,
    /// Lower-cased.
    pub platform_admin_emails: Vec<String>,
    pub rate_limits: RateLimits,
    pub trusted_proxies: Vec<IpNet>,
    pub log_format: LogFormat,
    /// Longest a graceful shutdown waits for in-flight requests (and then for running jobs).
    pub shutdown_timeout: Duration,
    /// Job workers in this process; 0 runs no jobs and no cron schedules here.
    pub job_workers: usize,
    /// The deployment's name (`MIBIO_ENV`: `production`, `staging`, …); feature flags may be
    /// limited to some environments.
    pub environment: String,
}

impl Config {
    /// Reads the process environment.
    ///
    /// # Errors
    /// The first variable with an unusable value.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup` (the environment, or a map in tests). Empty values
    /// count as unset.
    ///
    /// # Errors
    /// The first variable with an unusable value.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());

        let database_url = get("DATABASE_URL");
        if let Some(url) = &database_url {
            kernel::db::validate_url(url).map_err(|e| {
                invalid("DATABASE_URL", e.to_string().trim_start_matches("DATABASE_URL ").to_owned())
            })?;
        }
        Ok(Self {
            database_url,
            database_pool_size: number(&get, "DATABASE_POOL_SIZE", 16, 1..=1000)?,
            database_startup_timeout: Duration::from_secs(number(
                &get,
                "DATABASE_STARTUP_TIMEOUT_SECS",
                30,
                0..=3600,
            )?),
            public_url: public_url(get("PUBLIC_URL"))?,
            site_addr: site_addr(get("LEPTOS_SITE_ADDR"))?,
            mail_transport: mail_transport(get("MAIL_TRANSPORT"))?,
            mail_from: get("MAIL_FROM").unwrap_or_default(),
            payment_provider: match get("PAYMENT_PROVIDER").as_deref() {
                None | Some("none") => PaymentProvider::None,
                Some("stripe") => PaymentProvider::Stripe,
                Some("mercadopago") => PaymentProvider::MercadoPago,
                Some("polar") => PaymentProvider::Polar,
                Some(other) => {
                    return Err(invalid(
                        "PAYMENT_PROVIDER",
                        format!("unknown provider {other:?}; use stripe, mercadopago, polar or none"),
                    ));
                }
            },
            storage_provider: match get("STORAGE_PROVIDER").as_deref() {
                None | Some("local") => StorageProvider::Local,
                Some("null") => StorageProvider::Null,
                Some("s3") => StorageProvider::S3,
                Some(other) => {
                    return Err(invalid(
                        "STORAGE_PROVIDER",
                        format!("unknown provider {other:?}; use null, local or s3"),
                    ));
                }
            },
            usage_metering_enabled: boolean(&get, "USAGE_METERING_ENABLED", false)?,
            platform_admin_emails: admin_emails(get("PLATFORM_ADMIN_EMAILS"))?,
            rate_limits: RateLimits {
                signin_per_minute: number(&get, "RATE_LIMIT_SIGNIN_PER_MINUTE", 10, 1..=100_000)?,
                signin_account_per_minute: number(
                    &get,
                    "RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE",
                    5,
                    1..=100_000,
                )?,
                signup_per_hour: number(&get, "RATE_LIMIT_SIGNUP_PER_HOUR", 20, 1..=100_000)?,
                leads_per_minute: number(&get, "RATE_LIMIT_LEADS_PER_MINUTE", 10, 1..=100_000)?,
            },
            trusted_proxies: trusted_proxies(get("TRUSTED_PROXIES"))?,
            log_format: match get("LOG_FORMAT").as_deref() {
                None | Some("pretty" | "text") => LogFormat::Pretty,
                Some("json") => LogFormat::Json,
                Some(other) => {
                    return Err(invalid(
                        "LOG_FORMAT",
                        format!("unknown format {other:?}; use pretty or json"),
                    ));
                }
            },
            shutdown_timeout: Duration::from_secs(number(&get, "SHUTDOWN_TIMEOUT_SECS", 30, 0..=3600)?),
            job_workers: number(&get, "JOB_WORKERS", 2, 0..=64)?,
            environment: environment(get("MIBIO_ENV"))?,
        })
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

fn number<T>(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    let Some(raw) = get(var) else { return Ok(default) };
    match raw.parse::<T>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(invalid(
            var,
            format!("expected a whole number from {} to {}, got {raw:?}", range.start(), range.end()),
        )),
    }
}

fn boolean(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match get(var).map(|v| v.to_ascii_lowercase()).as_deref() {
        None => Ok(default),
        Some("true" | "1" | "yes" | "on") => Ok(true),
        Some("false" | "0" | "no" | "off") => Ok(false),
        Some(other) => Err(invalid(var, format!("expected true or false, got {other:?}"))),
    }
}

fn public_url(raw: Option<String>) -> Result<Url, ConfigError> {
    let raw = raw.unwrap_or_else(|| "http://127.0.0.1:3000".to_owned());
    let url = Url::parse(&raw).map_err(|e| invalid("PUBLIC_URL", format!("{raw:?} is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(invalid(
            "PUBLIC_URL",
            format!("{raw:?} must be an http or https origin such as https://mibio.example"),
        ));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(invalid(
            "PUBLIC_URL",
            format!("{raw:?} must be a bare origin (no path, query, fragment or credentials)"),
        ));
    }
    Ok(url)
}

fn site_addr(raw: Option<String>) -> Result<SocketAddr, ConfigError> {
    let raw = raw.unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    raw.parse().map_err(|_| {
        invalid(
            "LEPTOS_SITE_ADDR",
            format!("{raw:?} is not an address such as 127.0.0.1:3000 or 0.0.0.0:3000"),
        )
    })
}

fn mail_transport(raw: Option<String>) -> Result<MailTransport, ConfigError> {
    let Some(raw) = raw else { return Ok(MailTransport::Log) };
    if raw == "log" {
        return Ok(MailTransport::Log);
    }
    let bad = |why: &str| {
        invalid("MAIL_TRANSPORT", format!("{raw:?} {why}; use smtp://host:port, file:///dir or log"))
    };
    let url = Url::parse(&raw).map_err(|_| bad("is not a URL"))?;
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

fn admin_emails(raw: Option<String>) -> Result<Vec<String>, ConfigError> {
    let Some(raw) = raw else { return Ok(Vec::new()) };
    raw.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|email| {
            let (local, domain) = email.split_once('@').unwrap_or_default();
            if local.is_empty() || !domain.contains('.') || email.chars().any(char::is_whitespace) {
                Err(invalid("PLATFORM_ADMIN_EMAILS", format!("{email:?} is not an email address")))
            } else {
                Ok(email.to_lowercase())
            }
        })
        .collect()
}

fn environment(raw: Option<String>) -> Result<String, ConfigError> {
    let Some(raw) = raw else { return Ok("development".to_owned()) };
    contracts::flags::check_environment(&raw)
        .map(|()| raw.clone())
        .map_err(|problem| invalid("MIBIO_ENV", format!("{raw:?} {problem}, such as production or staging")))
}

fn trusted_proxies(raw: Option<String>) -> Result<Vec<IpNet>, ConfigError> {
    let Some(raw) = raw else { return Ok(Vec::new()) };
    raw.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|cidr| {
            cidr.parse::<IpNet>()
                .or_else(|_| cidr.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| invalid("TRUSTED_PROXIES", format!("{cidr:?} is not a CIDR such as 10.0.0.0/8")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> =
            vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_match_the_documented_table() {
        let c = load(&[]).unwrap();
        assert_eq!(c.database_url, None);
        assert_eq!(c.public_url.as_str(), "http://127.0.0.1:3000/");
        assert_eq!(c.site_addr, "127.0.0.1:3000".parse().unwrap());
        assert_eq!(c.mail_transport, MailTransport::Log);
        assert_eq!(c.payment_provider, PaymentProvider::None);
        assert_eq!(c.storage_provider, StorageProvider::Local);
        assert!(!c.usage_metering_enabled);
        assert!(c.platform_admin_emails.is_empty());
        assert_eq!(
            c.rate_limits,
            RateLimits {
                signin_per_minute: 10,
                signin_account_per_minute: 5,
                signup_per_hour: 20,
                leads_per_minute: 10
            }
        );
        assert!(c.trusted_proxies.is_empty());
        assert_eq!(c.log_format, LogFormat::Pretty);
        assert_eq!(c.job_workers, 2);
        assert_eq!(c.environment, "development");
        assert!(!c.secure_cookies());
        assert_eq!(c.public_origin(), "http://127.0.0.1:3000");
        assert_eq!(c.mail_from(), "mibio <no-reply@localhost.localdomain>");
        assert!(c.require_database_url().unwrap_err().to_string().starts_with("DATABASE_URL: is not set"));
    }

    #[test]
    fn reads_every_variable() {
        let c = load(&[
            ("DATABASE_URL", "postgres://app:secret@db:5432/mibio"),
            ("PUBLIC_URL", "https://mibio.example"),
            ("LEPTOS_SITE_ADDR", "0.0.0.0:8080"),
            ("MAIL_TRANSPORT", "smtp://mail.internal:2525"),
            ("PAYMENT_PROVIDER", "mercadopago"),
            ("STORAGE_PROVIDER", "s3"),
            ("USAGE_METERING_ENABLED", "true"),
            ("PLATFORM_ADMIN_EMAILS", " Root@Example.com, ops@example.com ,"),
            ("RATE_LIMIT_LEADS_PER_MINUTE", "30"),
            ("TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7"),
            ("LOG_FORMAT", "json"),
            ("JOB_WORKERS", "0"),
            ("MIBIO_ENV", "production"),
        ])
        .unwrap();
        assert_eq!(c.environment, "production");
        assert_eq!(c.require_database_url().unwrap(), "postgres://app:secret@db:5432/mibio");
        assert!(c.secure_cookies());
        assert_eq!(c.site_addr.port(), 8080);
        assert_eq!(
            c.mail_transport,
            MailTransport::Smtp { host: "mail.internal".into(), port: 2525, credentials: None }
        );
        let smtp = load(&[("MAIL_TRANSPORT", "smtp://apikey:s%40cret@smtp.example.com:587")])
            .unwrap()
            .mail_transport;
        assert_eq!(
            smtp,
            MailTransport::Smtp {
                host: "smtp.example.com".into(),
                port: 587,
                credentials: Some(("apikey".into(), "s@cret".into()))
            }
        );
        assert_eq!(c.payment_provider, PaymentProvider::MercadoPago);
        assert_eq!(c.storage_provider, StorageProvider::S3);
        assert!(c.usage_metering_enabled);
        assert_eq!(c.platform_admin_emails, vec!["root@example.com", "ops@example.com"]);
        assert_eq!(c.rate_limits.leads_per_minute, 30);
        assert_eq!(c.trusted_proxies.len(), 2);
        assert_eq!(c.log_format, LogFormat::Json);
        assert_eq!(c.job_workers, 0);
        assert_eq!(
            load(&[("MAIL_TRANSPORT", "file:///var/mail/mibio")]).unwrap().mail_transport,
            MailTransport::File("/var/mail/mibio".into())
        );
    }

    #[test]
    fn bad_values_name_the_variable_in_one_line() {
        for (var, value) in [
            ("DATABASE_URL", "nonsense"),
            ("PUBLIC_URL", "ftp://x"),
            ("PUBLIC_URL", "https://mibio.example/app"),
            ("LEPTOS_SITE_ADDR", "localhost"),
            ("MAIL_TRANSPORT", "carrier-pigeon"),
            ("PAYMENT_PROVIDER", "paypal"),
            ("STORAGE_PROVIDER", "floppy"),
            ("USAGE_METERING_ENABLED", "maybe"),
            ("PLATFORM_ADMIN_EMAILS", "root"),
            ("RATE_LIMIT_SIGNIN_PER_MINUTE", "0"),
            ("RATE_LIMIT_SIGNUP_PER_HOUR", "-3"),
            ("TRUSTED_PROXIES", "10.0.0.0/99"),
            ("LOG_FORMAT", "xml"),
            ("JOB_WORKERS", "-1"),
            ("JOB_WORKERS", "65"),
            ("MIBIO_ENV", "Production"),
        ] {
            let err = load(&[(var, value)]).unwrap_err();
            assert_eq!(err.var, var);
            let line = err.to_string();
            assert!(line.starts_with(&format!("{var}: ")), "{line}");
            assert!(!line.contains('\n'), "{line}");
        }
    }

    #[test]
    fn database_url_errors_do_not_echo_secrets() {
        let err = load(&[("DATABASE_URL", "postgres://u:hunter2@h:notaport/db")]).unwrap_err();
        assert_eq!(err.var, "DATABASE_URL");
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}
