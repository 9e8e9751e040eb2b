//! Helpers of the Links tests (docs/http-api.md, "Links" and "Public"): paths, page and block
//! builders that assert the happy answer, lead submissions the way a visitor's browser sends
//! them, and a small CSV reader for the export.

use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use crate::common::app::{Call, Client, Reply, TestApp};

pub const PAGES: &str = "/api/v1/links/pages";
pub const TEMPLATES: &str = "/api/v1/links/templates";
pub const PUBLIC_LEADS: &str = "/api/v1/public/leads";
/// The four coach templates and the theme preset each one brings.
pub const TEMPLATES_AND_PRESETS: [(&str, &str); 4] = [
    ("coach-ejecutivo", "ejecutivo"),
    ("wellness", "wellness"),
    ("terapeuta", "terapia"),
    ("consultor-b2b", "consultor"),
];

pub fn page_path(page_id: &str) -> String {
    format!("{PAGES}/{page_id}")
}

pub fn blocks_path(page_id: &str) -> String {
    format!("{PAGES}/{page_id}/blocks")
}

pub fn block_path(page_id: &str, block_id: &str) -> String {
    format!("{PAGES}/{page_id}/blocks/{block_id}")
}

pub fn leads_path(page_id: &str) -> String {
    format!("{PAGES}/{page_id}/leads")
}

pub fn export_path(page_id: &str) -> String {
    format!("{PAGES}/{page_id}/leads/export.csv")
}

pub fn public_path(slug: &str) -> String {
    format!("/api/v1/public/pages/by-slug/{slug}")
}

/// The `id` of a JSON object.
#[track_caller]
pub fn id(value: &Value) -> String {
    value["id"].as_str().unwrap_or_else(|| panic!("no id in {value}")).to_owned()
}

/// A signed-in user owning a new (active) organization.
pub async fn owner(app: &TestApp, email: &str, org_slug: &str) -> Client {
    let (client, _) = app.user(email).await;
    app.organization(&client, &format!("Org {org_slug}"), org_slug).await;
    client
}

/// A signed-in user who joined `owner`'s active organization as `role` (it is now theirs too).
pub async fn member(app: &TestApp, owner: &Client, email: &str, role: &str) -> Client {
    let (client, _) = app.user(email).await;
    app.join(owner, &client, email, role).await;
    client
}

/// `POST /api/v1/links/pages` with `body`.
pub async fn try_create_page(client: &Client, body: Value) -> Reply {
    client.post(PAGES, body).await
}

/// A blank page `slug` titled "Page {slug}" (expects 201); its PageView.
pub async fn create_page(client: &Client, slug: &str) -> Value {
    try_create_page(client, json!({"slug": slug, "title": format!("Page {slug}")}))
        .await
        .expect(StatusCode::CREATED)
        .json()
}

/// `GET /api/v1/links/pages/{id}` (expects 200).
pub async fn get_page(client: &Client, page_id: &str) -> Value {
    client.get(&page_path(page_id)).await.expect(StatusCode::OK).json()
}

/// `PATCH /api/v1/links/pages/{id}` (expects 200); the PageView.
pub async fn patch_page(client: &Client, page_id: &str, body: Value) -> Value {
    client.patch(&page_path(page_id), body).await.expect(StatusCode::OK).json()
}

pub async fn publish(client: &Client, page_id: &str) -> Value {
    patch_page(client, page_id, json!({"published": true})).await
}

pub async fn unpublish(client: &Client, page_id: &str) -> Value {
    patch_page(client, page_id, json!({"published": false})).await
}

/// `POST …/blocks` with `body`.
pub async fn try_add_block(client: &Client, page_id: &str, body: Value) -> Reply {
    client.post(&blocks_path(page_id), body).await
}

/// Appends a block (expects 201); its BlockView.
pub async fn add_block(client: &Client, page_id: &str, kind: &str, config: Value) -> Value {
    add_block_with(client, page_id, json!({"type": kind, "config": config})).await
}

/// Adds a block from a whole body (placement, window…) (expects 201); its BlockView.
pub async fn add_block_with(client: &Client, page_id: &str, body: Value) -> Value {
    try_add_block(client, page_id, body).await.expect(StatusCode::CREATED).json()
}

/// `PATCH …/blocks/{blockId}` (expects 200); the BlockView.
pub async fn patch_block(client: &Client, page_id: &str, block_id: &str, body: Value) -> Value {
    client.patch(&block_path(page_id, block_id), body).await.expect(StatusCode::OK).json()
}

/// A `LINK` config whose title is `title` (distinctive titles make HTML checks easy).
pub fn link(title: &str) -> Value {
    let path: String = title.chars().filter(char::is_ascii_alphanumeric).collect();
    json!({"url": format!("https://example.com/{path}"), "title": title})
}

