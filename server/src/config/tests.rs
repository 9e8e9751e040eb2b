//! The configuration's defaults, its parsing of every variable, and its one-line errors.

use std::collections::HashMap;

use super::*;

fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
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
    let smtp =
        load(&[("MAIL_TRANSPORT", "smtp://apikey:s%40cret@smtp.example.com:587")]).unwrap().mail_transport;
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
        ("STRIPE_PRICES", "pro:month"),
        ("STRIPE_PRICES", "free:month:USD=price_1"),
        ("STRIPE_PRICES", "pro:weekly:USD=price_1"),
        ("STRIPE_PRICES", "pro:month:EUR=price_1"),
        ("POLAR_PRODUCTS", "gold:year=prod_1"),
        ("STRIPE_API_BASE", "not a url"),
    ] {
        let err = load(&[(var, value)]).unwrap_err();
        assert_eq!(err.var, var);
        let line = err.to_string();
        assert!(line.starts_with(&format!("{var}: ")), "{line}");
        assert!(!line.contains('\n'), "{line}");
    }
}

#[test]
fn provider_prices_and_required_credentials() {
    let c = load(&[
        ("PAYMENT_PROVIDER", "stripe"),
        ("STRIPE_SECRET_KEY", "sk_test_1"),
        ("STRIPE_WEBHOOK_SECRET", "whsec_1"),
        ("STRIPE_PRICES", "pro:month:USD=price_a, pro:year:mxn=price_b,"),
        ("POLAR_PRODUCTS", "business:year=prod_c"),
        ("STRIPE_API_BASE", "http://127.0.0.1:9999"),
    ])
    .unwrap();
    c.check_billing().unwrap();
    use contracts::billing::{BillingInterval, Currency, PlanId};
    assert_eq!(
        c.billing.stripe_prices,
        vec![
            PriceId {
                plan: PlanId::Pro,
                interval: BillingInterval::Month,
                currency: Some(Currency::Usd),
                id: "price_a".into()
            },
            PriceId {
                plan: PlanId::Pro,
                interval: BillingInterval::Year,
                currency: Some(Currency::Mxn),
                id: "price_b".into()
            },
        ]
    );
    assert_eq!(c.billing.polar_products[0].currency, None);
    assert_eq!(c.billing.stripe_api_base.as_str(), "http://127.0.0.1:9999/");
    assert_eq!(c.billing.mercadopago_api_base.as_str(), "https://api.mercadopago.com/");
    // Each provider needs its key and its webhook secret; `none` needs nothing.
    load(&[]).unwrap().check_billing().unwrap();
    for (provider, set, missing) in [
        ("stripe", ("STRIPE_SECRET_KEY", "sk"), "STRIPE_WEBHOOK_SECRET"),
        ("mercadopago", ("MERCADOPAGO_WEBHOOK_SECRET", "s"), "MERCADOPAGO_ACCESS_TOKEN"),
        ("polar", ("POLAR_ACCESS_TOKEN", "t"), "POLAR_WEBHOOK_SECRET"),
    ] {
        let err = load(&[("PAYMENT_PROVIDER", provider), set]).unwrap().check_billing().unwrap_err();
        assert_eq!(err.var, missing, "{provider}");
    }
}

#[test]
fn database_url_errors_do_not_echo_secrets() {
    let err = load(&[("DATABASE_URL", "postgres://u:hunter2@h:notaport/db")]).unwrap_err();
    assert_eq!(err.var, "DATABASE_URL");
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

#[test]
fn values_are_trimmed_and_empty_ones_count_as_unset() {
    let c = load(&[
        ("DATABASE_URL", "  "),
        ("PUBLIC_URL", ""),
        ("JOB_WORKERS", " 5 "),
        ("USAGE_METERING_ENABLED", " "),
        ("PLATFORM_ADMIN_EMAILS", ""),
        ("MAIL_FROM", "  mibio <hola@mibio.example>  "),
    ])
    .unwrap();
    assert_eq!(c.database_url, None);
    assert_eq!(c.public_url.as_str(), "http://127.0.0.1:3000/");
    assert_eq!(c.job_workers, 5);
    assert!(!c.usage_metering_enabled);
    assert!(c.platform_admin_emails.is_empty());
    assert_eq!(c.mail_from(), "mibio <hola@mibio.example>");
}

/// The binary parses its configuration with the command line: a bad value there names the
/// variable too (the binary's own test drives the environment).
#[test]
fn the_command_line_reports_a_bad_value_by_its_variable() {
    use clap::CommandFactory as _;
    let cmd = crate::cli::Cli::command();
    let err = cmd.clone().try_get_matches_from(["mibio", "--job-workers=65", "serve"]).unwrap_err();
    let bad = ConfigError::from_clap(&err, &cmd).expect("a configuration error");
    assert_eq!(bad.to_string(), "JOB_WORKERS: expected a whole number from 0 to 64, got \"65\"");
    // Not a configuration problem: clap's own error.
    let err = cmd.clone().try_get_matches_from(["mibio", "serv"]).unwrap_err();
    assert!(ConfigError::from_clap(&err, &cmd).is_none());
    let err = cmd.clone().try_get_matches_from(["mibio", "jobs", "run", "x", "--date", "soon"]).unwrap_err();
    assert!(ConfigError::from_clap(&err, &cmd).is_none());
}

/// Every variable the configuration reads is in the README's table, and `--help` names it.
#[test]
fn every_variable_is_documented_and_in_the_help() {
    use clap::CommandFactory as _;
    let readme = include_str!("../../../README.md");
    let table = &readme[readme.find("## Configuration").expect("the README's configuration section")..];
    let mut cmd = crate::cli::Cli::command();
    let help = cmd.render_long_help().to_string();
    let vars: Vec<String> =
        cmd.get_arguments().filter_map(|a| a.get_env()).map(|v| v.to_string_lossy().into_owned()).collect();
    assert_eq!(vars.len(), 43, "{vars:?}");
    for arg in cmd.get_arguments().filter(|a| a.get_env().is_some()) {
        let var = arg.get_env().unwrap_or_default().to_string_lossy();
        assert_eq!(
            arg.get_long(),
            Some(var.to_lowercase().replace('_', "-").as_str()),
            "the option of {var}"
        );
    }
    for var in vars {
        assert!(table.contains(&format!("| `{var}` |")), "{var} is missing from the README's table");
        assert!(help.contains(&format!("env: {var}")), "{var} is missing from --help:\n{help}");
    }
}
