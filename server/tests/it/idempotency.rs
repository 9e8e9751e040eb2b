//! `Idempotency-Key` (docs/http-api.md, "Idempotency"): a creating POST behind the middleware,
//! with a stand-in for the auth layer that sets the caller's scope, through the real router; plus
//! the key store underneath (expiry, abandoned reservations).

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse as _, Response};
use axum::routing::post;
use axum::{Extension, Router};
use chrono::{DateTime, TimeDelta, TimeZone as _, Utc};
use common::{header, json, send, text};
use diesel::sql_types::{Integer, Text};
use diesel_async::RunQueryDsl as _;
use kernel::SystemClock;
use mibio_server::AppState;
use mibio_server::http::idempotency::{Idempotency, IdempotencyScope, idempotency};
use mibio_server::http::json::ApiJson;
use pretty_assertions::assert_eq;
use runtime::idempotency::{
    ABANDONED_AFTER, IdempotencyKey, REPLAY_WINDOW, Reservation, StoredResponse, complete, prune, release,
    reserve,
};
use serde::Deserialize;
use serde_json::json;
use test_db::TestDb;

const PATH: &str = "/api/v1/test/things";

/// What the test handler saw, and switches to make it misbehave.
#[derive(Default)]
struct Probe {
    calls: AtomicUsize,
    fail_next: AtomicBool,
    panic_next: AtomicBool,
    /// Signalled when a `slow` request is inside the handler.
    entered: tokio::sync::Notify,
    /// Lets a `slow` request finish.
    gate: tokio::sync::Notify,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThingInput {
    name: String,
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = Integer)]
    id: i32,
}

/// Creates a thing, unless the probe or the name asks for something else.
async fn create_thing(
    State(state): State<AppState>,
    Extension(probe): Extension<Arc<Probe>>,
    ApiJson(input): ApiJson<ThingInput>,
) -> Response {
    probe.calls.fetch_add(1, Ordering::SeqCst);
    if input.name == "slow" {
        probe.entered.notify_one();
        probe.gate.notified().await;
    }
    assert!(!probe.panic_next.swap(false, Ordering::SeqCst), "the handler was told to panic");
    if probe.fail_next.swap(false, Ordering::SeqCst) {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    if input.name.is_empty() {
        return (StatusCode::BAD_REQUEST, axum::Json(json!({"error": {"code": "validation"}})))
            .into_response();
    }
    let mut conn = state.db.get().await.unwrap();
    let Id { id } = diesel::sql_query("INSERT INTO test_things (name) VALUES ($1) RETURNING id")
        .bind::<Text, _>(&input.name)
        .get_result(&mut conn)
        .await
        .unwrap();
    let name = if input.name == "big" { "b".repeat(70 * 1024) } else { input.name };
    let location = HeaderValue::from_str(&format!("{PATH}/{id}")).unwrap();
    let headers = [("location", location), ("set-cookie", HeaderValue::from_static("seen=1"))];
    (StatusCode::CREATED, headers, axum::Json(json!({"id": id, "name": name}))).into_response()
}

/// Stands in for the auth layer: `X-Test-User` becomes the caller's scope.
async fn test_auth(mut req: Request, next: Next) -> Response {
    let user = req.headers().get("x-test-user").and_then(|v| v.to_str().ok()).map(str::to_owned);
    if let Some(user) = user {
        req.extensions_mut().insert(IdempotencyScope(user));
    }
    next.run(req).await
}

fn router(state: AppState, probe: &Arc<Probe>) -> Router {
    let api = Router::new()
        .route(PATH, post(create_thing))
        .route_layer(from_fn_with_state(
            Idempotency::new(state.db.clone(), Arc::new(SystemClock)),
            idempotency,
        ))
        .route_layer(from_fn(test_auth))
        .layer(Extension(Arc::clone(probe)));
    mibio_server::http::router_with(state, api)
}

async fn setup() -> (TestDb, Arc<Probe>, Router) {
    let db = TestDb::new().await;
    let mut conn = db.pool().get().await.unwrap();
    diesel::sql_query("CREATE TABLE test_things (id serial PRIMARY KEY, name text NOT NULL)")
        .execute(&mut conn)
        .await
        .unwrap();
    let probe = Arc::new(Probe::default());
    let router = router(common::state(&db), &probe);
    (db, probe, router)
}

fn create(user: Option<&str>, key: Option<&str>, body: &str) -> Request<Body> {
    let mut req = Request::post(PATH).header("content-type", "application/json");
    if let Some(user) = user {
        req = req.header("x-test-user", user);
    }
    if let Some(key) = key {
        req = req.header("idempotency-key", key);
    }
    req.body(Body::from(body.to_owned())).unwrap()
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = Integer)]
    n: i32,
}

