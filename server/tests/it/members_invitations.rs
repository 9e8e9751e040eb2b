//! Members and invitations of the active organization (docs/http-api.md, "Organizations"):
//! listing members, inviting by email (the link arrives over real SMTP), accepting as the invitee,
//! changing roles and removing members — each with its permission, and the last-owner rule.

use crate::common;

use axum::http::StatusCode;
use chrono::TimeDelta;
use common::app::{Client, TestApp, invitation_token, link_to};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const MEMBERS: &str = "/api/v1/organizations/current/members";
const INVITATIONS: &str = "/api/v1/organizations/current/invitations";

fn member(id: &str) -> String {
    format!("{MEMBERS}/{id}")
}

fn accept(token: &str) -> String {
    format!("/api/v1/invitations/{token}/accept")
}

/// The members list as (userId, role) pairs, sorted.
async fn roles(client: &Client) -> Vec<(String, String)> {
    let list = client.get(MEMBERS).await.expect(StatusCode::OK).json();
    let mut pairs: Vec<(String, String)> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| (m["userId"].as_str().unwrap().to_owned(), m["role"].as_str().unwrap().to_owned()))
        .collect();
    pairs.sort();
    pairs
}

fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

/// An owner with an organization, and a second signed-in user who has joined it as `role`.
struct Team {
    app: TestApp,
    owner: Client,
    owner_id: String,
    org: String,
    other: Client,
    other_id: String,
}

async fn team(role: &str) -> Team {
    let app = TestApp::start().await;
    let (owner, owner_id) = app.user("owner@example.com").await;
    let org = app.organization(&owner, "Coaching Ana", "coaching-ana").await;
    let (other, other_id) = app.user("bob@example.com").await;
    app.join(&owner, &other, "bob@example.com", role).await;
    Team { app, owner, owner_id, org, other, other_id }
}

#[tokio::test]
async fn the_members_list_shows_each_member_with_their_role() {
    let t = team("editor").await;
    let list = t.owner.get(MEMBERS).await.expect(StatusCode::OK).json();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let bob = items.iter().find(|m| m["userId"] == t.other_id.as_str()).expect("bob is listed");
    let joined = bob["joinedAt"].as_str().expect("joinedAt");
    chrono::DateTime::parse_from_rfc3339(joined).expect("joinedAt is RFC 3339");
    assert_eq!(
        bob,
        &json!({"userId": t.other_id, "email": "bob@example.com", "name": "bob", "role": "editor", "joinedAt": joined})
    );
    assert_eq!(
        roles(&t.owner).await,
        sorted(vec![(t.owner_id, "owner".into()), (t.other_id, "editor".into())])
    );
}

