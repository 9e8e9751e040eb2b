//! Rate limits (docs/http-api.md, "Rate limits"): a route guarded by the `RateLimiter` the way the
//! identity and leads handlers use it, driven through the real router with a pinned clock, plus
//! the Postgres counters underneath (shared by replicas, keys stored hashed, old windows pruned).

use crate::common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::response::ErrorResponse;
use axum::routing::post;
use chrono::{DateTime, TimeDelta, TimeZone as _, Utc};
use common::{header, json, send};
use diesel::sql_types::{Integer, Text};
use diesel_async::RunQueryDsl as _;
use kernel::FixedClock;
use mibio_server::http::client_ip::ClientIp;
use mibio_server::http::rate_limit::{Bucket, RateLimiter};
use mibio_server::{AppState, Config};
use pretty_assertions::assert_eq;
use runtime::rate_limit::{RETENTION, hashed_key, hit, prune};
use serde_json::json;
use test_db::TestDb;

const PATH: &str = "/api/v1/test/limited";

/// 10:07:15 UTC: the minute window runs from 10:07:00 to 10:08:00.
fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 10, 7, 15).unwrap()
}

fn state_for(database_url: &str) -> AppState {
    let vars: HashMap<&str, &str> = HashMap::from([
        ("DATABASE_URL", database_url),
        ("RATE_LIMIT_LEADS_PER_MINUTE", "3"),
        ("TRUSTED_PROXIES", "10.0.0.0/8"),
    ]);
    let config = Config::from_lookup(|name| vars.get(name).map(|v| (*v).to_owned())).unwrap();
    mibio_server::serve::build_state(config).unwrap()
}

/// A route that spends one hit of the client's lead budget per request.
fn router(state: AppState, clock: &FixedClock) -> Router {
    let limiter = RateLimiter::new(state.db.clone(), state.config.rate_limits, Arc::new(clock.clone()));
    let api = Router::new().route(
        PATH,
        post(move |ip: ClientIp| {
            let limiter = limiter.clone();
            async move {
                let headers = limiter.check(Bucket::LeadsIp, &ip.rate_limit_key()).await?;
                Ok::<_, ErrorResponse>((StatusCode::CREATED, headers, axum::Json(json!({"ip": ip.0}))))
            }
        }),
    );
    mibio_server::http::router_with(state, api)
}

async fn setup() -> (TestDb, FixedClock, Router) {
    let db = TestDb::new().await;
    let clock = FixedClock::at(start());
    let router = router(state_for(db.url()), &clock);
    (db, clock, router)
}

/// A POST from socket peer `peer`, with `X-Forwarded-For: xff` when given.
fn from(peer: &str, xff: Option<&str>) -> Request<Body> {
    let mut req = Request::post(PATH);
    if let Some(xff) = xff {
        req = req.header("x-forwarded-for", xff);
    }
    let mut req = req.body(Body::empty()).unwrap();
    req.extensions_mut().insert(ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 40_000)));
    req
}

fn reset_header() -> String {
    Utc.with_ymd_and_hms(2026, 11, 25, 10, 8, 0).unwrap().timestamp().to_string()
}

#[tokio::test]
async fn allows_the_limit_then_answers_429_with_retry_after_and_headers() {
    let (_db, _clock, router) = setup().await;
    for remaining in ["2", "1", "0"] {
        let res = send(&router, from("203.0.113.9", None)).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_eq!(header(&res, "x-ratelimit-limit"), Some("3"));
        assert_eq!(header(&res, "x-ratelimit-remaining"), Some(remaining));
        assert_eq!(header(&res, "x-ratelimit-reset"), Some(reset_header().as_str()));
        assert_eq!(json(res).await, json!({"ip": "203.0.113.9"}));
    }
    let res = send(&router, from("203.0.113.9", None)).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&res, "retry-after"), Some("45"));
    assert_eq!(header(&res, "x-ratelimit-limit"), Some("3"));
    assert_eq!(header(&res, "x-ratelimit-remaining"), Some("0"));
    assert_eq!(header(&res, "x-ratelimit-reset"), Some(reset_header().as_str()));
    assert_eq!(
        json(res).await,
        json!({"error": {"code": "rate_limited", "message": "Too many attempts; try again in 45 seconds."}})
    );
}

