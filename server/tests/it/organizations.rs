//! Organizations (docs/http-api.md, "Organizations"): creating one (its creator is `owner`,
//! and it becomes active), listing the caller's, choosing the active one, the
//! `no_active_organization` answer of org-scoped endpoints, and `Idempotency-Key` on creation.

use crate::common;

use axum::http::StatusCode;
use common::app::{Call, Client, TestApp};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const ORGS: &str = "/api/v1/organizations";
const ORG_COOKIE: &str = "mibio_org";

fn create(name: &str, slug: &str) -> Value {
    json!({"name": name, "slug": slug})
}

#[tokio::test]
async fn creating_an_organization_makes_the_creator_its_owner_and_activates_it() {
    let app = TestApp::start().await;
    let (client, me) = app.user("ana@example.com").await;

    let reply = client.post(ORGS, create("Coaching Ana", "coaching-ana")).await.expect(StatusCode::CREATED);
    let body = reply.json();
    let id = body["id"].as_str().expect("an id").to_owned();
    uuid::Uuid::parse_str(&id).expect("a UUID");
    assert_eq!(body, json!({"id": id, "name": "Coaching Ana", "slug": "coaching-ana"}));

    let cookie = reply.set_cookie(ORG_COOKIE).expect("the active-organization cookie");
    assert_eq!(cookie.value, id);
    assert_eq!(cookie.attribute("httponly"), Some(""));
    assert_eq!(cookie.attribute("samesite").map(str::to_ascii_lowercase).as_deref(), Some("lax"));

    let session = client.session().await.expect(StatusCode::OK).json();
    assert_eq!(session["organization"], json!({"id": id, "name": "Coaching Ana", "slug": "coaching-ana"}));
    assert_eq!(session["permissions"], json!(["*"]));

    let list = client.get(ORGS).await.expect(StatusCode::OK).json();
    assert_eq!(
        list,
        json!({"items": [{"id": id, "name": "Coaching Ana", "slug": "coaching-ana", "role": "owner"}]})
    );

    let members = client.get("/api/v1/organizations/current/members").await.expect(StatusCode::OK).json();
    let items = members["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0]["userId"].as_str(), items[0]["role"].as_str()), (Some(me.as_str()), Some("owner")));

    let owners =
        "SELECT count(*) AS n FROM tenancy.memberships WHERE organization_id = $1::uuid AND role = 'owner'";
    assert_eq!(app.count_with(owners, &id).await, 1);
}

#[tokio::test]
async fn names_and_slugs_are_validated() {
    let app = TestApp::start().await;
    let (client, _) = app.user("ana@example.com").await;
    let cases = [
        (create("", "coaching-ana"), "name"),
        (create("   ", "coaching-ana"), "name"),
        (create(&"x".repeat(81), "coaching-ana"), "name"),
        (create("Coaching Ana", ""), "slug"),
        (create("Coaching Ana", "Coaching Ana"), "slug"),
        (create("Coaching Ana", "coaching_ana"), "slug"),
        (create("Coaching Ana", "-ana"), "slug"),
        (create("Coaching Ana", "<script>"), "slug"),
        (json!({"name": "Coaching Ana"}), "slug"),
        (json!({"name": 7, "slug": "coaching-ana"}), "name"),
        (json!({"name": "Coaching Ana", "slug": "coaching-ana", "ownerId": "x"}), "ownerId"),
    ];
    for (body, field) in cases {
        let reply = client.post(ORGS, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "validation", "{body}");
        assert!(
            reply.json()["error"]["fields"][field].is_string(),
            "{body} should name {field}: {}",
            reply.text()
        );
    }
    let both = client.post(ORGS, create("", "Not A Slug")).await.expect_invalid("name").json();
    assert!(both["error"]["fields"]["slug"].is_string(), "{both}");
    assert_eq!(app.count("SELECT count(*) AS n FROM tenancy.organizations").await, 0);
}

#[tokio::test]
async fn a_taken_slug_is_409_slug_unavailable() {
    let app = TestApp::start().await;
    let (ana, _) = app.user("ana@example.com").await;
    let (bea, _) = app.user("bea@example.com").await;
    app.organization(&ana, "Coaching Ana", "coaching").await;

    bea.post(ORGS, create("Coaching Bea", "coaching"))
        .await
        .expect_error(StatusCode::CONFLICT, "slug_unavailable");
    ana.post(ORGS, create("Again", "coaching")).await.expect_error(StatusCode::CONFLICT, "slug_unavailable");
    assert_eq!(app.count("SELECT count(*) AS n FROM tenancy.organizations").await, 1);
    assert_eq!(bea.get(ORGS).await.json(), json!({"items": []}));
}

#[tokio::test]
async fn organizations_need_a_session() {
    let app = TestApp::start().await;
    let client = app.client();
    client.get(ORGS).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    client.post(ORGS, create("X", "xyz")).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let active = json!({"organizationId": uuid::Uuid::now_v7().to_string()});
    client
        .post("/api/v1/organizations/active", active)
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn the_list_holds_only_the_callers_organizations_with_their_role() {
    let app = TestApp::start().await;
    let (ana, _) = app.user("ana@example.com").await;
    let (bea, _) = app.user("bea@example.com").await;
    let a1 = app.organization(&ana, "Ana One", "ana-one").await;
    let a2 = app.organization(&ana, "Ana Two", "ana-two").await;
    let b1 = app.organization(&bea, "Bea One", "bea-one").await;

    let ids = |client: Client| async move {
        let list = client.get(ORGS).await.expect(StatusCode::OK).json();
        let mut items: Vec<(String, String)> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o["id"].as_str().unwrap().to_owned(), o["role"].as_str().unwrap().to_owned()))
            .collect();
        items.sort();
        items
    };
    let mut expected = vec![(a1.clone(), "owner".to_owned()), (a2.clone(), "owner".to_owned())];
    expected.sort();
    assert_eq!(ids(ana.clone()).await, expected);
    assert_eq!(ids(bea.clone()).await, [(b1.clone(), "owner".to_owned())]);

    // Joining Bea's organization adds it to Ana's list, with the role she was given.
    app.join(&bea, &ana, "ana@example.com", "editor").await;
    expected.push((b1, "editor".to_owned()));
    expected.sort();
    assert_eq!(ids(ana).await, expected);
}

