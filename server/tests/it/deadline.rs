//! The request deadline (`REQUEST_TIMEOUT_SECS`, `http::deadline`): a request whose query the
//! database leaves unanswered is answered `503 unavailable` with `Retry-After` once the deadline
//! passes, pages served from memory are not held up, and the pool works as soon as the database
//! answers again.
//!
//! "Leaves unanswered" is real here: another session holds the pages table locked, so the
//! request's query reaches Postgres and waits there with no answer and no error, as it would behind
//! a partition or on a hung server.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use diesel_async::SimpleAsyncConnection as _;
use serde_json::json;

use crate::common::app::TestApp;
use crate::common::links;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_the_database_leaves_waiting_gets_503_and_the_pool_recovers() {
    let app = TestApp::with_env(&[("REQUEST_TIMEOUT_SECS", "1"), ("DATABASE_POOL_SIZE", "2")]).await;
    let owner = links::owner(&app, "deadline@example.com", "deadline-org").await;
    let cached = links::create_page(&owner, "held-cached").await;
    links::publish(&owner, &links::id(&cached)).await;
    let cold = links::create_page(&owner, "held-cold").await;
    links::publish(&owner, &links::id(&cold)).await;
    // The visitors' page is served once, so it is in memory.
    let visitor = app.client();
    visitor.get("/held-cached").await.expect(StatusCode::OK);

    let mut holder = app.db.pool().get().await.expect("a connection");
    holder.batch_execute("BEGIN; LOCK TABLE links.pages IN ACCESS EXCLUSIVE MODE").await.unwrap();

    let started = Instant::now();
    let reply = owner.get("/api/v1/links/pages").await;
    let waited = started.elapsed();
    let reply = reply.expect_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    assert_eq!(reply.headers["retry-after"], "5");
    assert!(waited >= Duration::from_secs(1), "answered before the deadline: {waited:?}");

    // A page nobody has visited needs the database: it waits, then gets the same answer.
    visitor.get("/held-cold").await.expect_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    // The page in memory is served meanwhile.
    let page = visitor.get("/held-cached").await.expect(StatusCode::OK);
    assert!(page.text().contains("Page held-cached"), "{}", page.text());

    // Two more held requests than the pool has connections: none of them is left holding one.
    for _ in 0..3 {
        owner.get("/api/v1/links/pages").await.expect_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    }

    holder.batch_execute("COMMIT").await.unwrap();
    let listed = owner.get("/api/v1/links/pages").await.expect(StatusCode::OK).json();
    let slugs: Vec<&str> =
        listed["items"].as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs.len(), 2, "{listed}");
    visitor.get("/held-cold").await.expect(StatusCode::OK);
    // Writes work again too.
    links::patch_page(&owner, &links::id(&cold), json!({"title": "Back"})).await;
}