#[tokio::test]
async fn another_client_has_its_own_budget() {
    let (_db, _clock, router) = setup().await;
    for _ in 0..3 {
        assert_eq!(send(&router, from("203.0.113.9", None)).await.status(), StatusCode::CREATED);
    }
    assert_eq!(send(&router, from("203.0.113.9", None)).await.status(), StatusCode::TOO_MANY_REQUESTS);
    let res = send(&router, from("203.0.113.10", None)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(header(&res, "x-ratelimit-remaining"), Some("2"));
}

#[tokio::test]
async fn a_new_window_restores_the_budget() {
    let (_db, clock, router) = setup().await;
    for _ in 0..3 {
        send(&router, from("203.0.113.9", None)).await;
    }
    clock.advance(TimeDelta::seconds(44));
    assert_eq!(send(&router, from("203.0.113.9", None)).await.status(), StatusCode::TOO_MANY_REQUESTS);
    clock.advance(TimeDelta::seconds(1)); // 10:08:00, the next window
    let res = send(&router, from("203.0.113.9", None)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(header(&res, "x-ratelimit-remaining"), Some("2"));
    let next_reset = Utc.with_ymd_and_hms(2026, 11, 25, 10, 9, 0).unwrap().timestamp().to_string();
    assert_eq!(header(&res, "x-ratelimit-reset"), Some(next_reset.as_str()));
}

#[tokio::test]
async fn forwarded_for_from_an_untrusted_peer_does_not_change_the_key() {
    let (_db, _clock, router) = setup().await;
    for n in 0..3 {
        let res = send(&router, from("203.0.113.9", Some(&format!("198.51.100.{n}")))).await;
        assert_eq!(json(res).await, json!({"ip": "203.0.113.9"}));
    }
    let res = send(&router, from("203.0.113.9", Some("198.51.100.77"))).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn forwarded_for_from_a_trusted_proxy_names_the_client() {
    let (_db, _clock, router) = setup().await;
    // Client 198.51.100.1 → proxy 10.0.0.7 → proxy 10.0.0.5; the leftmost entry is forged.
    let chain = "1.2.3.4, 198.51.100.1, 10.0.0.7";
    for _ in 0..3 {
        let res = send(&router, from("10.0.0.5", Some(chain))).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_eq!(json(res).await, json!({"ip": "198.51.100.1"}));
    }
    assert_eq!(send(&router, from("10.0.0.5", Some(chain))).await.status(), StatusCode::TOO_MANY_REQUESTS);
    // Forging another leftmost entry does not help; another client behind the proxy is free.
    let forged = "9.9.9.9, 198.51.100.1, 10.0.0.7";
    assert_eq!(send(&router, from("10.0.0.5", Some(forged))).await.status(), StatusCode::TOO_MANY_REQUESTS);
    let res = send(&router, from("10.0.0.5", Some("198.51.100.2, 10.0.0.7"))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(json(res).await, json!({"ip": "198.51.100.2"}));
}

#[tokio::test]
async fn a_database_outage_fails_closed_with_503() {
    let clock = FixedClock::at(start());
    let router = router(state_for("postgres://postgres@127.0.0.1:1/unreachable"), &clock);
    let res = send(&router, from("203.0.113.9", None)).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(json(res).await["error"]["code"], "unavailable");
}

#[tokio::test]
async fn a_request_without_connect_info_is_refused_not_guessed() {
    let (_db, _clock, router) = setup().await;
    let res = send(&router, Request::post(PATH).body(Body::empty()).unwrap()).await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(json(res).await["error"]["code"], "internal");
}

#[tokio::test]
async fn replicas_share_one_budget() {
    let db = TestDb::new().await;
    let clock = FixedClock::at(start());
    // Two app states: two pools, as two replicas would have.
    let replica_a = router(state_for(db.url()), &clock);
    let replica_b = router(state_for(db.url()), &clock);
    let statuses = [
        send(&replica_a, from("203.0.113.9", None)).await.status(),
        send(&replica_b, from("203.0.113.9", None)).await.status(),
        send(&replica_a, from("203.0.113.9", None)).await.status(),
        send(&replica_b, from("203.0.113.9", None)).await.status(),
    ];
    assert_eq!(
        statuses,
        [StatusCode::CREATED, StatusCode::CREATED, StatusCode::CREATED, StatusCode::TOO_MANY_REQUESTS]
    );
}

#[tokio::test]
async fn concurrent_hits_never_exceed_the_limit() {
    let db = TestDb::new().await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let pool = db.pool().clone();
        tasks.spawn(async move {
            let mut conn = pool.get().await.unwrap();
            hit(&mut conn, "test", "203.0.113.9", 5, Duration::from_secs(60), start()).await.unwrap().allowed
        });
    }
    let allowed = tasks.join_all().await.into_iter().filter(|allowed| *allowed).count();
    assert_eq!(allowed, 5);
}

#[derive(diesel::QueryableByName, Debug, PartialEq)]
struct Row {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Integer)]
    count: i32,
}

async fn rows(db: &TestDb) -> Vec<Row> {
    let mut conn = db.pool().get().await.unwrap();
    diesel::sql_query("SELECT key, count FROM kernel.rate_limits ORDER BY window_start")
        .load(&mut conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn keys_are_stored_hashed_and_denied_hits_leave_the_counter_alone() {
    let db = TestDb::new().await;
    let mut conn = db.pool().get().await.unwrap();
    for _ in 0..4 {
        hit(&mut conn, "signin_account", "ana@example.com", 2, Duration::from_secs(60), start())
            .await
            .unwrap();
    }
    assert_eq!(rows(&db).await, vec![Row { key: hashed_key("ana@example.com"), count: 2 }]);
}

#[tokio::test]
async fn pruning_drops_only_windows_past_retention() {
    let db = TestDb::new().await;
    let mut conn = db.pool().get().await.unwrap();
    let minute = Duration::from_secs(60);
    let old = start() - RETENTION - TimeDelta::minutes(1);
    hit(&mut conn, "leads_ip", "old", 3, minute, old).await.unwrap();
    hit(&mut conn, "leads_ip", "recent", 3, minute, start() - TimeDelta::hours(1)).await.unwrap();
    assert_eq!(prune(&mut conn, start()).await.unwrap(), 1);
    assert_eq!(rows(&db).await, vec![Row { key: hashed_key("recent"), count: 1 }]);
}
