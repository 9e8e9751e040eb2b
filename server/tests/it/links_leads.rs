//! Leads (docs/http-api.md, "Public" and "Links"): visitors leave their email through a page's
//! `LEAD_CAPTURE` block — by JSON or by the no-JavaScript form — once per page and address,
//! with consent when the block asks for it, a honeypot against bots and a per-IP rate limit; the
//! organization lists them (newest first, cursor-paginated) and exports them as CSV (formula
//! cells neutralised), with permissions and organization isolation.

use crate::common;
use crate::common::links;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use chrono::TimeDelta;
use common::app::{Call, Client, TestApp, assert_rate_limited};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const FORM: &str = "application/x-www-form-urlencoded";

/// Ana owning a published page `ana-coach` with a lead form; (app, ana, page id, block id).
async fn setup_with(app: TestApp, form: Value) -> (TestApp, Client, String, String) {
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let (page_id, block_id) = published_with_form(&ana, "ana-coach", form).await;
    (app, ana, page_id, block_id)
}

async fn setup() -> (TestApp, Client, String, String) {
    setup_with(TestApp::start().await, lead_form("Weekly letter")).await
}

/// `GET …/leads` with a query string (expects 200).
async fn list(client: &Client, page_id: &str, query: &str) -> Value {
    client.get(&format!("{}{query}", leads_path(page_id))).await.expect(StatusCode::OK).json()
}

/// The emails of a leads list, in its order.
fn emails(list: &Value) -> Vec<String> {
    list["items"].as_array().unwrap().iter().map(|l| l["email"].as_str().unwrap().to_owned()).collect()
}

/// Inserts `count` leads straight into the table (too many for the rate-limited door).
pub(crate) async fn insert_leads(app: &TestApp, page_id: &str, block_id: &str, count: u32) {
    app.execute(&format!(
        "INSERT INTO links.leads (id, page_id, block_id, email, name, created_at, updated_at) \
         SELECT gen_random_uuid(), '{page_id}'::uuid, '{block_id}'::uuid, 'bulk' || g || '@example.com', \
                'Bulk ' || g, now() - g * interval '1 second', now() \
         FROM generate_series(1, {count}) AS g"
    ))
    .await;
}

