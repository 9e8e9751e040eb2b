//! Prometheus metrics (`GET /metrics`): requests by route and status, a latency histogram by
//! route, and the database pool's state. Kept in a registry owned by the app state — no global
//! recorder — so every test router has its own counters.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use kernel::db::PoolState;

/// Labels of a served request. `route` is the matched route template (`/api/v1/links/pages/{id}`),
/// never the raw path, so ids and slugs cannot explode the series count.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: String,
}

/// Labels of the latency histogram.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
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
}

/// The public page cache's counters at one moment (`links::infrastructure::cache`).
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
        }
    }

    /// Counts one served request.
    pub fn observe_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let labels =
            RequestLabels { method: method.to_owned(), route: route.to_owned(), status: status.to_string() };
        self.requests.get_or_create(&labels).inc();
        let route = RouteLabels { method: labels.method, route: labels.route };
        self.latency.get_or_create(&route).observe(elapsed.as_secs_f64());
    }

    /// Renders the Prometheus text exposition, with the pool gauges read at this moment.
    #[must_use]
    pub fn render(&self, pool: PoolState, cache: CacheStats) -> String {
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
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_requests_latency_and_pool() {
        let m = Metrics::new();
        m.observe_request("GET", "/health", 200, Duration::from_millis(3));
        m.observe_request("GET", "/health", 200, Duration::from_millis(5));
        m.observe_request("POST", "/api/{*rest}", 404, Duration::from_millis(1));
        let cache = CacheStats { hits: 9, misses: 3, entries: 2 };
        let text = m.render(PoolState { max_size: 16, size: 2, available: 1, waiting: 0 }, cache);
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
        assert!(text.contains("mibio_db_pool_max_connections 16"), "{text}");
        assert!(text.contains("mibio_db_pool_idle_connections 1"), "{text}");
        assert!(text.contains("mibio_public_page_cache_hits_total 9"), "{text}");
        assert!(text.contains("mibio_public_page_cache_misses_total 3"), "{text}");
        assert!(text.contains("mibio_public_page_cache_entries 2"), "{text}");
        let text = m.render(
            PoolState { max_size: 16, size: 2, available: 1, waiting: 0 },
            CacheStats { hits: 12, misses: 3, entries: 2 },
        );
        assert!(text.contains("mibio_public_page_cache_hits_total 12"), "counters follow the cache: {text}");
        assert!(text.ends_with("# EOF\n"), "{text}");
    }
}
