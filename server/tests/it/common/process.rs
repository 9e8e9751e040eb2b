//! The `mibio` binary run as an operator runs it, and its JSON log read line by line.

use std::time::Duration;

use tokio::io::BufReader;
use tokio::process::{ChildStdout, Command};

/// The built `mibio` binary with an empty environment (only `PATH`): nothing leaks in from the
/// developer's shell; each test sets what it needs. Killed when dropped.
pub fn mibio() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mibio"));
    cmd.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).kill_on_drop(true);
    cmd
}

/// Reads JSON log lines until one has `message`, returning it (at most 30 s).
pub async fn wait_for_log(
    lines: &mut tokio::io::Lines<BufReader<ChildStdout>>,
    message: &str,
) -> serde_json::Value {
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
