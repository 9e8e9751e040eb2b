//! Traces to an OpenTelemetry collector, switched on by `OTEL_EXPORTER_OTLP_ENDPOINT` and off by
//! default.
//!
//! Our `tracing` spans — the edge's `request` span, the job runner's `job` span and the use
//! cases' `#[instrument]` spans under them — become OpenTelemetry spans (`tracing-opentelemetry`),
//! batched on a thread of their own and sent as OTLP over HTTP with protobuf to
//! `{endpoint}/v1/traces` (the port is usually 4318). An incoming W3C `traceparent` (and its
//! `tracestate`) is the parent of the request's span, so a caller's trace goes on through mibio;
//! without one the request starts a trace, and its id is the `trace_id` the logs carry.
//!
//! `OTEL_SERVICE_NAME` names the service (`mibio` when unset) and the SDK's own variables
//! (`OTEL_TRACES_SAMPLER`, `OTEL_BSP_*`, `OTEL_EXPORTER_OTLP_HEADERS`) apply. Exporting never
//! holds a request up: a collector that is down costs dropped spans, not latency.

use std::sync::atomic::{AtomicBool, Ordering};

use axum::http::HeaderMap;
use opentelemetry::propagation::{Extractor, TextMapPropagator as _};
use opentelemetry::trace::{TraceContextExt as _, TracerProvider as _};
use opentelemetry_otlp::WithExportConfig as _;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;
use tracing_subscriber::Layer;
use tracing_subscriber::registry::LookupSpan;
use url::Url;

/// Whether spans are exported (set once, by [`layer`]); the edge asks it on every request.
static EXPORTING: AtomicBool = AtomicBool::new(false);

/// The service name when `OTEL_SERVICE_NAME` is unset.
const SERVICE_NAME: &str = "mibio";

/// The layer that turns spans into OpenTelemetry spans sent to `endpoint`, and the provider to
/// shut down (which sends what is still batched) when the process ends.
///
/// # Errors
///
/// When the exporter cannot be built (an endpoint the HTTP client refuses).
pub fn layer<S>(endpoint: &Url) -> anyhow::Result<(impl Layer<S> + use<S>, SdkTracerProvider)>
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    let traces = traces_url(endpoint);
    let exporter =
        opentelemetry_otlp::SpanExporter::builder().with_http().with_endpoint(traces.as_str()).build()?;
    let service = std::env::var("OTEL_SERVICE_NAME").ok().filter(|name| !name.trim().is_empty());
    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(
            Resource::builder().with_service_name(service.unwrap_or_else(|| SERVICE_NAME.into())).build(),
        )
        .build();
    let tracer = provider.tracer("mibio");
    EXPORTING.store(true, Ordering::Relaxed);
    Ok((tracing_opentelemetry::layer().with_tracer(tracer), provider))
}

/// Where OTLP/HTTP traces go: the signal path appended to the base endpoint, as the OTLP
/// exporter specification says for `OTEL_EXPORTER_OTLP_ENDPOINT`.
#[must_use]
pub fn traces_url(endpoint: &Url) -> String {
    format!("{}/v1/traces", endpoint.as_str().trim_end_matches('/'))
}

/// The span a request is served in, and the trace id it is logged (and its outbox events
/// recorded) under.
///
/// Without export: the caller's trace id if its `traceparent` is well formed, else the request
/// id. With export: a caller's `traceparent` (and `tracestate`) become the span's parent, the
/// trace id is the span's (the caller's, or a new one), and the span is named `{name}()` —
/// `GET /{slug}` — as OpenTelemetry's HTTP conventions name server spans.
pub fn request_span(request_id: &str, headers: &HeaderMap, name: impl FnOnce() -> String) -> (Span, String) {
    let caller = crate::http::middleware::trace_id_of(headers);
    if !EXPORTING.load(Ordering::Relaxed) {
        let trace = caller.unwrap_or(request_id).to_owned();
        return (tracing::info_span!("request", request_id, trace_id = %trace), trace);
    }
    let span = tracing::info_span!(
        "request",
        request_id,
        trace_id = tracing::field::Empty,
        otel.name = name(),
        otel.kind = "server"
    );
    if caller.is_some() {
        let parent = TraceContextPropagator::new().extract(&Headers(headers));
        // Fails only when the span is disabled (filtered out): then nothing is exported anyway.
        let _ = span.set_parent(parent);
    }
    let span_context = span.context().span().span_context().clone();
    let trace = if span_context.is_valid() {
        span_context.trace_id().to_string()
    } else {
        caller.unwrap_or(request_id).to_owned()
    };
    span.record("trace_id", trace.as_str());
    (span, trace)
}

/// An HTTP header map, as OpenTelemetry's propagators read one.
struct Headers<'a>(&'a HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|value| value.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(axum::http::HeaderName::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::traces_url;

    #[test]
    fn the_signal_path_is_appended_to_the_base_endpoint() {
        for base in ["http://collector:4318", "http://collector:4318/"] {
            assert_eq!(traces_url(&base.parse().unwrap()), "http://collector:4318/v1/traces");
        }
        assert_eq!(
            traces_url(&"https://otel.example.com/otlp/".parse().unwrap()),
            "https://otel.example.com/otlp/v1/traces"
        );
    }
}
