//! The `mibio` binary run as an operator runs it, and its JSON log read line by line.

use std::time::Duration;

use std::process::Stdio;

use tokio::io::{AsyncBufReadExt as _, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

/// The built `mibio` binary with an empty environment (only `PATH`): nothing leaks in from the
/// developer's shell; each test sets what it needs. Killed when dropped.
pub fn mibio() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mibio"));
    cmd.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).kill_on_drop(true);
    cmd
}

/// `mibio serve` on the database at `database_url`, on a free port, logging JSON to stdout;
/// the child and its log lines.
pub fn serve(database_url: &str) -> (Child, Lines<BufReader<ChildStdout>>) {
    let mut child = mibio()
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LOG_FORMAT", "json")
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    (child, lines)
}

/// Reads JSON log lines until one has `message`, returning it (at most 30 s).
pub async fn wait_for_log(lines: &mut Lines<BufReader<ChildStdout>>, message: &str) -> serde_json::Value {
    tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let Ok(entry) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
            if entry["message"] == message {
                return entry;
            }
        }
        panic!("the log ended before {message:?}");
    })
    .await
    .unwrap_or_else(|_| panic!("no {message:?} within 30 s"))
}
