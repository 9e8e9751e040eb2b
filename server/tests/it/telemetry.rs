//! What the process tells the outside about itself: spans exported to an OTLP collector (a
//! local HTTP server that reads the protobuf the way a collector does), a caller's trace
//! continued, the logs' trace ids matching the exported ones, and no personal data in the logs.
//!
//! Each test installs the process's global subscriber, as `main` does; nextest runs every test
//! in a process of its own.

use crate::common;

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::app::TestApp;
use mibio_server::config::LogFormat;
use mibio_server::telemetry;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value as AnyValue;
use opentelemetry_proto::tonic::trace::v1::Span;
use opentelemetry_proto::tonic::trace::v1::span::SpanKind;
use prost::Message as _;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The log lines, as the process would have written them to stdout.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }

    /// Every JSON line.
    fn json(&self) -> Vec<Value> {
        self.text()
            .lines()
            .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
            .collect()
    }
}

/// The spans a collector received, with the service name each batch came under.
async fn received_spans(collector: &MockServer) -> Vec<(String, Span)> {
    let mut spans = Vec::new();
    for request in collector.received_requests().await.unwrap_or_default() {
        assert_eq!(request.headers.get("content-type").unwrap(), "application/x-protobuf");
        let export =
            ExportTraceServiceRequest::decode(request.body.as_slice()).expect("an OTLP protobuf body");
        for resource in export.resource_spans {
            let service = resource
                .resource
                .iter()
                .flat_map(|r| &r.attributes)
                .find(|kv| kv.key == "service.name")
                .and_then(|kv| kv.value.as_ref()?.value.as_ref())
                .map(|v| match v {
                    AnyValue::StringValue(s) => s.clone(),
                    other => format!("{other:?}"),
                })
                .unwrap_or_default();
            for scope in resource.scope_spans {
                spans.extend(scope.spans.into_iter().map(|span| (service.clone(), span)));
            }
        }
    }
    spans
}

fn attribute(span: &Span, key: &str) -> Option<String> {
    span.attributes.iter().find(|kv| kv.key == key).and_then(|kv| {
        match kv.value.as_ref()?.value.as_ref()? {
            AnyValue::StringValue(s) => Some(s.clone()),
            _ => None,
        }
    })
}

/// With `OTEL_EXPORTER_OTLP_ENDPOINT`, each request is a server span at the collector: under the
/// caller's trace when it sent a `traceparent` (its span the parent), else in a trace of its own
/// whose id is the one the request's log lines carry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_exported_as_spans_and_continue_the_callers_trace() {
    let collector = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/traces"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&collector)
        .await;
    let logs = Logs::default();
    let endpoint = collector.uri().parse().unwrap();
    let telemetry = telemetry::init_with(LogFormat::Json, Some(&endpoint), logs.clone(), false).unwrap();
    let app = TestApp::start().await;

    let caller_trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let traced = common::send(
        &app.router,
        Request::get("/health")
            .header("traceparent", format!("00-{caller_trace}-00f067aa0ba902b7-01"))
            .header("x-request-id", "req-traced")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(traced.status(), StatusCode::OK);
    let plain = common::send(
        &app.router,
        Request::get("/health").header("x-request-id", "req-plain").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(plain.status(), StatusCode::OK);

    // Shutting down sends what is batched, as at the end of `main`.
    tokio::task::spawn_blocking(move || drop(telemetry)).await.unwrap();

    let spans = received_spans(&collector).await;
    let request_span = |id: &str| {
        spans
            .iter()
            .find(|(_, span)| attribute(span, "request_id").as_deref() == Some(id))
            .unwrap_or_else(|| panic!("no span for {id} among {spans:#?}"))
    };
    let (service, traced) = request_span("req-traced");
    assert_eq!(service, "mibio");
    assert_eq!(traced.name, "GET /health");
    assert_eq!(traced.kind, SpanKind::Server as i32);
    assert_eq!(hex::encode(&traced.trace_id), caller_trace);
    assert_eq!(hex::encode(&traced.parent_span_id), "00f067aa0ba902b7");
    let (_, plain) = request_span("req-plain");
    let plain_trace = hex::encode(&plain.trace_id);
    assert_ne!(plain_trace, caller_trace);
    assert!(plain.parent_span_id.is_empty(), "a request without traceparent starts a trace");

    // The log lines of each request carry the trace id the collector got.
    let trace_in_logs = |id: &str| {
        logs.json()
            .into_iter()
            .filter(|line| line["span"]["request_id"] == id)
            .map(|line| line["span"]["trace_id"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    let traced_lines = trace_in_logs("req-traced");
    assert!(!traced_lines.is_empty(), "no log line for req-traced in {}", logs.text());
    assert!(traced_lines.iter().all(|t| t == caller_trace), "{traced_lines:?}");
    let plain_lines = trace_in_logs("req-plain");
    assert!(!plain_lines.is_empty() && plain_lines.iter().all(|t| *t == plain_trace), "{plain_lines:?}");
}

/// `MAIL_TRANSPORT=log` (the default) logs each mail so a developer can follow its links; the
/// log redaction keeps its recipient, subject and body — an address and a name — out of the log.
#[tokio::test]
async fn the_logged_mail_shows_its_links_but_no_personal_data_in_json() {
    logged_mail_has_no_personal_data(LogFormat::Json).await;
}

/// The same in the human format.
#[tokio::test]
async fn the_logged_mail_shows_its_links_but_no_personal_data_in_pretty_lines() {
    logged_mail_has_no_personal_data(LogFormat::Pretty).await;
}

async fn logged_mail_has_no_personal_data(format: LogFormat) {
    let logs = Logs::default();
    let telemetry = telemetry::init_with(format, None, logs.clone(), false).unwrap();
    let sender = notifications::sender_from(
        notifications::Transport::Log,
        "mibio <no-reply@mibio.test>".parse().unwrap(),
    )
    .unwrap();
    let message = notifications::EmailMessage {
        to: notifications::Mailbox::new("ana.lopez@coaching.example").unwrap().with_name("Ana López"),
        subject: "Ana, confirma tu correo".into(),
        text: "Hola Ana López,\n\nConfirma tu correo: http://127.0.0.1:3000/verify-email?token=tok123\n"
            .into(),
        html: String::new(),
    };
    sender.send(message).await.unwrap();
    // An error whose text holds an address, not in a personal field.
    tracing::warn!(error = "relay refused <ana.lopez@coaching.example>", "mail failed");
    drop(telemetry);

    let out = logs.text();
    assert!(out.contains("email not sent"), "{out}");
    assert!(out.contains("http://127.0.0.1:3000/verify-email?token=tok123"), "the link is logged: {out}");
    assert!(out.contains("relay refused <[email]>"), "{out}");
    for personal in ["ana.lopez", "coaching.example", "Ana", "López"] {
        assert!(!out.contains(personal), "{personal:?} reached the log: {out}");
    }
}
