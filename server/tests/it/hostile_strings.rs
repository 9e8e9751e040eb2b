//! The guard against HTML injection on every screen: an organization, a user, a page, its blocks
//! and a lead carry hostile strings (`</title>`, `"><svg onload=…>`, `<meta http-equiv=refresh …>`,
//! bidi and zero-width tricks), and every routed screen — walked from the app's own route list, so a
//! new screen is covered without touching this file — is fetched as the people who would see those
//! names: the owner, a teammate who joined the hostile organization, an anonymous visitor, a
//! platform admin, and the admin in a support session. No hostile markup may appear unescaped in
//! the raw HTML, and no `<title>` may hold markup.

use crate::common;
use crate::common::links;

use axum::http::StatusCode;
use common::app::{Call, Client, TestApp, invitation_token};
use links::*;
use serde_json::json;

const ADMIN: &str = "root@example.com";

/// The issue's reproduction, exactly 80 characters (the longest organization name).
const ORG_NAME: &str = r#"</title><meta http-equiv=refresh content="0;url=https://evil.example/"><b>HI</b>"#;
const USER_NAME: &str = r#"Mallory "><svg onload=alert(1)></title><meta http-equiv=refresh content=0>"#;
const PAGE_TITLE: &str = r#"</title><script>alert(1)</script><b>HI</b>"#;
const BIO: &str = "\u{202E}gnp.exe\u{200B}<img src=x onerror=alert(1)> <meta http-equiv=refresh content=0>";
const LINK_TITLE: &str = r#""><svg onload=alert(2)> link"#;
const HEADER_TEXT: &str = "<iframe src=//evil.example></iframe>\u{2066}head";
const FORM_TITLE: &str = r#"</textarea></form><form action=//evil.example>"#;
const LEAD_NAME: &str = r#"<script>alert("lead")</script>"#;

/// Markup that must never appear in a response, whatever the string it came from.
const MARKERS: &[&str] = &[
    "<meta http-equiv=refresh",
    "<svg onload",
    "<script>alert",
    "<b>hi</b>",
    "<img src=x",
    "<iframe src=//evil",
    "<form action=//evil",
];

/// Every page of the app's route list, its parameters filled from the created data.
fn screens(page_id: &str, user_id: &str, org_id: &str, token: &str) -> Vec<String> {
    let mut paths: Vec<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|route| {
            let path = route.path();
            let filled: Vec<&str> = path
                .split('/')
                .map(|segment| match segment.trim_start_matches(':').trim_matches(['{', '}']) {
                    "token" => token,
                    "id" if path.starts_with("/dashboard/pages") => page_id,
                    "id" if path.starts_with("/admin/users") => user_id,
                    "id" if path.starts_with("/admin/organizations") => org_id,
                    _ => segment,
                })
                .collect();
            filled.join("/")
        })
        .collect();
    for path in &paths {
        assert!(!path.contains(':') && !path.contains('{'), "a parameter this test cannot fill: {path}");
    }
    // The public side, which the host renders outside the Leptos router.
    paths.extend(
        ["/evil-coach", "/evil-coach?subscribed=1", "/no-such-page", "/admin/users?q=mallory"]
            .map(str::to_owned),
    );
    paths.sort();
    paths.dedup();
    paths
}

/// Fails if `html` (the answer to `who` GET `path`) carries hostile markup unescaped.
fn assert_inert(who: &str, path: &str, html: &str) {
    for hostile in [ORG_NAME, USER_NAME, PAGE_TITLE, BIO, LINK_TITLE, HEADER_TEXT, FORM_TITLE, LEAD_NAME] {
        assert!(!html.contains(hostile), "{who} GET {path}: {hostile:?} appears unescaped:\n{html}");
    }
    let lower = html.to_lowercase();
    for marker in MARKERS {
        assert!(!lower.contains(marker), "{who} GET {path}: {marker:?} appears in:\n{html}");
    }
    let mut rest = lower.as_str();
    while let Some(start) = rest.find("<title>") {
        let after = &rest[start + "<title>".len()..];
        let end = after.find("</title>").unwrap_or_else(|| panic!("{who} GET {path}: an unclosed <title>"));
        assert!(!after[..end].contains('<'), "{who} GET {path}: markup inside <title>: {}", &after[..end]);
        rest = &after[end..];
    }
}