#[tokio::test]
async fn a_new_lead_is_201_and_a_repeat_is_200_stored_once() {
    let (app, _ana, _page_id, block_id) = setup_with(
        TestApp::start().await,
        json!({"title": "Letter", "buttonLabel": "Go", "successMessage": "See you in your inbox!"}),
    )
    .await;
    let visitor = app.client();

    let reply = submit_lead(&visitor, json!({"blockId": block_id, "email": "Ana@X.co", "name": "Ana"}))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(reply.json(), json!({"message": "See you in your inbox!"}));
    assert_eq!(lead_rows(&app).await, 1);
    assert_eq!(lead_events(&app).await, 1, "a lead.captured event is recorded with the lead");

    // The same address in another case, from another visitor: a repeat.
    let reply = submit_lead(&app.client(), json!({"blockId": block_id, "email": "ana@x.co"}))
        .await
        .expect(StatusCode::OK);
    assert!(reply.json()["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", reply.text());
    submit_lead(&visitor, json!({"blockId": block_id, "email": "ANA@X.CO", "name": "Ana again"}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(lead_rows(&app).await, 1);
    assert_eq!(lead_events(&app).await, 1, "a repeat is not a new lead");

    // Another address is another lead; without a success message the default one is shown.
    let plain = lead(&visitor, &block_id, "bea@example.com", None).await;
    assert!(plain["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(lead_rows(&app).await, 2);
    assert_eq!(lead_events(&app).await, 2);
}

#[tokio::test]
async fn the_same_email_on_two_pages_is_two_leads() {
    let (app, ana, _page_id, block_id) = setup().await;
    let (_other_page, other_block) = published_with_form(&ana, "ana-other", lead_form("Other")).await;
    let visitor = app.client();
    lead(&visitor, &block_id, "bea@example.com", None).await;
    lead(&visitor, &other_block, "bea@example.com", None).await;
    assert_eq!(lead_rows(&app).await, 2);
}

#[tokio::test]
async fn lead_emails_and_names_are_validated() {
    let (app, _ana, _page_id, block_id) = setup().await;
    let visitor = app.client();
    for email in ["", "   ", "not-an-email", "a@", "@x.co", "ana@x.co<script>", "ana @x.co"] {
        let reply = submit_lead(&visitor, json!({"blockId": block_id, "email": email})).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{email:?}: {}", reply.text());
        reply.expect_invalid("email");
    }
    submit_lead(&visitor, json!({"blockId": block_id})).await.expect_invalid("email");
    submit_lead(&visitor, json!({"blockId": block_id, "email": "a@x.co", "name": "n".repeat(101)}))
        .await
        .expect_invalid("name");
    submit_lead(&visitor, json!({"blockId": block_id, "email": "a@x.co", "pageId": "x"}))
        .await
        .expect_invalid("pageId");
    assert_eq!(lead_rows(&app).await, 0);
    assert_eq!(lead_events(&app).await, 0);
}

#[tokio::test]
async fn leads_need_an_enabled_lead_form_on_a_published_page() {
    let (app, ana, page_id, block_id) = setup().await;
    let link_block = add_block(&ana, &page_id, "LINK", link("Web")).await;
    let disabled = add_block_with(
        &ana,
        &page_id,
        json!({"type": "LEAD_CAPTURE", "config": lead_form("Off"), "enabled": false}),
    )
    .await;
    let draft = id(&create_page(&ana, "ana-draft").await);
    let draft_form = add_block(&ana, &draft, "LEAD_CAPTURE", lead_form("Draft")).await;
    let visitor = app.client();

    for (what, target) in [
        ("a LINK block", id(&link_block)),
        ("an unknown block", uuid::Uuid::now_v7().to_string()),
        ("a disabled form", id(&disabled)),
        ("a form on an unpublished page", id(&draft_form)),
    ] {
        let reply = submit_lead(&visitor, json!({"blockId": target, "email": "bea@example.com"})).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{what}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "not_found", "{what}");
    }
    // Unpublishing the page closes its form too.
    unpublish(&ana, &page_id).await;
    submit_lead(&visitor, json!({"blockId": block_id, "email": "bea@example.com"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(lead_rows(&app).await, 0);
    assert_eq!(lead_events(&app).await, 0);
}

#[tokio::test]
async fn a_consent_text_must_be_accepted_and_is_kept_with_the_lead() {
    let consent = "I agree to receive the weekly letter.";
    let (app, _ana, _page_id, block_id) = setup_with(
        TestApp::start().await,
        json!({"title": "Letter", "buttonLabel": "Go", "consentText": consent}),
    )
    .await;
    let visitor = app.client();
    for body in [
        json!({"blockId": block_id, "email": "bea@example.com"}),
        json!({"blockId": block_id, "email": "bea@example.com", "consent": false}),
    ] {
        submit_lead(&visitor, body).await.expect_invalid("consent");
    }
    assert_eq!(lead_rows(&app).await, 0);

    submit_lead(&visitor, json!({"blockId": block_id, "email": "bea@example.com", "consent": true}))
        .await
        .expect(StatusCode::CREATED);
    let kept = app
        .count_with(
            "SELECT count(*) AS n FROM links.leads WHERE consent_text = $1 AND consent_version IS NOT NULL \
             AND consent_version <> ''",
            consent,
        )
        .await;
    assert_eq!(kept, 1, "the lead keeps the text it agreed to, and its version");
}

#[tokio::test]
async fn the_honeypot_quietly_swallows_bots() {
    let (app, _ana, _page_id, block_id) = setup().await;
    let reply = submit_lead(
        &app.client(),
        json!({"blockId": block_id, "email": "bot@spam.example", "website": "https://spam.example"}),
    )
    .await
    .expect(StatusCode::CREATED);
    assert!(reply.json()["message"].is_string(), "the bot sees a success: {}", reply.text());
    assert_eq!(lead_rows(&app).await, 0);
    assert_eq!(lead_events(&app).await, 0);

    // An empty honeypot is a person.
    submit_lead(&app.client(), json!({"blockId": block_id, "email": "bea@example.com", "website": ""}))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(lead_rows(&app).await, 1);
}

#[tokio::test]
async fn lead_submissions_are_rate_limited_per_ip() {
    let (app, _ana, _page_id, block_id) =
        setup_with(TestApp::with_env(&[("RATE_LIMIT_LEADS_PER_MINUTE", "3")]).await, lead_form("Letter"))
            .await;
    let visitor = app.client();
    for n in 1..=3 {
        let reply = submit_lead(&visitor, json!({"blockId": block_id, "email": format!("v{n}@example.com")}))
            .await
            .expect(StatusCode::CREATED);
        let (limit, remaining, _) = reply.rate_limit().expect("X-RateLimit-* on a successful submission");
        assert_eq!((limit, remaining), (3, 3 - n));
    }
    let fourth = submit_lead(&visitor, json!({"blockId": block_id, "email": "v4@example.com"})).await;
    assert_rate_limited(&fourth, 3, app.now(), 60);
    assert_eq!(lead_rows(&app).await, 3);

    // Another address has its own budget; the window passes for the first one.
    lead(&app.client(), &block_id, "other@example.com", None).await;
    app.clock.advance(TimeDelta::seconds(61));
    lead(&visitor, &block_id, "v4@example.com", None).await;
    assert_eq!(lead_rows(&app).await, 5);
}

#[tokio::test]
async fn the_no_javascript_form_redirects_back_to_the_page() {
    let (app, _ana, _page_id, block_id) = setup().await;
    let visitor = app.client();
    let post = |body: String| Call::post("/ana-coach/leads").body(FORM, body).without_origin();

    let reply = visitor
        .send(post(format!("blockId={block_id}&email=bea%40example.com&name=Bea&consent=true&website=")))
        .await
        .expect(StatusCode::SEE_OTHER);
    // Back to the page, saying which form succeeded (a `#fragment` to scroll to it is fine).
    let location = reply.header("location").unwrap_or_default();
    let without_fragment = location.split('#').next().unwrap_or_default();
    assert_eq!(without_fragment, format!("/ana-coach?subscribed=1&block={block_id}"), "{location}");
    assert_eq!(lead_rows(&app).await, 1);
    let stored = app
        .count(
            "SELECT count(*) AS n FROM links.leads WHERE lower(email) = 'bea@example.com' AND name = 'Bea'",
        )
        .await;
    assert_eq!(stored, 1);

    let reply = visitor
        .send(post(format!("blockId={block_id}&email=not-an-email&name=Bea&website=")))
        .await
        .expect(StatusCode::SEE_OTHER);
    let location = reply.header("location").unwrap_or_default();
    assert!(location.starts_with("/ana-coach?") && location.contains("lead_error=email"), "{location}");
    assert_eq!(lead_rows(&app).await, 1);

    // The honeypot works here too.
    visitor
        .send(post(format!("blockId={block_id}&email=bot%40spam.example&website=https%3A%2F%2Fspam.example")))
        .await
        .expect(StatusCode::SEE_OTHER);
    assert_eq!(lead_rows(&app).await, 1);
}

#[tokio::test]
async fn the_leads_list_is_newest_first() {
    let (app, ana, page_id, block_id) = setup().await;
    for (email, name) in [
        ("first@example.com", Some("First")),
        ("second@example.com", None),
        ("third@example.com", Some("Third")),
    ] {
        lead(&app.client(), &block_id, email, name).await;
        app.clock.advance(TimeDelta::seconds(10));
    }
    let page = list(&ana, &page_id, "").await;
    assert_eq!(emails(&page), ["third@example.com", "second@example.com", "first@example.com"]);
    assert_eq!(page["nextCursor"], Value::Null);
    let newest = &page["items"][0];
    assert_eq!(keys(newest), sorted(&["id", "email", "name", "blockId", "createdAt", "overQuota"]));
    uuid::Uuid::parse_str(&id(newest)).expect("a UUID id");
    assert_eq!(
        (newest["name"].as_str(), newest["blockId"].as_str()),
        (Some("Third"), Some(block_id.as_str()))
    );
    assert_eq!(page["items"][1]["name"], Value::Null);
    let times: Vec<_> = page["items"].as_array().unwrap().iter().map(|l| instant(&l["createdAt"])).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");

    // Only this page's leads.
    let (other_page, other_block) = published_with_form(&ana, "ana-other", lead_form("Other")).await;
    lead(&app.client(), &other_block, "elsewhere@example.com", None).await;
    assert_eq!(emails(&list(&ana, &page_id, "").await).len(), 3);
    assert_eq!(emails(&list(&ana, &other_page, "").await), ["elsewhere@example.com"]);
}

#[tokio::test]
async fn walking_the_cursor_visits_every_lead_exactly_once() {
    let (app, ana, page_id, block_id) = setup().await;
    // 25 leads; some share a creation time (the clock only moves every fifth lead).
    let mut all = BTreeSet::new();
    for n in 0..25 {
        let email = format!("lead{n:02}@example.com");
        lead(&app.client(), &block_id, &email, None).await;
        all.insert(email);
        if n % 5 == 4 {
            app.clock.advance(TimeDelta::seconds(1));
        }
    }

    // The default page size is 20.
    let first = list(&ana, &page_id, "").await;
    assert_eq!(first["items"].as_array().unwrap().len(), 20);
    let cursor = first["nextCursor"].as_str().expect("a next cursor").to_owned();
    let rest = list(&ana, &page_id, &format!("?cursor={cursor}")).await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 5);
    assert_eq!(rest["nextCursor"], Value::Null);

    for limit in [1, 7, 25, 100] {
        let mut seen = Vec::new();
        let mut query = format!("?limit={limit}");
        let mut pages = 0;
        loop {
            let page = list(&ana, &page_id, &query).await;
            let items = page["items"].as_array().unwrap();
            assert!(items.len() <= limit, "limit {limit}: {} items", items.len());
            seen.extend(emails(&page));
            pages += 1;
            assert!(pages <= 30, "limit {limit}: the cursor walk does not end");
            match page["nextCursor"].as_str() {
                Some(cursor) => query = format!("?limit={limit}&cursor={cursor}"),
                None => break,
            }
        }
        let unique: BTreeSet<String> = seen.iter().cloned().collect();
        assert_eq!(seen.len(), 25, "limit {limit}: every lead once, none twice: {seen:?}");
        assert_eq!(unique, all, "limit {limit}");
    }
}

#[tokio::test]
async fn leads_list_parameters_are_validated() {
    let (app, ana, page_id, block_id) = setup().await;
    lead(&app.client(), &block_id, "bea@example.com", None).await;
    for query in ["?limit=0", "?limit=101", "?limit=-1", "?limit=ten"] {
        let reply = ana.get(&format!("{}{query}", leads_path(&page_id))).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}: {}", reply.text());
        reply.expect_invalid("limit");
    }
    for query in ["?cursor=garbage", "?cursor=%00%01", "?cursor=eyJ4IjoxfQ"] {
        let reply = ana.get(&format!("{}{query}", leads_path(&page_id))).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}: {}", reply.text());
        reply.expect_invalid("cursor");
    }
    assert_eq!(list(&ana, &page_id, "?limit=1").await["items"].as_array().unwrap().len(), 1);
    assert_eq!(list(&ana, &page_id, "?limit=100").await["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn leads_are_private_to_the_organization_and_guarded_by_permissions() {
    let (app, ana, page_id, block_id) = setup().await;
    lead(&app.client(), &block_id, "bea@example.com", None).await;

    let zoe = owner(&app, "zoe@example.com", "org-zoe").await;
    for path in
        [leads_path(&page_id), export_path(&page_id), leads_path("not-a-uuid"), export_path("not-a-uuid")]
    {
        let reply = zoe.get(&path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "not_found", "{path}");
    }

    let vic = member(&app, &ana, "vic@example.com", "viewer").await;
    vic.get(&leads_path(&page_id)).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    vic.get(&export_path(&page_id)).await.expect_error(StatusCode::FORBIDDEN, "forbidden");

    let ed = member(&app, &ana, "ed@example.com", "editor").await;
    assert_eq!(emails(&list(&ed, &page_id, "").await), ["bea@example.com"]);
    ed.get(&export_path(&page_id)).await.expect_error(StatusCode::FORBIDDEN, "forbidden");

    ana.get(&export_path(&page_id)).await.expect(StatusCode::OK);
    app.client().get(&leads_path(&page_id)).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    app.client().get(&export_path(&page_id)).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn the_csv_export_neutralises_formula_cells() {
    let (app, ana, page_id, block_id) = setup().await;
    let names = [
        ("hyperlink@example.com", "=HYPERLINK(\"http://evil\")"),
        ("plus@example.com", "+1 555 0100"),
        ("minus@example.com", "-2+3"),
        ("at@example.com", "@SUM(A1:A2)"),
        ("comma@example.com", "Perez, Ana"),
        ("plain@example.com", "Bea"),
    ];
    for (email, name) in names {
        lead(&app.client(), &block_id, email, Some(name)).await;
        app.clock.advance(TimeDelta::seconds(1));
    }
    // Tabs and carriage returns cannot come through the form; they can come from elsewhere.
    let (tab_id, cr_id) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    app.execute(&format!(
        "INSERT INTO links.leads (id, page_id, block_id, email, name, created_at, updated_at) VALUES \
         ('{tab_id}', '{page_id}', '{block_id}', 'tab@example.com', E'\\tcmd', now(), now()), \
         ('{cr_id}', '{page_id}', '{block_id}', 'cr@example.com', E'\\rcmd', now(), now())"
    ))
    .await;

    let reply = ana.get(&export_path(&page_id)).await.expect(StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("text/csv; charset=utf-8"));
    let disposition = reply.header("content-disposition").unwrap_or_default();
    assert!(
        disposition.starts_with("attachment; filename=\"") && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let text = reply.text();
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "the formula is neutralised and quoted: {text}"
    );

    let records = parse_csv(&text);
    assert_eq!(records[0], ["email", "name", "created_at", "block_id"]);
    let name_of = |email: &str| -> String {
        records.iter().find(|r| r[0] == email).unwrap_or_else(|| panic!("{email} not exported: {text}"))[1]
            .clone()
    };
    assert_eq!(name_of("hyperlink@example.com"), "'=HYPERLINK(\"http://evil\")");
    assert_eq!(name_of("plus@example.com"), "'+1 555 0100");
    assert_eq!(name_of("minus@example.com"), "'-2+3");
    assert_eq!(name_of("at@example.com"), "'@SUM(A1:A2)");
    assert_eq!(name_of("tab@example.com"), "'\tcmd");
    assert_eq!(name_of("cr@example.com"), "'\rcmd");
    assert_eq!(name_of("comma@example.com"), "Perez, Ana");
    assert_eq!(name_of("plain@example.com"), "Bea");
    for record in &records[1..] {
        assert_eq!(record.len(), 4, "{record:?}");
        assert_eq!(record[3], block_id, "{record:?}");
        assert!(record[2].starts_with(|c: char| c.is_ascii_digit()), "created_at: {record:?}");
    }
    assert_eq!(records.len(), 1 + names.len() + 2);
}

#[tokio::test]
async fn the_csv_export_carries_thousands_of_leads() {
    let (app, ana, page_id, block_id) = setup().await;
    insert_leads(&app, &page_id, &block_id, 5000).await;
    // Another page's leads stay out.
    let (other_page, other_block) = published_with_form(&ana, "ana-other", lead_form("Other")).await;
    insert_leads(&app, &other_page, &other_block, 10).await;

    let reply = ana.get(&export_path(&page_id)).await.expect(StatusCode::OK);
    let text = reply.text();
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 5001, "a header and 5 000 rows");
    assert_eq!(lines[0], "email,name,created_at,block_id");
    let emails: BTreeSet<&str> = lines[1..].iter().map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(emails.len(), 5000, "every lead exactly once");
    assert!(emails.contains("bulk1@example.com") && emails.contains("bulk5000@example.com"));
}
