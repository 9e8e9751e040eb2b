//! Prometheus metrics (`GET /metrics`): requests by route and status, a latency histogram by
//! route, and the database pool's state. Kept in a registry owned by the app state — no global
//! recorder — so every test router has its own counters.

use std::time::Duration;

use axum::extract::MatchedPath;
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use kernel::db::PoolState;
use runtime::jobs::{JobObserver, JobOutcome, JobState, QueueDepth};
use runtime::outbox::OutboxBacklog;

/// Labels of a served request. `route` is the matched route template (`/api/v1/links/pages/{id}`),
/// never the raw path, so ids and slugs cannot explode the series count; for the same reason a
/// method outside the standard ones counts as `OTHER`. Building them allocates nothing: the
/// route shares the router's own string.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: &'static str,
    pub route: RouteLabel,
    pub status: u16,
}

/// Labels of the latency histogram.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: &'static str,
    pub route: RouteLabel,
}

/// The route of a request: the router's matched template (shared, not copied), or a fixed name.
#[derive(Debug, Clone)]
pub enum RouteLabel {
    Matched(MatchedPath),
    Named(&'static str),
}

impl RouteLabel {
    /// Requests no route matched.
    pub const FALLBACK: Self = Self::Named("fallback");

    /// The route as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Matched(path) => path.as_str(),
            Self::Named(name) => name,
        }
    }
}

impl PartialEq for RouteLabel {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for RouteLabel {}

impl std::hash::Hash for RouteLabel {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl EncodeLabelValue for RouteLabel {
    fn encode(&self, encoder: &mut LabelValueEncoder<'_>) -> std::fmt::Result {
        std::fmt::Write::write_str(encoder, self.as_str())
    }
}

/// The method's label: itself when standard, else `OTHER` (clients choose methods freely).
fn method_label(method: &str) -> &'static str {
    const STANDARD: [&str; 9] =
        ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"];
    STANDARD.into_iter().find(|m| *m == method).unwrap_or("OTHER")
}

fn latency_histogram() -> Histogram {
    // 1 ms … ~16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// The host's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    pool_max: Gauge,
    pool_size: Gauge,
    pool_available: Gauge,
    pool_waiting: Gauge,
    cache_hits: Counter,
    cache_misses: Counter,
    cache_entries: Gauge,
    /// Analytics ingest: accepted, dropped (channel full), written, discarded.
    ingest: Family<IngestLabels, Counter>,
    jobs: JobMetrics,
}

/// The job queue's metrics: finished attempts and their duration by job, queue depth by state,
/// and the outbox backlog (pending and dead events).
struct JobMetrics {
    attempts: Family<JobLabels, Counter>,
    duration: Family<JobNameLabels, Histogram, fn() -> Histogram>,
    depth: Family<JobStateLabels, Gauge>,
    outbox_pending: Gauge,
    outbox_dead: Gauge,
}

/// Labels of a finished job attempt: the job's name and `done`, `failed` (will retry) or `dead`.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct JobLabels {
    pub name: String,
    pub outcome: &'static str,
}

/// Labels of the job duration histogram.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct JobNameLabels {
    pub name: String,
}

/// Labels of the queue depth.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct JobStateLabels {
    pub state: &'static str,
}

fn job_histogram() -> Histogram {
    // 10 ms … ~5.5 min.
    Histogram::new(exponential_buckets(0.01, 2.0, 16))
}

impl JobMetrics {
    fn register(registry: &mut Registry) -> Self {
        let attempts = Family::<JobLabels, Counter>::default();
        registry.register(
            "job_attempts",
            "Finished job attempts, by job and outcome (done, failed and will retry, dead)",
            attempts.clone(),
        );
        let duration =
            Family::<JobNameLabels, Histogram, fn() -> Histogram>::new_with_constructor(job_histogram);
        registry.register("job_duration_seconds", "Time in the job's handler, by job", duration.clone());
        let depth = Family::<JobStateLabels, Gauge>::default();
        registry.register("jobs", "Jobs in the queue, by state (read at scrape time)", depth.clone());
        let outbox_pending = Gauge::default();
        registry.register(
            "outbox_pending_events",
            "Recorded events not yet delivered to every subscriber (dead ones apart)",
            outbox_pending.clone(),
        );
        let outbox_dead = Gauge::default();
        registry.register(
            "outbox_dead_events",
            "Events whose delivery failed its last attempt, waiting for a replay (read at scrape time)",
            outbox_dead.clone(),
        );
        Self { attempts, duration, depth, outbox_pending, outbox_dead }
    }
}

