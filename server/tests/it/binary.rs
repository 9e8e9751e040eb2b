//! The `mibio` binary as an operator runs it: bad configuration, `migrate`, and `serve` until
//! SIGTERM.

use crate::common;

use std::time::Duration;

use common::process::{mibio, serve, wait_for_log};
use test_db::TestDb;
use tokio::process::Command;

#[tokio::test]
async fn bad_configuration_exits_with_one_clear_line() {
    for (var, value, expect) in [
        ("DATABASE_URL", "nonsense", "DATABASE_URL: is not a valid Postgres URL"),
        ("LEPTOS_SITE_ADDR", "localhost", "LEPTOS_SITE_ADDR: \"localhost\" is not an address"),
        ("PAYMENT_PROVIDER", "paypal", "PAYMENT_PROVIDER: unknown provider \"paypal\""),
    ] {
        let out = mibio().env(var, value).arg("serve").output().await.unwrap();
        assert_eq!(out.status.code(), Some(2), "{var}={value}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with(&format!("mibio: configuration error: {expect}")), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let out = mibio().arg("migrate").output().await.unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.trim(),
        "mibio: DATABASE_URL: is not set; point it at Postgres (scripts/run provisions a local one)"
    );
}

#[tokio::test]
async fn help_lists_the_commands() {
    let out = mibio().arg("--help").output().await.unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in ["serve", "migrate", "Usage: mibio"] {
        assert!(help.contains(needle), "{help}");
    }
}

#[tokio::test]
async fn migrate_applies_pending_migrations_once() {
    let db = TestDb::empty().await;
    let first = mibio().env("DATABASE_URL", db.url()).arg("migrate").output().await.unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let stdout = String::from_utf8(first.stdout).unwrap();
    let count = kernel::migrations::embedded_versions().len();
    assert!(stdout.starts_with(&format!("applied {count} migration(s): ")), "{stdout}");
    let again = mibio().env("DATABASE_URL", db.url()).arg("migrate").output().await.unwrap();
    assert_eq!(String::from_utf8(again.stdout).unwrap().trim(), "applied 0 migration(s)");
}

#[tokio::test]
async fn admin_create_grants_the_role_to_a_signed_up_user() {
    let db = TestDb::new().await;
    let create = |email: &str| {
        let mut cmd = mibio();
        cmd.env("DATABASE_URL", db.url()).args(["admin", "create", email]);
        cmd
    };
    let unknown = create("ana@example.com").output().await.unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    let stderr = String::from_utf8(unknown.stderr).unwrap();
    assert!(
        stderr.trim_end().ends_with("no active user has the email \"ana@example.com\": sign up first"),
        "{stderr}"
    );

    test_db::execute(
        db.pool(),
        "INSERT INTO iam.users (id, email, email_normalized, name, locale, password_hash, created_at, updated_at) \
         VALUES (gen_random_uuid(), 'Ana@Example.com', 'ana@example.com', 'Ana', 'es', 'x', now(), now())",
    )
    .await;
    let granted = create("ana@example.com").output().await.unwrap();
    assert!(granted.status.success(), "{}", String::from_utf8_lossy(&granted.stderr));
    assert_eq!(String::from_utf8(granted.stdout).unwrap().trim(), "ana@example.com is now a platform admin");
    let again = create("ANA@example.com").output().await.unwrap();
    assert_eq!(
        String::from_utf8(again.stdout).unwrap().trim(),
        "ANA@example.com was already a platform admin"
    );
    assert_eq!(
        test_db::count(db.pool(), "SELECT count(*) AS n FROM platform.admins WHERE via = 'cli'").await,
        1
    );
}

#[tokio::test]
async fn an_unreachable_database_fails_start_up_clearly() {
    let out = mibio()
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:9/none")
        .env("DATABASE_STARTUP_TIMEOUT_SECS", "0")
        .arg("serve")
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("mibio: could not connect to the database to migrate it"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test]
async fn serve_migrates_then_stops_cleanly_on_sigterm() {
    let db = TestDb::empty().await;
    let (mut child, mut lines) = serve(db.url());
    let applied = wait_for_log(&mut lines, "applied migrations").await;
    assert!(applied["applied"].as_str().unwrap().contains("20261125000000"), "{applied}");
    // A fresh install has no platform admin: the one-time setup token is in the log.
    let setup = wait_for_log(
        &mut lines,
        "no platform admin yet: sign up, open the setup page and enter this token (valid 24 h), \
         or set PLATFORM_ADMIN_EMAILS, or run `mibio admin create EMAIL`",
    )
    .await;
    assert_eq!(setup["setup_token"].as_str().map(str::len), Some(43), "{setup}");
    assert!(setup["setup_url"].as_str().is_some_and(|u| u.ends_with("/admin/setup")), "{setup}");
    let serving = wait_for_log(&mut lines, "mibio is serving").await;
    let addr = serving["address"].as_str().unwrap().to_owned();

    let ready = reqwest_get(&addr, "/ready").await;
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    let served = wait_for_log(&mut lines, "request served").await;
    assert_eq!(served["route"], "/ready");
    assert!(
        served["span"]["request_id"].as_str().is_some_and(|id| !id.is_empty()),
        "request id on the log line: {served}"
    );

    let pid = child.id().unwrap().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().await.unwrap().success());
    wait_for_log(&mut lines, "mibio stopped").await;
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "{status}");
}

/// A minimal HTTP/1.1 GET over a raw socket (no HTTP client dependency for one request).
async fn reqwest_get(addr: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}
