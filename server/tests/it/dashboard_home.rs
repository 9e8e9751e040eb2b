//! The dashboard home's page cards (`/api/fn/page_cards`): every page of the active organization
//! with its address, its state and the views and leads of the last 7 UTC days — the same views the
//! analytics report counts (rolled-up days from the rollups, the rest from the raw rows).

use crate::common;
use crate::common::links;

use axum::http::StatusCode;
use chrono::Days;
use common::app::TestApp;
use links::*;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

/// Inserts a raw view of `page` at `at` (an SQL timestamp expression).
async fn raw_view(app: &TestApp, page: &str, at: &str) {
    app.execute(&format!(
        "INSERT INTO analytics.page_views (page_id, organization_id, occurred_at, visitor, device) \
         SELECT id, organization_id, {at}, '\\x01', 'mobile' FROM links.pages WHERE id = '{page}'"
    ))
    .await;
}

/// Inserts a daily rollup of `page` for `day` with `views`.
async fn rollup(app: &TestApp, page: &str, day: chrono::NaiveDate, views: i32) {
    app.execute(&format!(
        "INSERT INTO analytics.daily_rollups SELECT id, '{day}', organization_id, {views}, 1, 0 \
         FROM links.pages WHERE id = '{page}'"
    ))
    .await;
}

#[tokio::test]
async fn page_cards_count_the_last_seven_days() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let (live, form) = published_with_form(&ana, "ana-coach", lead_form("Letter")).await;
    let draft = id(&create_page(&ana, "ana-draft").await);
    // Another organization's page is not Ana's.
    let bruno = owner(&app, "bruno@example.com", "org-bruno").await;
    create_page(&bruno, "bruno-coach").await;

    let today = app.now().date_naive();
    let at = |day: chrono::NaiveDate| format!("'{day}T12:00:00Z'::timestamptz");
    // The live page: a rolled-up day inside the week (its raw rows are not counted twice), one
    // outside it, and two raw views today.
    let three_days_ago = today - Days::new(3);
    rollup(&app, &live, three_days_ago, 5).await;
    raw_view(&app, &live, &at(three_days_ago)).await;
    rollup(&app, &live, today - Days::new(10), 100).await;
    raw_view(&app, &live, &at(today)).await;
    raw_view(&app, &live, &at(today)).await;
    // The draft: one view yesterday, one eight days ago.
    raw_view(&app, &draft, &at(today - Days::new(1))).await;
    raw_view(&app, &draft, &at(today - Days::new(8))).await;
    // Leads: three this week, one ten days ago.
    crate::links_leads::insert_leads(&app, &live, &form, 3).await;
    app.execute(&format!(
        "INSERT INTO links.leads (id, page_id, block_id, email, name, created_at, updated_at) VALUES \
         (gen_random_uuid(), '{live}', '{form}', 'old@example.com', NULL, {ts}, {ts})",
        ts = at(today - Days::new(10))
    ))
    .await;

    let reply = ana.post("/api/fn/page_cards", json!({})).await.expect(StatusCode::OK);
    let mut cards: Vec<Value> = serde_json::from_value(reply.json()).unwrap();
    cards.sort_by_key(|c| c["slug"].as_str().unwrap_or_default().to_owned());
    assert_eq!(
        cards,
        vec![
            json!({"id": live, "slug": "ana-coach", "title": "Page ana-coach", "published": true, "views7d": 7, "leads7d": 3}),
            json!({"id": draft, "slug": "ana-draft", "title": "Page ana-draft", "published": false, "views7d": 1, "leads7d": 0}),
        ]
    );
    // The same week as the analytics report's.
    let report =
        ana.get(&format!("{}/analytics?range=7d", page_path(&live))).await.expect(StatusCode::OK).json();
    assert_eq!(report["totals"]["views"], 7);

    // No pages yet: an empty list (the home then offers "Create your page").
    let carla = owner(&app, "carla@example.com", "org-carla").await;
    let reply = carla.post("/api/fn/page_cards", json!({})).await.expect(StatusCode::OK);
    assert_eq!(reply.json(), json!([]));
    // Without an active organization: the usual refusal.
    let (dora, _) = app.user("dora@example.com").await;
    let refused = dora.post("/api/fn/page_cards", json!({})).await;
    assert_eq!(refused.json()["code"], "no_active_organization", "{}", refused.text());
}
