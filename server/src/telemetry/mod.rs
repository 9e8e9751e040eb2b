//! Logging: `tracing` with human-readable lines by default and one JSON object per line with
//! `LOG_FORMAT=json`. `RUST_LOG` refines the filter. Every line logged while a request is being
//! served carries that request's `request_id` (from the span the edge middleware opens).
//!
//! Lines are formatted on the thread that logs them and written to stdout by a writer thread of
//! their own (`tracing-appender`), in batches: a request never waits for a write to stdout, and a
//! burst of requests costs one `write` per batch rather than one per line. The queue holds at most
//! [`QUEUED_LINES`] lines; when it is full, logging waits (no line is ever dropped). Colours only
//! when stdout is a terminal.

pub mod otel;
pub mod redact;

use std::io::{IsTerminal as _, Write};

use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use url::Url;

use crate::config::LogFormat;
use redact::{Redact, Style};

const DEFAULT_FILTER: &str = "info,tower_http=warn,leptos=warn,tokio_postgres=warn";

/// Most lines waiting for the writer thread (bounds the memory a slow stdout can take).
pub const QUEUED_LINES: usize = 16 * 1024;

/// What keeps logging and tracing going: hold it until the process ends. Dropping it writes out
/// the queued log lines and sends the spans still batched for the collector.
#[must_use = "dropping it stops the log writer and the span exporter"]
pub struct Telemetry {
    traces: Option<SdkTracerProvider>,
    _log_writer: WorkerGuard,
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Some(traces) = self.traces.take()
            && let Err(err) = traces.shutdown()
        {
            tracing::warn!(%err, "the last spans could not be sent to the OTLP collector");
        }
    }
}

/// Installs the global subscriber, logging to stdout (colours only when it is a terminal) and,
/// with `otlp` (`OTEL_EXPORTER_OTLP_ENDPOINT`), exporting spans there. Call once, at start-up.
///
/// # Errors
///
/// When the span exporter cannot be built.
pub fn init(format: LogFormat, otlp: Option<&Url>) -> anyhow::Result<Telemetry> {
    let stdout = std::io::stdout();
    let ansi = stdout.is_terminal();
    init_with(format, otlp, std::io::BufWriter::with_capacity(64 * 1024, stdout), ansi)
}

/// [`init`], writing the log lines to `out`: every line passes through [`Redact`] on the log
/// writer's thread first.
///
/// # Errors
///
/// When the span exporter cannot be built.
pub fn init_with(
    format: LogFormat,
    otlp: Option<&Url>,
    out: impl Write + Send + 'static,
    ansi: bool,
) -> anyhow::Result<Telemetry> {
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .buffered_lines_limit(QUEUED_LINES)
        .thread_name("mibio-log")
        .finish(Redact::new(Style::of(format, ansi), out));
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let (traces, provider) = match otlp {
        Some(endpoint) => {
            let (layer, provider) = otel::layer(endpoint)?;
            (Some(layer), Some(provider))
        }
        None => (None, None),
    };
    let registry = tracing_subscriber::registry().with(filter).with(traces);
    let layer = tracing_subscriber::fmt::layer().with_writer(writer).with_ansi(ansi);
    // A second init (only possible in tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Pretty => registry.with(layer.with_target(false)).try_init(),
        LogFormat::Json => registry
            .with(layer.json().flatten_event(true).with_current_span(true).with_span_list(false))
            .try_init(),
    };
    Ok(Telemetry { traces: provider, _log_writer: guard })
}