/// Labels of the analytics ingest counters.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct IngestLabels {
    pub outcome: &'static str,
}

/// Everything read at scrape time from the parts of the app that count on their own.
#[derive(Debug, Clone, Copy)]
pub struct Readings {
    pub pool: PoolState,
    pub cache: CacheStats,
    pub ingest: analytics::ingest::IngestStats,
}

/// The public page cache's counters at one moment (`links::cache`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub entries: usize,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh registry with every metric registered.
    #[must_use]
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("mibio");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests served, by route and status", requests.clone());
        let latency =
            Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to produce the response head, by route",
            latency.clone(),
        );
        let pool_max = Gauge::default();
        let pool_size = Gauge::default();
        let pool_available = Gauge::default();
        let pool_waiting = Gauge::default();
        registry.register("db_pool_max_connections", "Most connections the pool may open", pool_max.clone());
        registry.register("db_pool_connections", "Connections the pool holds open", pool_size.clone());
        registry.register(
            "db_pool_idle_connections",
            "Open connections ready to hand out",
            pool_available.clone(),
        );
        registry.register("db_pool_waiting", "Tasks waiting for a connection", pool_waiting.clone());
        let cache_hits = Counter::default();
        let cache_misses = Counter::default();
        let cache_entries = Gauge::default();
        registry.register(
            "public_page_cache_hits",
            "Public page reads served from the cache",
            cache_hits.clone(),
        );
        registry.register(
            "public_page_cache_misses",
            "Public page reads that went to the database",
            cache_misses.clone(),
        );
        registry.register(
            "public_page_cache_entries",
            "Pages held in the public page cache",
            cache_entries.clone(),
        );
        let ingest = Family::<IngestLabels, Counter>::default();
        registry.register(
            "analytics_beacons",
            "Analytics beacons by outcome: accepted into the channel, dropped (channel full), written, discarded (no such page, or a failed insert)",
            ingest.clone(),
        );
        let jobs = JobMetrics::register(&mut registry);
        Self {
            registry,
            requests,
            latency,
            pool_max,
            pool_size,
            pool_available,
            pool_waiting,
            cache_hits,
            cache_misses,
            cache_entries,
            ingest,
            jobs,
        }
    }

    /// Sets the queue depth by state and the outbox backlog (read from the database at scrape
    /// time, before [`Metrics::render`]).
    pub fn observe_queue(&self, depth: QueueDepth, outbox: OutboxBacklog) {
        for state in JobState::ALL {
            self.jobs.depth.get_or_create(&JobStateLabels { state: state.as_str() }).set(depth.get(state));
        }
        self.jobs.outbox_pending.set(outbox.pending);
        self.jobs.outbox_dead.set(outbox.dead);
    }

    /// Counts one served request.
    pub fn observe_request(&self, method: &str, route: &RouteLabel, status: u16, elapsed: Duration) {
        let method = method_label(method);
        let labels = RequestLabels { method, route: route.clone(), status };
        self.requests.get_or_create(&labels).inc();
        let route = RouteLabels { method, route: labels.route };
        self.latency.get_or_create(&route).observe(elapsed.as_secs_f64());
    }

    /// Renders the Prometheus text exposition, with the pool gauges read at this moment.
    #[must_use]
    pub fn render(&self, readings: Readings) -> String {
        let Readings { pool, cache, ingest } = readings;
        let gauge = |g: &Gauge, v: usize| {
            g.set(i64::try_from(v).unwrap_or(i64::MAX));
        };
        gauge(&self.pool_max, pool.max_size);
        gauge(&self.pool_size, pool.size);
        gauge(&self.pool_available, pool.available);
        gauge(&self.pool_waiting, pool.waiting);
        gauge(&self.cache_entries, cache.entries);
        // The cache counts on its own; the counters catch up with it at every scrape.
        self.cache_hits.inc_by(cache.hits.saturating_sub(self.cache_hits.get()));
        self.cache_misses.inc_by(cache.misses.saturating_sub(self.cache_misses.get()));
        for (outcome, value) in [
            ("accepted", ingest.accepted),
            ("dropped", ingest.dropped),
            ("written", ingest.written),
            ("discarded", ingest.discarded),
        ] {
            let counter = self.ingest.get_or_create(&IngestLabels { outcome });
            counter.inc_by(value.saturating_sub(counter.get()));
        }
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

impl JobObserver for Metrics {
    fn attempt_finished(&self, name: &str, outcome: JobOutcome, elapsed: Duration) {
        let outcome = match outcome {
            JobOutcome::Done => "done",
            JobOutcome::Failed => "failed",
            JobOutcome::Dead => "dead",
        };
        self.jobs.attempts.get_or_create(&JobLabels { name: name.to_owned(), outcome }).inc();
        self.jobs
            .duration
            .get_or_create(&JobNameLabels { name: name.to_owned() })
            .observe(elapsed.as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_requests_latency_and_pool() {
        let m = Metrics::new();
        let health = RouteLabel::Named("/health");
        m.observe_request("GET", &health, 200, Duration::from_millis(3));
        m.observe_request("GET", &health, 200, Duration::from_millis(5));
        m.observe_request("POST", &RouteLabel::Named("/api/{*rest}"), 404, Duration::from_millis(1));
        m.observe_request("BREW", &RouteLabel::FALLBACK, 404, Duration::from_millis(1));
        let pool = PoolState { max_size: 16, size: 2, available: 1, waiting: 0 };
        let ingest = analytics::ingest::IngestStats { accepted: 7, dropped: 1, written: 6, discarded: 1 };
        let cache = CacheStats { hits: 9, misses: 3, entries: 2 };
        let text = m.render(Readings { pool, cache, ingest });
        assert!(
            text.contains(r#"mibio_http_requests_total{method="GET",route="/health",status="200"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"mibio_http_requests_total{method="POST",route="/api/{*rest}",status="404"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(r#"mibio_http_request_duration_seconds_count{method="GET",route="/health"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"mibio_http_requests_total{method="OTHER",route="fallback",status="404"} 1"#),
            "{text}"
        );
        assert!(text.contains("mibio_db_pool_max_connections 16"), "{text}");
        assert!(text.contains("mibio_db_pool_idle_connections 1"), "{text}");
        assert!(text.contains("mibio_public_page_cache_hits_total 9"), "{text}");
        assert!(text.contains("mibio_public_page_cache_misses_total 3"), "{text}");
        assert!(text.contains("mibio_public_page_cache_entries 2"), "{text}");
        assert!(text.contains(r#"mibio_analytics_beacons_total{outcome="dropped"} 1"#), "{text}");
        assert!(text.contains(r#"mibio_analytics_beacons_total{outcome="written"} 6"#), "{text}");
        let cache = CacheStats { hits: 12, misses: 3, entries: 2 };
        let text = m.render(Readings { pool, cache, ingest });
        assert!(text.contains("mibio_public_page_cache_hits_total 12"), "counters follow the cache: {text}");
        assert!(text.ends_with("# EOF\n"), "{text}");
    }

    #[test]
    fn renders_job_attempts_durations_and_queue_depth() {
        let m = Metrics::new();
        m.attempt_finished("kernel-cleanup", JobOutcome::Done, Duration::from_millis(40));
        m.attempt_finished("analytics-rollup", JobOutcome::Failed, Duration::from_millis(5));
        m.attempt_finished("analytics-rollup", JobOutcome::Dead, Duration::from_millis(5));
        m.observe_queue(
            QueueDepth { queued: 3, running: 1, done: 10, dead: 2 },
            OutboxBacklog { pending: 7, dead: 4 },
        );
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &m.registry).unwrap();
        for line in [
            r#"mibio_job_attempts_total{name="kernel-cleanup",outcome="done"} 1"#,
            r#"mibio_job_attempts_total{name="analytics-rollup",outcome="failed"} 1"#,
            r#"mibio_job_attempts_total{name="analytics-rollup",outcome="dead"} 1"#,
            r#"mibio_job_duration_seconds_count{name="kernel-cleanup"} 1"#,
            r#"mibio_jobs{state="queued"} 3"#,
            r#"mibio_jobs{state="running"} 1"#,
            r#"mibio_jobs{state="dead"} 2"#,
            "mibio_outbox_pending_events 7",
            "mibio_outbox_dead_events 4",
        ] {
            assert!(text.contains(line), "{line} in {text}");
        }
    }
}