/// A `HEADER` config.
pub fn header(text: &str) -> Value {
    json!({"text": text})
}

/// A `LEAD_CAPTURE` config without a consent text.
pub fn lead_form(title: &str) -> Value {
    json!({"title": title, "buttonLabel": "Subscribe"})
}

/// The ids of a PageView's blocks, in the order the page lists them.
pub fn block_ids(page: &Value) -> Vec<String> {
    page["blocks"].as_array().unwrap_or_else(|| panic!("no blocks in {page}")).iter().map(id).collect()
}

/// The positions of a PageView's blocks, in the order the page lists them.
pub fn positions(page: &Value) -> Vec<i64> {
    page["blocks"]
        .as_array()
        .unwrap_or_else(|| panic!("no blocks in {page}"))
        .iter()
        .map(|b| b["position"].as_i64().unwrap_or_else(|| panic!("no position in {b}")))
        .collect()
}

/// Asserts strictly increasing positions.
#[track_caller]
pub fn assert_strictly_increasing(positions: &[i64]) {
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "positions not strictly increasing: {positions:?}");
}

/// The keys of a JSON object, sorted.
#[track_caller]
pub fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> =
        value.as_object().unwrap_or_else(|| panic!("not an object: {value}")).keys().cloned().collect();
    keys.sort();
    keys
}

/// Sorted owned strings, to compare with [`keys`].
pub fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    names.sort();
    names
}

/// Parses an RFC 3339 timestamp of a JSON answer.
#[track_caller]
pub fn instant(value: &Value) -> DateTime<Utc> {
    let text = value.as_str().unwrap_or_else(|| panic!("not an RFC 3339 string: {value}"));
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text:?} is not RFC 3339: {e}")).to_utc()
}

/// `at` as RFC 3339 (UTC, `Z`).
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `now` moved by `hours`, as RFC 3339.
pub fn hours_from(now: DateTime<Utc>, hours: i64) -> String {
    rfc3339(now + TimeDelta::hours(hours))
}

/// A published page `slug` with one `LEAD_CAPTURE` block (config `form`); (page id, block id).
pub async fn published_with_form(client: &Client, slug: &str, form: Value) -> (String, String) {
    let page = create_page(client, slug).await;
    let page_id = id(&page);
    let block = add_block(client, &page_id, "LEAD_CAPTURE", form).await;
    publish(client, &page_id).await;
    (page_id, id(&block))
}

/// `POST /api/v1/public/leads` as an anonymous visitor's browser sends it (no session, no
/// `Origin` header).
pub async fn submit_lead(visitor: &Client, body: Value) -> Reply {
    visitor.send(Call::post(PUBLIC_LEADS).json(&body).without_origin()).await
}

/// A lead for `block_id` from `email` (expects 201).
pub async fn lead(visitor: &Client, block_id: &str, email: &str, name: Option<&str>) -> Value {
    let mut body = json!({"blockId": block_id, "email": email});
    if let Some(name) = name {
        body["name"] = json!(name);
    }
    submit_lead(visitor, body).await.expect(StatusCode::CREATED).json()
}

/// `SELECT count(*) AS n FROM links.leads`.
pub async fn lead_rows(app: &TestApp) -> i64 {
    app.count("SELECT count(*) AS n FROM links.leads").await
}

/// `lead.captured` events in the outbox.
pub async fn lead_events(app: &TestApp) -> i64 {
    app.count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'lead.captured'").await
}

/// The value of the `content` attribute of the `<meta>` whose `property` or `name` is `key`.
pub fn meta_content(html: &str, key: &str) -> Option<String> {
    html.split("<meta").skip(1).map(|tag| tag.split('>').next().unwrap_or_default()).find_map(|tag| {
        let named = tag.contains(&format!("property=\"{key}\"")) || tag.contains(&format!("name=\"{key}\""));
        named.then(|| tag.split("content=\"").nth(1)?.split('"').next().map(str::to_owned)).flatten()
    })
}

/// Every `<a …>` start tag of an HTML page.
pub fn anchors(html: &str) -> Vec<String> {
    html.split("<a ").skip(1).map(|tag| tag.split('>').next().unwrap_or_default().to_owned()).collect()
}

/// The directive `name` of a Content-Security-Policy (`script-src 'self' …`), if present.
pub fn csp_directive(csp: &str, name: &str) -> Option<String> {
    csp.split(';').map(str::trim).find(|d| d.split_whitespace().next() == Some(name)).map(str::to_owned)
}

/// Reads RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; records end
/// with CRLF or LF.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}