#[tokio::test]
async fn choosing_the_active_organization() {
    let app = TestApp::start().await;
    let (ana, _) = app.user("ana@example.com").await;
    let (bea, _) = app.user("bea@example.com").await;
    let first = app.organization(&ana, "First", "first-org").await;
    let second = app.organization(&ana, "Second", "second-org").await;
    let foreign = app.organization(&bea, "Bea's", "beas-org").await;
    assert_eq!(ana.session().await.json()["organization"]["id"], second.as_str(), "the newest is active");

    let reply = ana.post("/api/v1/organizations/active", json!({"organizationId": first})).await;
    let reply = reply.expect(StatusCode::NO_CONTENT);
    assert!(reply.body.is_empty());
    assert_eq!(reply.set_cookie(ORG_COOKIE).expect("the cookie is set").value, first);
    assert_eq!(ana.session().await.json()["organization"]["id"], first.as_str());

    // Not a member, unknown, or not an id at all: 404, and the active organization stays.
    for id in [foreign.as_str(), "01a21372-47fc-71be-8519-570ae40a9541", "first-org", ""] {
        let reply = ana.post("/api/v1/organizations/active", json!({"organizationId": id})).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{id}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "not_found");
        assert_eq!(reply.set_cookie(ORG_COOKIE), None);
    }
    assert_eq!(ana.session().await.json()["organization"]["id"], first.as_str());

    ana.post("/api/v1/organizations/active", json!({})).await.expect_invalid("organizationId");
    ana.post("/api/v1/organizations/active", json!({"organizationId": first, "role": "owner"}))
        .await
        .expect_invalid("role");
}

