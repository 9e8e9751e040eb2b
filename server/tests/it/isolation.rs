//! Organization isolation (docs/http-api.md, "Conventions": "a resource that belongs to another
//! organization → 404, never reveal that it exists"). Ana owns organization A — she holds `*`
//! there, so a 403 could only mean "this exists, but not for you". Zoe owns organization B, with
//! a member, a custom role and an open invitation. Acting in A, every org-scoped endpoint that
//! takes an id answers 404 for B's ids, and nothing of B changes or shows.

use crate::common;

use axum::http::StatusCode;
use common::app::{Call, Client, PASSWORD, TestApp, invitation_token};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

struct World {
    app: TestApp,
    ana: Client,
    org_a: String,
    zoe: Client,
    zoe_id: String,
    org_b: String,
    carol_id: String,
    role_b: String,
    invitation_b_token: String,
}

async fn world() -> World {
    let app = TestApp::start().await;
    let (ana, _) = app.user("ana@example.com").await;
    let org_a = app.organization(&ana, "Org A", "org-a").await;
    ana.post("/api/v1/organizations/current/roles", json!({"name": "a-role", "permissions": ["links:read"]}))
        .await
        .expect(StatusCode::CREATED);

    let (zoe, zoe_id) = app.user("zoe@example.com").await;
    let org_b = app.organization(&zoe, "Org B", "org-b").await;
    let role_b = zoe
        .post("/api/v1/organizations/current/roles", json!({"name": "b-role", "permissions": ["links:read"]}))
        .await
        .expect(StatusCode::CREATED)
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (carol, carol_id) = app.user("carol@example.com").await;
    app.join(&zoe, &carol, "carol@example.com", "editor").await;
    zoe.post(
        "/api/v1/organizations/current/invitations",
        json!({"email": "ana@example.com", "role": "admin"}),
    )
    .await
    .expect(StatusCode::CREATED);
    let invitation_b_token = invitation_token(&app.mail_to("ana@example.com", 0).await);

    World { app, ana, org_a, zoe, zoe_id, org_b, carol_id, role_b, invitation_b_token }
}

/// B as Zoe sees it: members with roles, roles, open invitations.
async fn snapshot_of_b(w: &World) -> (Value, Value, Value) {
    (
        w.zoe.get("/api/v1/organizations/current/members").await.expect(StatusCode::OK).json(),
        w.zoe.get("/api/v1/organizations/current/roles").await.expect(StatusCode::OK).json(),
        w.zoe.get("/api/v1/organizations/current/invitations").await.expect(StatusCode::OK).json(),
    )
}

#[tokio::test]
async fn every_id_taking_endpoint_answers_404_for_another_organizations_ids() {
    let w = world().await;
    let before = snapshot_of_b(&w).await;
    assert_eq!(w.ana.session().await.json()["organization"]["id"], w.org_a.as_str());

    let members = "/api/v1/organizations/current/members";
    let roles = "/api/v1/organizations/current/roles";
    let calls = [
        Call::patch(&format!("{members}/{}", w.zoe_id)).json(&json!({"role": "viewer"})),
        Call::patch(&format!("{members}/{}", w.carol_id)).json(&json!({"role": "viewer"})),
        Call::patch(&format!("{members}/{}", w.carol_id)).json(&json!({"role": "a-role"})),
        Call::delete(&format!("{members}/{}", w.zoe_id)),
        Call::delete(&format!("{members}/{}", w.carol_id)),
        Call::patch(&format!("{roles}/{}", w.role_b)).json(&json!({"permissions": ["links:*"]})),
        Call::patch(&format!("{roles}/{}", w.role_b)).json(&json!({"name": "renamed"})),
        Call::delete(&format!("{roles}/{}", w.role_b)),
        Call::post("/api/v1/organizations/active").json(&json!({"organizationId": w.org_b})),
    ];
    for call in calls {
        let what = format!("{call:?}");
        let reply = w.ana.send(call).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{what}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "not_found", "{what}");
    }

    // Nothing of B changed, and Ana is still acting in A.
    assert_eq!(snapshot_of_b(&w).await, before);
    assert_eq!(w.ana.session().await.json()["organization"]["id"], w.org_a.as_str());
}

#[tokio::test]
async fn an_invitation_to_someone_else_cannot_be_accepted() {
    let w = world().await;
    // The invitation is for ana@example.com; Carol (a member of B) and Zoe (B's owner) are not
    // Ana, so for them the link does not exist.
    let carol_again = w.app.client();
    carol_again.sign_in("carol@example.com", PASSWORD).await.expect(StatusCode::OK);
    let accept = format!("/api/v1/invitations/{}/accept", w.invitation_b_token);
    carol_again.post_empty(&accept).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    w.zoe.post_empty(&accept).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    // Ana, the invitee, can.
    w.ana.post_empty(&accept).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(w.ana.session().await.json()["organization"]["id"], w.org_b.as_str());
}

#[tokio::test]
async fn lists_show_only_the_active_organizations_things() {
    let w = world().await;
    let members = w.ana.get("/api/v1/organizations/current/members").await.expect(StatusCode::OK).json();
    let emails: Vec<&str> =
        members["items"].as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["ana@example.com"]);

    let roles = w.ana.get("/api/v1/organizations/current/roles").await.expect(StatusCode::OK).json();
    let names: Vec<&str> =
        roles["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["owner", "admin", "editor", "viewer", "a-role"]);

    let invitations =
        w.ana.get("/api/v1/organizations/current/invitations").await.expect(StatusCode::OK).json();
    assert_eq!(invitations, json!({"items": []}));

    let orgs = w.ana.get("/api/v1/organizations").await.expect(StatusCode::OK).json();
    assert_eq!(orgs["items"].as_array().unwrap().len(), 1);
    assert_eq!(orgs["items"][0]["id"], w.org_a.as_str());
}

/// The active-organization cookie is only a choice, never a grant: pointing it at B by hand
/// gets Ana no further than having no active organization.
#[tokio::test]
async fn a_forged_active_organization_cookie_grants_nothing() {
    let w = world().await;
    let before = snapshot_of_b(&w).await;
    w.ana.set_cookie("mibio_org", Some(&w.org_b));

    let session = w.ana.session().await.expect(StatusCode::OK).json();
    assert_eq!((session["organization"].clone(), session["permissions"].clone()), (Value::Null, json!([])));
    let calls = [
        Call::get("/api/v1/organizations/current/members"),
        Call::get("/api/v1/organizations/current/roles"),
        Call::get("/api/v1/organizations/current/invitations"),
        Call::post("/api/v1/organizations/current/invitations")
            .json(&json!({"email": "x@example.com", "role": "viewer"})),
        Call::post("/api/v1/organizations/current/roles")
            .json(&json!({"name": "sneaky", "permissions": ["links:read"]})),
        Call::patch(&format!("/api/v1/organizations/current/members/{}", w.carol_id))
            .json(&json!({"role": "viewer"})),
        Call::delete(&format!("/api/v1/organizations/current/members/{}", w.carol_id)),
        Call::delete(&format!("/api/v1/organizations/current/roles/{}", w.role_b)),
    ];
    for call in calls {
        let what = format!("{call:?}");
        let reply = w.ana.send(call).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{what}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "no_active_organization", "{what}");
    }
    assert_eq!(snapshot_of_b(&w).await, before);
    assert!(w.app.mails_to("x@example.com").is_empty());
}