async fn walk(who: &str, client: &Client, paths: &[String]) -> usize {
    let mut html_pages = 0;
    for path in paths {
        let reply = client.send(Call::get(path).header("accept", "text/html,*/*")).await;
        assert!(reply.status.as_u16() < 500, "{who} GET {path}: {}", reply.status);
        assert_inert(who, path, &reply.text());
        html_pages += usize::from(reply.text().contains("<html"));
    }
    html_pages
}

#[tokio::test]
async fn no_screen_renders_hostile_names_as_markup() {
    let app = TestApp::with_env(&[("PLATFORM_ADMIN_EMAILS", ADMIN)]).await;
    let (mallory, mallory_id) = app.user("mallory@example.com").await;
    mallory.patch("/api/v1/me", json!({"name": USER_NAME})).await.expect(StatusCode::OK);
    let org_id = app.organization(&mallory, ORG_NAME, "org-evil").await;

    let page = create_page(&mallory, "evil-coach").await;
    let page_id = id(&page);
    patch_page(&mallory, &page_id, json!({"title": PAGE_TITLE, "bio": BIO})).await;
    add_block(&mallory, &page_id, "LINK", link(LINK_TITLE)).await;
    add_block(&mallory, &page_id, "HEADER", header(HEADER_TEXT)).await;
    let form = add_block(&mallory, &page_id, "LEAD_CAPTURE", lead_form(FORM_TITLE)).await;
    publish(&mallory, &page_id).await;
    app.client()
        .post(
            "/api/v1/public/leads",
            json!({"blockId": id(&form), "email": "lead@example.com", "name": LEAD_NAME}),
        )
        .await
        .expect(StatusCode::CREATED);

    // The victim: invited into the hostile organization, which becomes their active one.
    let (victim, _) = app.user("victim@example.com").await;
    mallory
        .post(
            "/api/v1/organizations/current/invitations",
            json!({"email": "victim@example.com", "role": "admin"}),
        )
        .await
        .expect(StatusCode::CREATED);
    let token = invitation_token(&app.mail_to("victim@example.com", 0).await);
    let paths = screens(&page_id, &mallory_id, &org_id, &token);
    assert!(paths.iter().any(|p| p == "/dashboard"), "the dashboard is walked: {paths:?}");
    assert!(paths.iter().any(|p| p == &format!("/admin/organizations/{org_id}")), "and the console");
    // The invitation page before accepting names the organization and its inviter.
    let walked = walk("invitee", &victim, &paths).await;
    victim.post_empty(&format!("/api/v1/invitations/{token}/accept")).await.expect(StatusCode::NO_CONTENT);
    app.dispatch_events().await; // the audit log's rows, shown by the console

    let (admin, _) = app.user(ADMIN).await;
    let mut html_pages = walked;
    for (who, client) in
        [("owner", &mallory), ("victim", &victim), ("anonymous", &app.client()), ("admin", &admin)]
    {
        html_pages += walk(who, client, &paths).await;
    }
    // And through a support session: the banner names the hostile user everywhere.
    let started = admin.send(Call::post("/api/fn/admin_impersonate").json(&json!({"id": mallory_id}))).await;
    started.expect(StatusCode::OK);
    html_pages += walk("admin as mallory", &admin, &paths).await;
    assert!(html_pages >= 2 * paths.len(), "the walk rendered real pages, not only redirects: {html_pages}");

    // The names are there, as text: the reproduction renders escaped in the victim's title.
    let dashboard = victim.send(Call::get("/dashboard").header("accept", "text/html")).await.text();
    let escaped = "&lt;/title&gt;&lt;meta http-equiv=refresh content=\"0;url=https://evil.example/\"&gt;&lt;b&gt;HI&lt;/b&gt;";
    assert!(
        dashboard.contains(&format!("<title>{escaped} — mibio</title>")),
        "the escaped title:\n{dashboard}"
    );
}