/// Every org-scoped endpoint answers 409 `no_active_organization` until one is chosen.
#[tokio::test]
async fn org_scoped_endpoints_need_an_active_organization() {
    let app = TestApp::start().await;
    let (client, me) = app.user("ana@example.com").await;
    assert_eq!(client.session().await.json()["organization"], Value::Null);
    let some_id = uuid::Uuid::now_v7().to_string();
    let calls = [
        Call::get("/api/v1/organizations/current/members"),
        Call::patch(&format!("/api/v1/organizations/current/members/{me}")).json(&json!({"role": "viewer"})),
        Call::delete(&format!("/api/v1/organizations/current/members/{me}")),
        Call::get("/api/v1/organizations/current/invitations"),
        Call::post("/api/v1/organizations/current/invitations")
            .json(&json!({"email": "bea@example.com", "role": "editor"})),
        Call::get("/api/v1/organizations/current/roles"),
        Call::post("/api/v1/organizations/current/roles")
            .json(&json!({"name": "analyst", "permissions": ["analytics:read"]})),
        Call::patch(&format!("/api/v1/organizations/current/roles/{some_id}"))
            .json(&json!({"name": "analyst"})),
        Call::delete(&format!("/api/v1/organizations/current/roles/{some_id}")),
    ];
    for call in calls {
        let what = format!("{call:?}");
        let reply = client.send(call).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{what}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "no_active_organization", "{what}");
    }
    assert_eq!(app.mails_to("bea@example.com").len(), 0);
}

#[tokio::test]
async fn the_same_idempotency_key_and_body_replays_the_first_answer() {
    let app = TestApp::start().await;
    let (client, _) = app.user("ana@example.com").await;
    let call = || {
        Call::post(ORGS)
            .header("idempotency-key", "create-org-1")
            .json(&create("Coaching Ana", "coaching-ana"))
    };

    let first = client.send(call()).await.expect(StatusCode::CREATED);
    let again = client.send(call()).await.expect(StatusCode::CREATED);
    assert_eq!(again.json(), first.json());
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(app.count("SELECT count(*) AS n FROM tenancy.organizations").await, 1);
    assert_eq!(client.get(ORGS).await.json()["items"].as_array().unwrap().len(), 1);

    // The same key with another body is refused, and creates nothing.
    let other = client
        .send(Call::post(ORGS).header("idempotency-key", "create-org-1").json(&create("Other", "other-org")))
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", other.text());
    assert_eq!(other.json()["error"]["code"], "validation");
    assert_eq!(app.count("SELECT count(*) AS n FROM tenancy.organizations").await, 1);

    // Another key creates normally.
    let fresh =
        Call::post(ORGS).header("idempotency-key", "create-org-2").json(&create("Other", "other-org"));
    client.send(fresh).await.expect(StatusCode::CREATED);
    assert_eq!(app.count("SELECT count(*) AS n FROM tenancy.organizations").await, 2);
}

#[tokio::test]
async fn idempotency_keys_belong_to_one_user() {
    let app = TestApp::start().await;
    let (ana, _) = app.user("ana@example.com").await;
    let (bea, _) = app.user("bea@example.com").await;
    let call =
        || Call::post(ORGS).header("idempotency-key", "shared-key").json(&create("Coaching", "coaching"));
    ana.send(call()).await.expect(StatusCode::CREATED);
    // Bea's request with the same key and body is hers: it runs (and finds the slug taken)
    // instead of replaying Ana's answer.
    let reply = bea.send(call()).await.expect_error(StatusCode::CONFLICT, "slug_unavailable");
    assert_eq!(reply.header("idempotent-replayed"), None);
}

/// A caller's W3C `traceparent` is continued: the events the request records carry its trace id;
/// without one (or with a malformed one), the request id stands in.
#[tokio::test]
async fn a_callers_trace_is_continued_into_the_events_it_records() {
    let app = TestApp::start().await;
    let (ana, _) = app.user("ana@example.com").await;
    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    ana.send(
        Call::post("/api/v1/organizations")
            .json(&json!({"name": "Traced", "slug": "traced"}))
            .header("traceparent", &format!("00-{trace}-00f067aa0ba902b7-01")),
    )
    .await
    .expect(StatusCode::CREATED);
    let sql =
        "SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'organization.created' AND trace_id = $1";
    assert_eq!(app.count_with(sql, trace).await, 1);

    ana.send(
        Call::post("/api/v1/organizations")
            .json(&json!({"name": "Plain", "slug": "plain"}))
            .header("traceparent", "00-not-a-trace-01")
            .header("x-request-id", "req-plain-1"),
    )
    .await
    .expect(StatusCode::CREATED);
    assert_eq!(app.count_with(sql, "req-plain-1").await, 1);
}