#[tokio::test]
async fn listing_members_needs_members_read() {
    for role in ["editor", "viewer"] {
        let t = team(role).await;
        t.other.get(MEMBERS).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
        t.other.get(INVITATIONS).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    let t = team("admin").await;
    assert_eq!(roles(&t.other).await.len(), 2);
}

#[tokio::test]
async fn an_invitation_is_mailed_and_accepted_by_the_invitee() {
    let app = TestApp::start().await;
    let (owner, _) = app.user("owner@example.com").await;
    let org = app.organization(&owner, "Coaching Ana", "coaching-ana").await;

    let reply = owner.post(INVITATIONS, json!({"email": "Bob@Example.com", "role": "editor"})).await;
    let body = reply.expect(StatusCode::CREATED).json();
    let expires = (app.now() + TimeDelta::days(7)).to_rfc3339();
    let id = body["id"].as_str().expect("an id").to_owned();
    assert_eq!(body, json!({"id": id, "email": "Bob@Example.com", "role": "editor", "expiresAt": expires}));

    let open = owner.get(INVITATIONS).await.expect(StatusCode::OK).json();
    assert_eq!(open, json!({"items": [body]}));

    let mail = app.mail_to("bob@example.com", 0).await;
    assert_eq!(mail.subject().as_deref(), Some("owner invited you to Coaching Ana on mibio"));
    let link = link_to(&mail, "/invitations/");
    assert!(link.starts_with("http://127.0.0.1:3000/invitations/"), "{link}");
    let token = invitation_token(&mail);

    // Bob (signed up with the address in another case) accepts.
    let (bob, bob_id) = app.user("bob@example.com").await;
    let reply = bob.post_empty(&accept(&token)).await.expect(StatusCode::NO_CONTENT);
    assert!(reply.body.is_empty());
    assert_eq!(reply.set_cookie("mibio_org").expect("the joined organization becomes active").value, org);

    let session = bob.session().await.expect(StatusCode::OK).json();
    assert_eq!(session["organization"]["id"], org.as_str());
    assert_eq!(session["permissions"], json!(["links:leads:read", "links:read", "links:write"]));
    let list = bob.get("/api/v1/organizations").await.json();
    assert_eq!(
        list["items"],
        json!([{"id": org, "name": "Coaching Ana", "slug": "coaching-ana", "role": "editor"}])
    );
    assert!(roles(&owner).await.contains(&(bob_id, "editor".to_owned())));
    assert_eq!(owner.get(INVITATIONS).await.json(), json!({"items": []}), "no longer open");

    // The link works once.
    bob.post_empty(&accept(&token)).await.expect_error(StatusCode::NOT_FOUND, "not_found");
}

/// Names are user input: the invitation's HTML part escapes them (the text part shows them as
/// typed).
#[tokio::test]
async fn the_invitation_mail_escapes_names_in_html() {
    let app = TestApp::start().await;
    let (owner, _) = app.user("owner@example.com").await;
    owner.patch("/api/v1/me", json!({"name": "<img src=x onerror=alert(1)>"})).await.expect(StatusCode::OK);
    app.organization(&owner, "<b>Evil</b> & Co", "evil-co").await;
    owner
        .post(INVITATIONS, json!({"email": "bob@example.com", "role": "viewer"}))
        .await
        .expect(StatusCode::CREATED);
    let mail = app.mail_to("bob@example.com", 0).await;
    let html = mail.html_body().expect("an HTML part");
    assert!(!html.contains("<img") && !html.contains("<b>Evil"), "{html}");
    assert!(html.contains("&lt;b&gt;Evil&lt;/b&gt;"), "{html}");
    assert!(mail.text_body().unwrap().contains("<b>Evil</b> & Co"));
}

#[tokio::test]
async fn only_the_invited_address_can_accept() {
    let app = TestApp::start().await;
    let (owner, _) = app.user("owner@example.com").await;
    app.organization(&owner, "Coaching Ana", "coaching-ana").await;
    owner
        .post(INVITATIONS, json!({"email": "bob@example.com", "role": "admin"}))
        .await
        .expect(StatusCode::CREATED);
    let token = invitation_token(&app.mail_to("bob@example.com", 0).await);

    let (carol, _) = app.user("carol@example.com").await;
    carol.post_empty(&accept(&token)).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(carol.get("/api/v1/organizations").await.json(), json!({"items": []}));
    carol.get(MEMBERS).await.expect_error(StatusCode::CONFLICT, "no_active_organization");

    app.client().post_empty(&accept(&token)).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");

    // Carol's attempt did not use the link up.
    let (bob, _) = app.user("bob@example.com").await;
    bob.post_empty(&accept(&token)).await.expect(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn made_up_and_expired_invitations_are_404() {
    let app = TestApp::start().await;
    let (owner, _) = app.user("owner@example.com").await;
    app.organization(&owner, "Coaching Ana", "coaching-ana").await;
    owner
        .post(INVITATIONS, json!({"email": "bob@example.com", "role": "viewer"}))
        .await
        .expect(StatusCode::CREATED);
    let token = invitation_token(&app.mail_to("bob@example.com", 0).await);
    let (bob, _) = app.user("bob@example.com").await;

    for made_up in ["DxmezR5Fy7euCvp1WXzMXUgTvKR33UxWituBaSB3aSo", "x"] {
        bob.post_empty(&accept(made_up)).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    }
    app.clock.advance(TimeDelta::days(7) + TimeDelta::seconds(1));
    bob.post_empty(&accept(&token)).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(bob.get("/api/v1/organizations").await.json(), json!({"items": []}));
    assert_eq!(owner.get(INVITATIONS).await.json(), json!({"items": []}), "expired invitations are not open");
}

#[tokio::test]
async fn inviting_needs_members_invite() {
    for role in ["editor", "viewer"] {
        let t = team(role).await;
        let reply = t.other.post(INVITATIONS, json!({"email": "carol@example.com", "role": "viewer"})).await;
        reply.expect_error(StatusCode::FORBIDDEN, "forbidden");
        t.app.assert_mail_count(1).await; // only Bob's own invitation
    }
}

#[tokio::test]
async fn invitations_are_validated() {
    let t = team("editor").await;
    let cases = [
        (json!({"email": "not-an-email", "role": "viewer"}), "email"),
        (json!({"email": "", "role": "viewer"}), "email"),
        (json!({"email": "carol@example.com", "role": "superuser"}), "role"),
        (json!({"email": "carol@example.com", "role": "Owner"}), "role"),
        (json!({"email": "carol@example.com"}), "role"),
        (json!({"email": "carol@example.com", "role": "viewer", "organizationId": t.org}), "organizationId"),
    ];
    for (body, field) in cases {
        let reply = t.owner.post(INVITATIONS, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.text());
        assert!(
            reply.json()["error"]["fields"][field].is_string(),
            "{body} should name {field}: {}",
            reply.text()
        );
    }
    // An existing member (in any case) cannot be invited again.
    let again = t.owner.post(INVITATIONS, json!({"email": "BOB@example.com", "role": "viewer"})).await;
    again.expect_conflict("already_member");
    t.app.assert_mail_count(1).await;
}

#[tokio::test]
async fn an_admin_cannot_invite_an_owner() {
    let t = team("admin").await;
    let reply = t.other.post(INVITATIONS, json!({"email": "carol@example.com", "role": "owner"})).await;
    reply.expect_error(StatusCode::FORBIDDEN, "forbidden");
    t.other
        .post(INVITATIONS, json!({"email": "carol@example.com", "role": "admin"}))
        .await
        .expect(StatusCode::CREATED);
}

#[tokio::test]
async fn changing_a_role_takes_effect_on_the_next_request() {
    let t = team("editor").await;
    let reply =
        t.owner.patch(&member(&t.other_id), json!({"role": "viewer"})).await.expect(StatusCode::OK).json();
    let joined = reply["joinedAt"].as_str().expect("joinedAt").to_owned();
    assert_eq!(
        reply,
        json!({"userId": t.other_id, "email": "bob@example.com", "name": "bob", "role": "viewer", "joinedAt": joined})
    );
    assert_eq!(t.other.session().await.json()["permissions"], json!(["links:read"]));

    t.owner.patch(&member(&t.other_id), json!({"role": "admin"})).await.expect(StatusCode::OK);
    let permissions = t.other.session().await.json()["permissions"].clone();
    assert!(permissions.as_array().unwrap().contains(&json!("members:*")), "{permissions}");
    assert!(
        !permissions.as_array().unwrap().iter().any(|p| p.as_str().unwrap().starts_with("billing")),
        "{permissions}"
    );
    assert_eq!(roles(&t.other).await.len(), 2, "an admin reads members");
}

#[tokio::test]
async fn changing_a_role_needs_members_manage_and_a_known_member_and_role() {
    let t = team("editor").await;
    let reply = t.other.patch(&member(&t.owner_id), json!({"role": "viewer"})).await;
    reply.expect_error(StatusCode::FORBIDDEN, "forbidden");
    t.other
        .patch(&member(&t.other_id), json!({"role": "admin"}))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");

    let stranger = uuid::Uuid::now_v7().to_string();
    t.owner
        .patch(&member(&stranger), json!({"role": "viewer"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    t.owner
        .patch(&member("not-a-uuid"), json!({"role": "viewer"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    t.owner.patch(&member(&t.other_id), json!({"role": "boss"})).await.expect_invalid("role");
    t.owner.patch(&member(&t.other_id), json!({})).await.expect_invalid("role");
    t.owner.patch(&member(&t.other_id), json!({"role": "viewer", "x": 1})).await.expect_invalid("x");
    assert_eq!(
        roles(&t.owner).await,
        sorted(vec![(t.owner_id, "owner".into()), (t.other_id, "editor".into())])
    );
}

#[tokio::test]
async fn the_last_owner_cannot_be_demoted_or_removed() {
    let t = team("admin").await;
    t.owner
        .patch(&member(&t.owner_id), json!({"role": "admin"}))
        .await
        .expect_conflict("last_owner_role_change");
    t.owner.delete(&member(&t.owner_id)).await.expect_conflict("last_owner_removal");
    assert_eq!(t.owner.session().await.json()["permissions"], json!(["*"]));

    // With a second owner, the first may step down.
    t.owner.patch(&member(&t.other_id), json!({"role": "owner"})).await.expect(StatusCode::OK);
    t.owner.patch(&member(&t.owner_id), json!({"role": "admin"})).await.expect(StatusCode::OK);
    // Now Bob is the last owner.
    t.other
        .patch(&member(&t.other_id), json!({"role": "viewer"}))
        .await
        .expect_conflict("last_owner_role_change");
    t.other.delete(&member(&t.other_id)).await.expect_conflict("last_owner_removal");
    assert_eq!(
        roles(&t.other).await,
        sorted(vec![(t.owner_id, "admin".into()), (t.other_id, "owner".into())])
    );
}

/// Two owners stepping down at the same moment: one of them must stay owner.
#[tokio::test]
async fn two_owners_stepping_down_at_once_leave_one_owner() {
    let t = team("owner").await;
    let (mine, theirs) = (member(&t.owner_id), member(&t.other_id));
    let (first, second) = tokio::join!(
        t.owner.patch(&mine, json!({"role": "admin"})),
        t.other.patch(&theirs, json!({"role": "admin"})),
    );
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{} / {}", first.text(), second.text());
    let owners = roles(&t.owner).await.into_iter().filter(|(_, role)| role == "owner").count();
    assert_eq!(owners, 1);
}

#[tokio::test]
async fn an_admin_cannot_make_or_unmake_owners() {
    let t = team("admin").await;
    // Promote themselves, demote or remove the owner: all beyond an admin's own grants.
    t.other
        .patch(&member(&t.other_id), json!({"role": "owner"}))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    t.other
        .patch(&member(&t.owner_id), json!({"role": "viewer"}))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    t.other.delete(&member(&t.owner_id)).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(
        roles(&t.owner).await,
        sorted(vec![(t.owner_id, "owner".into()), (t.other_id, "admin".into())])
    );
}

#[tokio::test]
async fn removing_a_member_ends_their_access() {
    let t = team("editor").await;
    assert_eq!(t.other.session().await.json()["organization"]["id"], t.org.as_str());

    let reply = t.owner.delete(&member(&t.other_id)).await.expect(StatusCode::NO_CONTENT);
    assert!(reply.body.is_empty());

    assert_eq!(roles(&t.owner).await, [(t.owner_id.clone(), "owner".to_owned())]);
    assert_eq!(t.other.get("/api/v1/organizations").await.json(), json!({"items": []}));
    let session = t.other.session().await.expect(StatusCode::OK).json();
    assert_eq!((session["organization"].clone(), session["permissions"].clone()), (Value::Null, json!([])));
    t.other
        .get("/api/v1/organizations/current/roles")
        .await
        .expect_error(StatusCode::CONFLICT, "no_active_organization");
    let activate = json!({"organizationId": t.org});
    t.other
        .post("/api/v1/organizations/active", activate)
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");

    // Removing them again: they are no longer a member.
    t.owner.delete(&member(&t.other_id)).await.expect_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn removing_needs_members_manage_but_anyone_may_leave() {
    let app = TestApp::start().await;
    let (owner, owner_id) = app.user("owner@example.com").await;
    app.organization(&owner, "Coaching Ana", "coaching-ana").await;
    let (bob, bob_id) = app.user("bob@example.com").await;
    let (carol, carol_id) = app.user("carol@example.com").await;
    app.join(&owner, &bob, "bob@example.com", "editor").await;
    app.join(&owner, &carol, "carol@example.com", "viewer").await;

    bob.delete(&member(&carol_id)).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    bob.delete(&member(&owner_id)).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    owner.delete(&member("not-a-uuid")).await.expect_error(StatusCode::NOT_FOUND, "not_found");

    bob.delete(&member(&bob_id)).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(roles(&owner).await, sorted(vec![(owner_id, "owner".into()), (carol_id, "viewer".into())]));
}

/// Inviting creates something, so it honours `Idempotency-Key`: a retried invitation is one
/// invitation and one mail.
#[tokio::test]
async fn a_retried_invitation_with_the_same_key_invites_once() {
    let app = TestApp::start().await;
    let (owner, _) = app.user("owner@example.com").await;
    app.organization(&owner, "Coaching Ana", "coaching-ana").await;
    let call = || {
        common::app::Call::post(INVITATIONS)
            .header("idempotency-key", "invite-bob")
            .json(&json!({"email": "bob@example.com", "role": "viewer"}))
    };
    let first = owner.send(call()).await.expect(StatusCode::CREATED);
    let again = owner.send(call()).await.expect(StatusCode::CREATED);
    assert_eq!(again.json(), first.json());
    assert_eq!(owner.get(INVITATIONS).await.json()["items"].as_array().unwrap().len(), 1);
    app.mail_to("bob@example.com", 0).await;
    app.assert_mail_count(1).await;
}

#[tokio::test]
async fn member_endpoints_need_a_session() {
    let app = TestApp::start().await;
    let client = app.client();
    let id = uuid::Uuid::now_v7().to_string();
    client.get(MEMBERS).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    client.get(INVITATIONS).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let invite = json!({"email": "a@example.com", "role": "viewer"});
    client.post(INVITATIONS, invite).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    client
        .patch(&member(&id), json!({"role": "viewer"}))
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    client.delete(&member(&id)).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}
