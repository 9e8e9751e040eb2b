mod common;
use common::app::*;
use serde_json::json;
use std::time::Instant;

#[tokio::test]
async fn probe() {
    let app = TestApp::start().await;
    let t = Instant::now();
    let (c, id) = app.user("Bea@Example.com").await;
    eprintln!("user {:?} {id}", t.elapsed());
    let r = c.session().await;
    eprintln!("{}", r.text());
    let org = app.organization(&c, "Org", "org-a").await;
    let r = c.session().await;
    eprintln!("{org} {}", r.text());
    let _ = json!({});
}
