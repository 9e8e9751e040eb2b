//! Logging: `tracing` with human-readable lines by default and one JSON object per line with
//! `LOG_FORMAT=json`. `RUST_LOG` refines the filter. Every line logged while a request is being
//! served carries that request's `request_id` (from the span opened by the request-id middleware).

use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::config::LogFormat;

const DEFAULT_FILTER: &str = "info,tower_http=warn,leptos=warn,tokio_postgres=warn";

/// Installs the global subscriber. Call once, at start-up.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let registry = tracing_subscriber::registry().with(filter);
    // A second init (only possible in tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Pretty => registry.with(tracing_subscriber::fmt::layer().with_target(false)).try_init(),
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false),
            )
            .try_init(),
    };
}