async fn things(db: &TestDb) -> i32 {
    let mut conn = db.pool().get().await.unwrap();
    let Count { n } =
        diesel::sql_query("SELECT count(*)::int AS n FROM test_things").get_result(&mut conn).await.unwrap();
    n
}

fn calls(probe: &Probe) -> usize {
    AtomicUsize::load(&probe.calls, Ordering::SeqCst)
}

#[tokio::test]
async fn a_repeat_replays_the_first_response_and_creates_nothing() {
    let (db, probe, router) = setup().await;
    let first = send(&router, create(Some("u1"), Some("key-1"), r#"{"name":"a"}"#)).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(header(&first, "idempotent-replayed"), None);
    let location = header(&first, "location").map(str::to_owned);
    let first_body = json(first).await;

    let again = send(&router, create(Some("u1"), Some("key-1"), r#"{"name":"a"}"#)).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(header(&again, "idempotent-replayed"), Some("true"));
    assert_eq!(header(&again, "location").map(str::to_owned), location);
    assert_eq!(header(&again, "content-type"), Some("application/json"));
    assert_eq!(header(&again, "set-cookie"), None, "cookies are never replayed");
    assert_eq!(json(again).await, first_body);
    assert_eq!((calls(&probe), things(&db).await), (1, 1));
}

#[tokio::test]
async fn the_same_key_with_another_body_is_422_naming_the_header() {
    let (db, _probe, router) = setup().await;
    send(&router, create(Some("u1"), Some("key-1"), r#"{"name":"a"}"#)).await;
    let res = send(&router, create(Some("u1"), Some("key-1"), r#"{"name":"b"}"#)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json(res).await,
        json!({"error": {
            "code": "validation",
            "message": "Invalid value for Idempotency-Key.",
            "fields": {"Idempotency-Key": "was used with a different request"},
            "problems": {"Idempotency-Key": {"code": "key_reused"}}
        }})
    );
    assert_eq!(things(&db).await, 1);
}

#[tokio::test]
async fn without_the_header_every_request_runs() {
    let (db, probe, router) = setup().await;
    for _ in 0..2 {
        let res = send(&router, create(Some("u1"), None, r#"{"name":"a"}"#)).await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    assert_eq!((calls(&probe), things(&db).await), (2, 2));
}

#[tokio::test]
async fn without_a_scope_the_request_passes_through() {
    let (db, probe, router) = setup().await;
    for _ in 0..2 {
        let res = send(&router, create(None, Some("key-1"), r#"{"name":"a"}"#)).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_eq!(header(&res, "idempotent-replayed"), None);
    }
    // Not even a malformed key is looked at.
    let res = send(&router, create(None, Some("bad key"), r#"{"name":"a"}"#)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!((calls(&probe), things(&db).await), (3, 3));
}

#[tokio::test]
async fn keys_belong_to_their_caller() {
    let (db, _probe, router) = setup().await;
    for user in ["u1", "u2"] {
        let res = send(&router, create(Some(user), Some("key-1"), r#"{"name":"a"}"#)).await;
        assert_eq!(header(&res, "idempotent-replayed"), None, "{user}");
    }
    assert_eq!(things(&db).await, 2);
}

#[tokio::test]
async fn a_server_error_leaves_the_key_reusable() {
    let (db, probe, router) = setup().await;
    probe.fail_next.store(true, Ordering::SeqCst);
    let res = send(&router, create(Some("u1"), Some("key-1"), r#"{"name":"a"}"#)).await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let res = send(&router, create(Some("u1"), Some("key-1"), r#"{"name":"a"}"#)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(header(&res, "idempotent-replayed"), None);
    let res = send(&router, create(Some("u1"), Some("key-1"), r#"{"name":"a"}"#)).await;
    assert_eq!(header(&res, "idempotent-replayed"), Some("true"));
    assert_eq!((calls(&probe), things(&db).await), (2, 1));
}

#[tokio::test]
async fn client_errors_and_large_bodies_are_not_stored() {
    let (db, probe, router) = setup().await;
    for _ in 0..2 {
        let res = send(&router, create(Some("u1"), Some("key-1"), r#"{"name":""}"#)).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    }
    for _ in 0..2 {
        let res = send(&router, create(Some("u1"), Some("key-2"), r#"{"name":"big"}"#)).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_eq!(header(&res, "idempotent-replayed"), None);
        assert!(text(res).await.len() > 64 * 1024);
    }
    assert_eq!((calls(&probe), things(&db).await), (4, 2));
}

#[tokio::test]
async fn malformed_keys_are_400_naming_the_header() {
    let (db, _probe, router) = setup().await;
    let long = "k".repeat(256);
    for key in ["", "two words", long.as_str()] {
        let res = send(&router, create(Some("u1"), Some(key), r#"{"name":"a"}"#)).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{key:?}");
        let body = json(res).await;
        assert_eq!(body["error"]["code"], "validation");
        assert!(body["error"]["fields"]["Idempotency-Key"].is_string(), "{body}");
    }
    let mut non_ascii = create(Some("u1"), None, r#"{"name":"a"}"#);
    non_ascii.headers_mut().insert("idempotency-key", HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap());
    assert_eq!(send(&router, non_ascii).await.status(), StatusCode::BAD_REQUEST);
    let mut twice = create(Some("u1"), Some("key-1"), r#"{"name":"a"}"#);
    twice.headers_mut().append("idempotency-key", HeaderValue::from_static("key-2"));
    assert_eq!(send(&router, twice).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(things(&db).await, 0);
}

#[tokio::test]
async fn a_repeat_while_the_first_is_running_is_409() {
    let (db, probe, router) = setup().await;
    let first = tokio::spawn({
        let router = router.clone();
        async move { send(&router, create(Some("u1"), Some("key-1"), r#"{"name":"slow"}"#)).await }
    });
    probe.entered.notified().await;
    let res = send(&router, create(Some("u1"), Some("key-1"), r#"{"name":"slow"}"#)).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(header(&res, "retry-after"), Some("1"));
    assert_eq!(json(res).await["error"]["code"], "conflict");

    probe.gate.notify_one();
    assert_eq!(first.await.unwrap().status(), StatusCode::CREATED);
    let res = send(&router, create(Some("u1"), Some("key-1"), r#"{"name":"slow"}"#)).await;
    assert_eq!(header(&res, "idempotent-replayed"), Some("true"));
    assert_eq!((calls(&probe), things(&db).await), (1, 1));
}

#[tokio::test]
async fn a_panicking_handler_frees_the_key() {
    let (db, probe, router) = setup().await;
    probe.panic_next.store(true, Ordering::SeqCst);
    let res = send(&router, create(Some("u1"), Some("key-1"), r#"{"name":"a"}"#)).await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    // The key is freed in the background; wait (bounded) for it to go.
    let mut status = StatusCode::CONFLICT;
    for _ in 0..100 {
        status = send(&router, create(Some("u1"), Some("key-1"), r#"{"name":"a"}"#)).await.status();
        if status != StatusCode::CONFLICT {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(things(&db).await, 1);
}

#[tokio::test]
async fn a_database_outage_refuses_keyed_requests_with_503() {
    let db = TestDb::new().await;
    let mut config = common::config(db.url());
    config.database_url = Some("postgres://postgres@127.0.0.1:1/unreachable".to_owned());
    let probe = Arc::new(Probe::default());
    let router = router(mibio_server::serve::build_state(config).unwrap(), &probe);
    let res = send(&router, create(Some("u1"), Some("key-1"), r#"{"name":"a"}"#)).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(json(res).await["error"]["code"], "unavailable");
    assert_eq!(calls(&probe), 0);
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap()
}

fn stored() -> StoredResponse {
    StoredResponse { status: 201, headers: vec![("location".into(), "/x/1".into())], body: b"{}".to_vec() }
}

#[tokio::test]
async fn keys_expire_after_24_hours() {
    let db = TestDb::new().await;
    let mut conn = db.pool().get().await.unwrap();
    let key = IdempotencyKey::parse("key-1").unwrap();
    let Reservation::Reserved(lease) = reserve(&mut conn, "u1", &key, "hash-a", t0()).await.unwrap() else {
        panic!("a fresh key is reserved");
    };
    complete(&mut conn, "u1", &key, lease, &stored()).await.unwrap();

    let within = t0() + REPLAY_WINDOW - TimeDelta::seconds(1);
    assert_eq!(
        reserve(&mut conn, "u1", &key, "hash-a", within).await.unwrap(),
        Reservation::Replay(stored())
    );
    assert_eq!(reserve(&mut conn, "u1", &key, "hash-b", within).await.unwrap(), Reservation::KeyReused);

    let after = t0() + REPLAY_WINDOW + TimeDelta::seconds(1);
    assert!(matches!(
        reserve(&mut conn, "u1", &key, "hash-b", after).await.unwrap(),
        Reservation::Reserved(_)
    ));
    assert_eq!(prune(&mut conn, after).await.unwrap(), 0, "the taken-over row is fresh");
    assert_eq!(prune(&mut conn, after + REPLAY_WINDOW).await.unwrap(), 1);
}

#[tokio::test]
async fn an_abandoned_reservation_is_taken_over_and_its_lease_goes_stale() {
    let db = TestDb::new().await;
    let mut conn = db.pool().get().await.unwrap();
    let key = IdempotencyKey::parse("key-1").unwrap();
    let Reservation::Reserved(stale) = reserve(&mut conn, "u1", &key, "hash-a", t0()).await.unwrap() else {
        panic!("a fresh key is reserved");
    };
    let soon = t0() + ABANDONED_AFTER - TimeDelta::seconds(1);
    assert_eq!(reserve(&mut conn, "u1", &key, "hash-a", soon).await.unwrap(), Reservation::InFlight);

    let later = t0() + ABANDONED_AFTER + TimeDelta::seconds(1);
    let Reservation::Reserved(fresh) = reserve(&mut conn, "u1", &key, "hash-a", later).await.unwrap() else {
        panic!("an abandoned reservation is taken over");
    };
    // The first holder waking up can neither free nor fill the new reservation.
    release(&mut conn, "u1", &key, stale).await.unwrap();
    complete(&mut conn, "u1", &key, stale, &stored()).await.unwrap();
    assert_eq!(reserve(&mut conn, "u1", &key, "hash-a", later).await.unwrap(), Reservation::InFlight);
    complete(&mut conn, "u1", &key, fresh, &stored()).await.unwrap();
    assert_eq!(reserve(&mut conn, "u1", &key, "hash-a", later).await.unwrap(), Reservation::Replay(stored()));
}
