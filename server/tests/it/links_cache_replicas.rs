//! Several replicas share one database but each keeps its own public page cache: a write through
//! one replica must evict the page from the others' caches (Postgres `LISTEN/NOTIFY`).

use crate::common;
use crate::common::links;

use std::time::Duration;

use ::links::cache::{CHANGE_CHANNEL, on_signal};
use axum::http::StatusCode;
use common::app::TestApp;
use links::*;
use runtime::notify::Signal;
use serde_json::json;

#[tokio::test]
async fn a_write_on_one_replica_evicts_the_page_from_another() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    patch_page(&ana, &page_id, json!({"title": "Before", "published": true})).await;

    // A second replica: its own state and cache on the same database, listening for changes.
    let replica = common::state(&app.db);
    let router = mibio_server::http::router(replica.clone());
    let (connected_tx, connected_rx) = tokio::sync::oneshot::channel();
    let connected_tx = std::sync::Mutex::new(Some(connected_tx));
    let evict = on_signal(replica.links.cache.clone());
    let _listener = runtime::notify::spawn_listener(
        app.db.url().to_owned(),
        &[CHANGE_CHANNEL],
        std::sync::Arc::new(move |signal: Signal| {
            if signal == Signal::Connected
                && let Some(tx) = connected_tx.lock().unwrap().take()
            {
                let _ = tx.send(());
            }
            evict(signal);
        }),
    );
    tokio::time::timeout(Duration::from_secs(10), connected_rx)
        .await
        .expect("the listener connects")
        .unwrap();

    let read = || async {
        let response = common::get(&router, &public_path("ana-coach")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let cache = common::header(&response, "x-cache").unwrap().to_owned();
        (cache, common::json(response).await["page"]["title"].as_str().unwrap().to_owned())
    };
    assert_eq!(read().await, ("MISS".to_owned(), "Before".to_owned()));
    assert_eq!(read().await, ("HIT".to_owned(), "Before".to_owned()));

    // The write goes through the first replica.
    patch_page(&ana, &page_id, json!({"title": "After"})).await;

    // The notice arrives asynchronously; the other replica must see the change well within the
    // cache's 60 s TTL.
    let mut seen = read().await;
    for _ in 0..100 {
        if seen.1 == "After" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        seen = read().await;
    }
    assert_eq!(seen, ("MISS".to_owned(), "After".to_owned()), "the other replica's cache was evicted");
}
