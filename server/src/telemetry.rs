//! Logging: `tracing` with human-readable lines by default and one JSON object per line with
//! `LOG_FORMAT=json`. `RUST_LOG` refines the filter. Every line logged while a request is being
//! served carries that request's `request_id` (from the span the edge middleware opens).
//!
//! Lines are formatted on the thread that logs them and written to stdout by a writer thread of
//! their own (`tracing-appender`), in batches: a request never waits for a write to stdout, and a
//! burst of requests costs one `write` per batch rather than one per line. The queue holds at most
//! [`QUEUED_LINES`] lines; when it is full, logging waits (no line is ever dropped). Colours only
//! when stdout is a terminal.

use std::io::IsTerminal as _;

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::config::LogFormat;

const DEFAULT_FILTER: &str = "info,tower_http=warn,leptos=warn,tokio_postgres=warn";

/// Most lines waiting for the writer thread (bounds the memory a slow stdout can take).
pub const QUEUED_LINES: usize = 16 * 1024;

/// Installs the global subscriber. Call once, at start-up, and keep the guard until the process
/// ends: dropping it writes out the lines still queued.
#[must_use = "dropping the guard stops the log writer"]
pub fn init(format: LogFormat) -> WorkerGuard {
    let stdout = std::io::stdout();
    let ansi = stdout.is_terminal();
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .buffered_lines_limit(QUEUED_LINES)
        .thread_name("mibio-log")
        .finish(std::io::BufWriter::with_capacity(64 * 1024, stdout));
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let registry = tracing_subscriber::registry().with(filter);
    let layer = tracing_subscriber::fmt::layer().with_writer(writer).with_ansi(ansi);
    // A second init (only possible in tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Pretty => registry.with(layer.with_target(false)).try_init(),
        LogFormat::Json => registry
            .with(layer.json().flatten_event(true).with_current_span(true).with_span_list(false))
            .try_init(),
    };
    guard
}
