//! Page analytics end to end: beacons answered 204 at once and written by the batch writer,
//! privacy (no IPs, bots not counted), the report (totals, blocks, dense series, referrers),
//! the daily rollup (idempotent, read back instead of raw rows), the 90-day prune, and a graceful
//! shutdown that loses no accepted beacon.

use crate::common;
use crate::common::links;

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use chrono::{Days, Utc};
use common::app::{Call, Client, TestApp};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const GOOGLEBOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

/// A published page `ana-coach` with one link; (owner, page id, link block id).
async fn page(app: &TestApp) -> (Client, String, String) {
    let ana = owner(app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    let block = id(&add_block(&ana, &page_id, "LINK", link("Agenda")).await);
    publish(&ana, &page_id).await;
    (ana, page_id, block)
}

async fn beacon(visitor: &Client, path: &str, body: &str, user_agent: &str) {
    let call = Call::post(path)
        .body("application/json", body.as_bytes().to_vec())
        .header("user-agent", user_agent)
        .header("referer", "http://127.0.0.1:3000/ana-coach?utm_source=ig&utm_medium=bio")
        .without_origin();
    let reply = visitor.send(call).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "beacons always answer 204: {}", reply.text());
}

async fn view(visitor: &Client, referrer: &str) {
    beacon(
        visitor,
        "/api/v1/public/analytics/view",
        &json!({"slug": "ana-coach", "referrer": referrer}).to_string(),
        IPHONE,
    )
    .await;
}

async fn click(visitor: &Client, block: &str) {
    beacon(
        visitor,
        "/api/v1/public/analytics/click",
        &json!({"blockId": block, "slug": "ana-coach"}).to_string(),
        IPHONE,
    )
    .await;
}

/// Waits (bounded) until the writer has stored `n` rows in `table`.
async fn rows(app: &TestApp, table: &str, n: i64) {
    let sql = format!("SELECT count(*) AS n FROM analytics.{table}");
    for _ in 0..100 {
        if app.count(&sql).await == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(app.count(&sql).await, n, "rows in analytics.{table}");
}

async fn report(client: &Client, page_id: &str, range: &str) -> Value {
    client.get(&format!("{}/analytics?range={range}", page_path(page_id))).await.expect(StatusCode::OK).json()
}

#[tokio::test]
async fn beacons_become_a_report() {
    let app = TestApp::start().await;
    let (ana, page_id, block) = page(&app).await;
    let (first, second) = (app.client(), app.client());
    view(&first, "https://l.instagram.com/?u=x").await;
    view(&first, "https://l.instagram.com/?u=x").await;
    view(&second, "https://www.google.com/").await;
    click(&first, &block).await;
    click(&second, &block).await;
    // Not counted: a bot, an unknown slug, a block of no page, unreadable bodies.
    beacon(&first, "/api/v1/public/analytics/view", r#"{"slug":"ana-coach"}"#, GOOGLEBOT).await;
    beacon(&first, "/api/v1/public/analytics/view", r#"{"slug":"nobody-here"}"#, IPHONE).await;
    let stray = uuid::Uuid::now_v7();
    beacon(&first, "/api/v1/public/analytics/click", &json!({"blockId": stray}).to_string(), IPHONE).await;
    beacon(&first, "/api/v1/public/analytics/view", "not json at all", IPHONE).await;
    beacon(&first, "/api/v1/public/analytics/click", "{}", IPHONE).await;
    rows(&app, "page_views", 3).await;
    rows(&app, "block_clicks", 2).await;

    // Privacy: no address is stored anywhere, and the visitor is an opaque hash.
    assert_eq!(
        app.count("SELECT count(*) AS n FROM analytics.page_views WHERE visitor::text LIKE '%127.0.0%'")
            .await,
        0
    );
    assert_eq!(app.count("SELECT count(DISTINCT visitor) AS n FROM analytics.page_views").await, 2);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM analytics.page_views WHERE utm_source = 'ig' AND utm_medium = 'bio' AND device = 'mobile'").await,
        3
    );

    let body = report(&ana, &page_id, "7d").await;
    assert_eq!(body["totals"], json!({"views": 3, "clicks": 2, "uniqueVisitors": 2}));
    assert_eq!(body["blocks"], json!([{"blockId": block, "clicks": 2}]));
    let series = body["series"].as_array().unwrap();
    assert_eq!(series.len(), 7, "one entry per day, zeros included");
    let today = app.now().date_naive().format("%Y-%m-%d").to_string();
    assert_eq!(series[6], json!({"date": today, "views": 3, "clicks": 2}));
    assert!(series[..6].iter().all(|d| d["views"] == 0 && d["clicks"] == 0));
    assert_eq!(
        body["referrers"],
        json!([{"host": "l.instagram.com", "views": 2}, {"host": "google.com", "views": 1}])
    );
    assert_eq!(report(&ana, &page_id, "90d").await["series"].as_array().unwrap().len(), 90);
}

#[tokio::test]
async fn the_report_is_the_organizations_and_takes_a_known_range() {
    let app = TestApp::start().await;
    let (ana, page_id, _) = page(&app).await;
    ana.get(&format!("{}/analytics?range=1y", page_path(&page_id))).await.expect_invalid("range");
    assert_eq!(report(&ana, &page_id, "30d").await["series"].as_array().unwrap().len(), 30);
    let viewer = member(&app, &ana, "vero@example.com", "viewer").await;
    report(&viewer, &page_id, "7d").await;
    let other = owner(&app, "otto@example.com", "org-otto").await;
    other
        .get(&format!("{}/analytics?range=7d", page_path(&page_id)))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn the_rollup_is_idempotent_and_past_days_are_read_from_it() {
    let app = TestApp::start().await;
    let (ana, page_id, block) = page(&app).await;
    let yesterday = app.now().date_naive() - Days::new(1);
    let at = format!("'{}T12:00:00Z'", yesterday);
    let org = format!("(SELECT organization_id FROM links.pages WHERE id = '{page_id}')");
    for visitor in ["'\\x01'", "'\\x01'", "'\\x02'"] {
        app.execute(&format!(
            "INSERT INTO analytics.page_views (page_id, organization_id, occurred_at, visitor, referrer_host, device) \
             VALUES ('{page_id}', {org}, {at}, {visitor}, 'l.instagram.com', 'mobile')"
        ))
        .await;
    }
    app.execute(&format!(
        "INSERT INTO analytics.block_clicks (page_id, block_id, organization_id, occurred_at, visitor, device) \
         VALUES ('{page_id}', '{block}', {org}, {at}, '\\x01', 'mobile')"
    ))
    .await;

    let db = kernel::db::build_pool(app.db.url(), kernel::db::PoolSettings::default()).unwrap();
    let first = analytics::rollup::rollup(&db, yesterday).await.unwrap();
    let snapshot = "SELECT count(*) AS n FROM analytics.daily_rollups WHERE views = 3 AND unique_visitors = 2 AND clicks = 1";
    assert_eq!((first.pages, app.count(snapshot).await), (1, 1));
    let again = analytics::rollup::rollup(&db, yesterday).await.unwrap();
    assert_eq!((again.pages, app.count(snapshot).await), (1, 1), "twice gives the same rows");
    assert_eq!(app.count("SELECT count(*) AS n FROM analytics.daily_rollups").await, 1);
    assert_eq!(app.count("SELECT count(*) AS n FROM analytics.daily_block_clicks WHERE clicks = 1").await, 1);

    // With the raw rows gone, yesterday still reads from its rollup.
    app.execute("DELETE FROM analytics.page_views").await;
    app.execute("DELETE FROM analytics.block_clicks").await;
    let body = report(&ana, &page_id, "7d").await;
    assert_eq!(body["totals"], json!({"views": 3, "clicks": 1, "uniqueVisitors": 2}));
    assert_eq!(
        body["series"][5],
        json!({"date": yesterday.format("%Y-%m-%d").to_string(), "views": 3, "clicks": 1})
    );
    assert_eq!(body["blocks"], json!([{"blockId": block, "clicks": 1}]));
    assert_eq!(body["referrers"], json!([{"host": "l.instagram.com", "views": 3}]));
}

#[tokio::test]
async fn the_prune_deletes_raw_rows_older_than_90_days_and_keeps_rollups() {
    let app = TestApp::start().await;
    let (_, page_id, _) = page(&app).await;
    let org = format!("(SELECT organization_id FROM links.pages WHERE id = '{page_id}')");
    for age in [91, 89] {
        app.execute(&format!(
            "INSERT INTO analytics.page_views (page_id, organization_id, occurred_at, visitor, device) \
             VALUES ('{page_id}', {org}, now() - interval '{age} days', '\\x01', 'desktop')"
        ))
        .await;
    }
    app.execute(&format!(
        "INSERT INTO analytics.daily_rollups VALUES ('{page_id}', current_date - 200, {org}, 5, 4, 1)"
    ))
    .await;
    let db = kernel::db::build_pool(app.db.url(), kernel::db::PoolSettings::default()).unwrap();
    assert_eq!(analytics::rollup::prune(&db, Utc::now()).await.unwrap(), 1);
    assert_eq!(app.count("SELECT count(*) AS n FROM analytics.page_views").await, 1);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM analytics.daily_rollups").await,
        1,
        "rollups are kept forever"
    );
}

#[tokio::test]
async fn a_graceful_shutdown_loses_no_accepted_beacon() {
    let app = TestApp::start().await;
    let (_, _, block) = page(&app).await;
    // A replica of our own, so that its ingest can be shut down here.
    let state = common::state(&app.db);
    let router = mibio_server::http::router(state.clone());
    let sent = 1_200;
    for i in 0..sent {
        let (path, body) = if i % 3 == 0 {
            ("/api/v1/public/analytics/click", json!({"blockId": block}).to_string())
        } else {
            ("/api/v1/public/analytics/view", json!({"slug": "ana-coach"}).to_string())
        };
        let mut request = Request::post(path)
            .header("content-type", "application/json")
            .header("user-agent", IPHONE)
            .body(Body::from(body))
            .unwrap();
        let ip: IpAddr = format!("198.51.100.{}", i % 200).parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(SocketAddr::new(ip, 40_000)));
        assert_eq!(common::send(&router, request).await.status(), StatusCode::NO_CONTENT);
    }
    state.analytics.shutdown().await;
    let stats = state.analytics.stats();
    assert_eq!(stats.dropped, 0);
    assert_eq!(stats.accepted, sent);
    let stored = app.count("SELECT count(*) AS n FROM analytics.page_views").await
        + app.count("SELECT count(*) AS n FROM analytics.block_clicks").await;
    assert_eq!(stored, i64::try_from(sent).unwrap(), "every accepted beacon was written");
}
