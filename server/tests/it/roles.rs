//! Roles of the active organization (docs/http-api.md, "Organizations": `GET/POST
//! …/current/roles`, `PATCH/DELETE …/roles/{id}`): the built-in roles, custom roles with
//! inheritance as the session's `permissions` show them, the rules a role must keep, and no
//! privilege escalation through roles.

use crate::common;

use axum::http::StatusCode;
use common::app::{Client, TestApp};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const ROLES: &str = "/api/v1/organizations/current/roles";

fn role(id: &str) -> String {
    format!("{ROLES}/{id}")
}

fn member(id: &str) -> String {
    format!("/api/v1/organizations/current/members/{id}")
}

/// An owner with an organization and a second member with `role`. (Custom roles are listed after
/// the built-in ones, by name.)
struct Team {
    app: TestApp,
    owner: Client,
    other: Client,
    other_id: String,
}

async fn team(role: &str) -> Team {
    let app = TestApp::start().await;
    let (owner, _) = app.user("owner@example.com").await;
    app.organization(&owner, "Coaching Ana", "coaching-ana").await;
    let (other, other_id) = app.user("bob@example.com").await;
    app.join(&owner, &other, "bob@example.com", role).await;
    Team { app, owner, other, other_id }
}

async fn create_role(client: &Client, body: Value) -> Value {
    client.post(ROLES, body).await.expect(StatusCode::CREATED).json()
}

fn names(list: &Value) -> Vec<String> {
    list["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect()
}

async fn permissions(client: &Client) -> Value {
    client.session().await.expect(StatusCode::OK).json()["permissions"].clone()
}

#[tokio::test]
async fn the_built_in_roles_are_listed_as_the_contract_defines_them() {
    let t = team("admin").await;
    let list = t.owner.get(ROLES).await.expect(StatusCode::OK).json();
    let items = list["items"].as_array().unwrap();
    assert_eq!(names(&list), ["owner", "admin", "editor", "viewer"]);
    let by_name = |name: &str| items.iter().find(|r| r["name"] == name).unwrap().clone();
    assert_eq!(
        by_name("owner"),
        json!({"id": null, "name": "owner", "permissions": ["*"], "inherits": [], "builtin": true})
    );
    assert_eq!(by_name("editor")["permissions"], json!(["links:read", "links:write", "links:leads:read"]));
    assert_eq!(by_name("viewer")["permissions"], json!(["links:read"]));
    let admin: Vec<String> =
        serde_json::from_value(by_name("admin")["permissions"].clone()).expect("a list of permissions");
    assert!(admin.iter().all(|p| !p.starts_with("billing") && p != "org:delete" && p != "*"), "{admin:?}");
    for expected in ["members:*", "roles:*", "links:*", "org:update"] {
        assert!(admin.contains(&expected.to_owned()), "admin lacks {expected}: {admin:?}");
    }
    // Admins read roles too.
    assert_eq!(t.other.get(ROLES).await.expect(StatusCode::OK).json(), list);
}

#[tokio::test]
async fn roles_need_roles_read_and_roles_manage() {
    let t = team("editor").await;
    t.other.get(ROLES).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    let body = json!({"name": "analyst", "permissions": ["links:read"]});
    t.other.post(ROLES, body).await.expect_error(StatusCode::FORBIDDEN, "forbidden");

    let analyst = create_role(&t.owner, json!({"name": "analyst", "permissions": ["links:read"]})).await;
    let id = analyst["id"].as_str().unwrap();
    t.other
        .patch(&role(id), json!({"permissions": ["links:*"]}))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    t.other.delete(&role(id)).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(names(&t.owner.get(ROLES).await.json()).last().map(String::as_str), Some("analyst"));

    let anonymous = t.app.client();
    anonymous.get(ROLES).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    anonymous.delete(&role(id)).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn a_custom_role_inheriting_editor_grants_both_through_the_session() {
    let t = team("viewer").await;
    let body = json!({"name": "analyst", "permissions": ["analytics:read"], "inherits": ["editor"]});
    let created = create_role(&t.owner, body).await;
    let id = created["id"].as_str().expect("custom roles have an id").to_owned();
    uuid::Uuid::parse_str(&id).expect("a UUID");
    assert_eq!(
        created,
        json!({"id": id, "name": "analyst", "permissions": ["analytics:read"], "inherits": ["editor"], "builtin": false})
    );
    let list = t.owner.get(ROLES).await.json();
    assert_eq!(names(&list), ["owner", "admin", "editor", "viewer", "analyst"]);
    assert_eq!(list["items"][4], created);

    t.owner.patch(&member(&t.other_id), json!({"role": "analyst"})).await.expect(StatusCode::OK);
    assert_eq!(
        permissions(&t.other).await,
        json!(["analytics:read", "links:leads:read", "links:read", "links:write"])
    );

    // Editing the role changes the member's grants on their next request.
    let updated =
        t.owner.patch(&role(&id), json!({"permissions": ["analytics:read", "links:leads:export"]})).await;
    let updated = updated.expect(StatusCode::OK).json();
    assert_eq!(updated["permissions"], json!(["analytics:read", "links:leads:export"]));
    assert_eq!(updated["inherits"], json!(["editor"]), "fields left out keep their value");
    assert_eq!(
        permissions(&t.other).await,
        json!(["analytics:read", "links:leads:export", "links:leads:read", "links:read", "links:write"])
    );

    // A role inheriting a custom role gets its grants transitively.
    create_role(
        &t.owner,
        json!({"name": "lead-analyst", "permissions": ["audit:read"], "inherits": ["analyst"]}),
    )
    .await;
    t.owner.patch(&member(&t.other_id), json!({"role": "lead-analyst"})).await.expect(StatusCode::OK);
    assert_eq!(
        permissions(&t.other).await,
        json!([
            "analytics:read",
            "audit:read",
            "links:leads:export",
            "links:leads:read",
            "links:read",
            "links:write"
        ])
    );
}

#[tokio::test]
async fn a_role_name_is_unique_in_the_organization() {
    let t = team("viewer").await;
    create_role(&t.owner, json!({"name": "analyst", "permissions": ["analytics:read"]})).await;
    let again = t.owner.post(ROLES, json!({"name": "analyst", "permissions": ["links:read"]})).await;
    again.expect_conflict("role_name_taken");
    let other = create_role(&t.owner, json!({"name": "helper", "permissions": ["links:read"]})).await;
    let rename = t.owner.patch(&role(other["id"].as_str().unwrap()), json!({"name": "analyst"})).await;
    rename.expect_conflict("role_name_taken");
    assert_eq!(
        names(&t.owner.get(ROLES).await.json()),
        ["owner", "admin", "editor", "viewer", "analyst", "helper"]
    );
}

#[tokio::test]
async fn role_bodies_are_validated_field_by_field() {
    let t = team("viewer").await;
    create_role(&t.owner, json!({"name": "base", "permissions": ["links:read"]})).await;
    let cases = [
        (json!({"name": "admin", "permissions": ["links:read"]}), "name"),
        (json!({"name": "Analyst", "permissions": ["links:read"]}), "name"),
        (json!({"name": "a", "permissions": ["links:read"]}), "name"),
        (json!({"name": "<b>x</b>", "permissions": ["links:read"]}), "name"),
        (json!({"permissions": ["links:read"]}), "name"),
        (json!({"name": "analyst"}), "permissions"),
        (json!({"name": "analyst", "permissions": ["lnks:read"]}), "permissions"),
        (json!({"name": "analyst", "permissions": ["links:read", "LINKS:read"]}), "permissions[1]"),
        (json!({"name": "analyst", "permissions": ["*:read"]}), "permissions[0]"),
        (json!({"name": "analyst", "permissions": ["links:read"], "inherits": ["ghost"]}), "inherits"),
        (
            json!({"name": "analyst", "permissions": ["links:read"], "inherits": ["Not A Role"]}),
            "inherits[0]",
        ),
        (json!({"name": "analyst", "permissions": "links:read"}), "permissions"),
        (json!({"name": "analyst", "permissions": ["links:read"], "builtin": true}), "builtin"),
    ];
    for (body, field) in cases {
        let reply = t.owner.post(ROLES, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "validation", "{body}");
        assert!(
            reply.json()["error"]["fields"][field].is_string(),
            "{body} should name {field}: {}",
            reply.text()
        );
    }
    assert_eq!(names(&t.owner.get(ROLES).await.json()), ["owner", "admin", "editor", "viewer", "base"]);
}

#[tokio::test]
async fn inheritance_cannot_loop() {
    let t = team("viewer").await;
    let a = create_role(&t.owner, json!({"name": "role-a", "permissions": ["links:read"]})).await;
    create_role(&t.owner, json!({"name": "role-b", "permissions": ["audit:read"], "inherits": ["role-a"]}))
        .await;
    let a_id = a["id"].as_str().unwrap();
    t.owner.patch(&role(a_id), json!({"inherits": ["role-b"]})).await.expect_invalid("inherits");
    t.owner.patch(&role(a_id), json!({"inherits": ["role-a"]})).await.expect_invalid("inherits");
    assert_eq!(t.owner.get(ROLES).await.json()["items"][4]["inherits"], json!([]));
}

#[tokio::test]
async fn deleting_a_role() {
    let t = team("viewer").await;
    let unused = create_role(&t.owner, json!({"name": "unused", "permissions": ["links:read"]})).await;
    let held = create_role(&t.owner, json!({"name": "held", "permissions": ["links:read"]})).await;
    let parent = create_role(&t.owner, json!({"name": "parent", "permissions": ["links:read"]})).await;
    create_role(&t.owner, json!({"name": "child", "permissions": ["audit:read"], "inherits": ["parent"]}))
        .await;
    t.owner.patch(&member(&t.other_id), json!({"role": "held"})).await.expect(StatusCode::OK);

    let reply = t.owner.delete(&role(unused["id"].as_str().unwrap())).await.expect(StatusCode::NO_CONTENT);
    assert!(reply.body.is_empty());
    t.owner.delete(&role(held["id"].as_str().unwrap())).await.expect_conflict("role_held");
    t.owner.delete(&role(parent["id"].as_str().unwrap())).await.expect_conflict("role_inherited");
    assert_eq!(
        names(&t.owner.get(ROLES).await.json()),
        ["owner", "admin", "editor", "viewer", "child", "held", "parent"]
    );
    assert_eq!(permissions(&t.other).await, json!(["links:read"]), "the member keeps their role");

    // Unknown ids, a deleted role, and built-in roles (which have no id) are not found.
    for id in
        [uuid::Uuid::now_v7().to_string(), unused["id"].as_str().unwrap().to_owned(), "owner".to_owned()]
    {
        t.owner.delete(&role(&id)).await.expect_error(StatusCode::NOT_FOUND, "not_found");
        let patch = t.owner.patch(&role(&id), json!({"permissions": ["links:read"]})).await;
        patch.expect_error(StatusCode::NOT_FOUND, "not_found");
    }
}

/// An admin may not change a member whose role grants more than they hold (they cannot demote an
/// owner); editing the role that member holds must not be a way around that rule.
#[tokio::test]
async fn an_admin_cannot_cut_down_a_role_that_grants_more_than_they_hold() {
    let t = team("admin").await;
    create_role(&t.owner, json!({"name": "co-owner", "permissions": ["*"]})).await;
    let co_owner = t.owner.get(ROLES).await.json()["items"][4].clone();
    assert_eq!(co_owner["name"], "co-owner");
    let (dave, _) = t.app.user("dave@example.com").await;
    t.app.join(&t.owner, &dave, "dave@example.com", "co-owner").await;
    assert_eq!(permissions(&dave).await, json!(["*"]));

    let cut =
        t.other.patch(&role(co_owner["id"].as_str().unwrap()), json!({"permissions": ["links:read"]})).await;
    assert_eq!(cut.status, StatusCode::FORBIDDEN, "{}", cut.text());
    assert_eq!(permissions(&dave).await, json!(["*"]));
}

/// The escalation guard is the same for every operation: an admin can neither delete nor
/// hand out a role above their own, even one that nobody holds, and a refusal changes nothing.
#[tokio::test]
async fn an_admin_cannot_delete_or_assign_an_unused_role_above_their_own() {
    let t = team("admin").await;
    let star = create_role(&t.owner, json!({"name": "co-owner", "permissions": ["*"]})).await;
    let star_id = star["id"].as_str().unwrap();
    let low = create_role(&t.owner, json!({"name": "helper", "permissions": ["links:read"]})).await;
    let before = t.owner.get(ROLES).await.json();
    let admin_grants = permissions(&t.other).await;

    let delete = t.other.delete(&role(star_id)).await;
    assert_eq!(delete.status, StatusCode::FORBIDDEN, "{}", delete.text());
    assert_eq!(delete.json()["error"]["code"], "forbidden");
    let invite = t
        .other
        .post(
            "/api/v1/organizations/current/invitations",
            json!({"email": "eve@example.com", "role": "co-owner"}),
        )
        .await;
    assert_eq!(invite.status, StatusCode::FORBIDDEN, "{}", invite.text());
    let assign = t.other.patch(&member(&t.other_id), json!({"role": "co-owner"})).await;
    assert_eq!(assign.status, StatusCode::FORBIDDEN, "{}", assign.text());
    assert_eq!(t.owner.get(ROLES).await.json(), before, "nothing changed");
    assert_eq!(permissions(&t.other).await, admin_grants, "the admin is still an admin");

    // Below their own, the same admin may.
    t.other.delete(&role(low["id"].as_str().unwrap())).await.expect(StatusCode::NO_CONTENT);
    t.owner.delete(&role(star_id)).await.expect(StatusCode::NO_CONTENT);
}

/// Invites Carol as the custom role `helper`, then has the owner send `change` to that role
/// (a rename or a delete), then has Carol accept. Whatever the organization answered, Carol must
/// not end up holding a role the organization does not have: it would grant nothing today and,
/// silently, whatever a later role of that name grants. (Answering `409` to the change, as for a
/// role members hold, is the natural fix; revoking the invitation would do too.)
async fn invitee_after_the_role_changes(change: impl FnOnce(&str) -> common::app::Call) {
    let t = team("viewer").await;
    let helper = create_role(&t.owner, json!({"name": "helper", "permissions": ["links:read"]})).await;
    t.owner
        .post(
            "/api/v1/organizations/current/invitations",
            json!({"email": "carol@example.com", "role": "helper"}),
        )
        .await
        .expect(StatusCode::CREATED);
    let changed = t.owner.send(change(&role(helper["id"].as_str().unwrap()))).await;

    let token = common::app::invitation_token(&t.app.mail_to("carol@example.com", 0).await);
    let (carol, carol_id) = t.app.user("carol@example.com").await;
    let accepted = carol.post_empty(&format!("/api/v1/invitations/{token}/accept")).await;
    if accepted.status != StatusCode::NO_CONTENT {
        return; // the invitation went with the role: fine
    }
    let members = t.owner.get("/api/v1/organizations/current/members").await.json();
    let carol =
        members["items"].as_array().unwrap().iter().find(|m| m["userId"] == carol_id.as_str()).cloned();
    let carol_role = carol.expect("Carol joined")["role"].as_str().unwrap().to_owned();
    let roles = names(&t.owner.get(ROLES).await.json());
    assert!(
        roles.contains(&carol_role),
        "the change answered {} {}; Carol then joined as `{carol_role}`, which is not a role of the \
         organization ({roles:?})",
        changed.status,
        changed.text()
    );
}

#[tokio::test]
async fn deleting_a_role_an_open_invitation_names_leaves_no_member_without_a_role() {
    invitee_after_the_role_changes(common::app::Call::delete).await;
}

#[tokio::test]
async fn renaming_a_role_an_open_invitation_names_leaves_no_member_without_a_role() {
    invitee_after_the_role_changes(|path| common::app::Call::patch(path).json(&json!({"name": "assistant"})))
        .await;
}

/// An admin manages roles, but no role they save, assign or invite with may grant more than
/// they hold: no billing, no `*`, no `owner` — directly or through inheritance.
#[tokio::test]
async fn an_admin_cannot_grant_more_than_they_hold() {
    let t = team("admin").await;
    let refused = [
        json!({"name": "payer", "permissions": ["billing:manage"]}),
        json!({"name": "payer", "permissions": ["billing:*"]}),
        json!({"name": "payer", "permissions": ["*"]}),
        json!({"name": "payer", "permissions": ["org:delete"]}),
        json!({"name": "payer", "permissions": ["org:*"]}),
        json!({"name": "payer", "permissions": ["links:read"], "inherits": ["owner"]}),
    ];
    for body in refused {
        let reply = t.other.post(ROLES, body.clone()).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{body}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "forbidden");
    }
    assert_eq!(names(&t.owner.get(ROLES).await.json()).len(), 4, "nothing was created");

    // Within their own grants, an admin may create and edit roles…
    let helper =
        create_role(&t.other, json!({"name": "helper", "permissions": ["links:*", "members:read"]})).await;
    let helper_id = helper["id"].as_str().unwrap().to_owned();
    // …but not widen one beyond them, nor inherit from a role that holds more.
    let widen = t.other.patch(&role(&helper_id), json!({"permissions": ["links:*", "billing:read"]})).await;
    widen.expect_error(StatusCode::FORBIDDEN, "forbidden");
    let payer = create_role(&t.owner, json!({"name": "payer", "permissions": ["billing:manage"]})).await;
    let through = t.other.patch(&role(&helper_id), json!({"inherits": ["payer"]})).await;
    through.expect_error(StatusCode::FORBIDDEN, "forbidden");
    // Nor edit or assign a role that already holds more.
    let edit_payer =
        t.other.patch(&role(payer["id"].as_str().unwrap()), json!({"permissions": ["billing:read"]})).await;
    edit_payer.expect_error(StatusCode::FORBIDDEN, "forbidden");
    let (carol, carol_id) = t.app.user("carol@example.com").await;
    t.app.join(&t.owner, &carol, "carol@example.com", "viewer").await;
    t.other
        .patch(&member(&carol_id), json!({"role": "payer"}))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    t.other
        .patch(&member(&carol_id), json!({"role": "owner"}))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    t.other.patch(&member(&carol_id), json!({"role": "helper"})).await.expect(StatusCode::OK);

    let own = permissions(&t.other).await;
    assert!(
        own.as_array().unwrap().iter().all(|p| p != "*" && !p.as_str().unwrap().starts_with("billing")),
        "{own}"
    );
}

/// Role definition changes are audited: each records an event, in the same transaction, naming
/// the role, its organization and who did it.
#[tokio::test]
async fn role_changes_are_recorded_as_events() {
    let app = TestApp::start().await;
    let (owner, owner_id) = app.user("owner@example.com").await;
    let org = app.organization(&owner, "Coaching Ana", "coaching-ana").await;
    let created = create_role(&owner, json!({"name": "analyst", "permissions": ["links:read"]})).await;
    let id = created["id"].as_str().unwrap();
    owner
        .patch(&role(id), json!({"permissions": ["links:read", "links:leads:read"]}))
        .await
        .expect(StatusCode::OK);
    owner.post(ROLES, json!({"name": "analyst", "permissions": []})).await.expect(StatusCode::CONFLICT);
    owner.delete(&role(id)).await.expect(StatusCode::NO_CONTENT);

    let events = |kind: &str| {
        format!(
            "SELECT count(*) AS n FROM kernel.outbox WHERE event_type = '{kind}' AND producer = 'tenancy' \
             AND payload->>'roleId' = '{id}' AND payload->>'organizationId' = '{org}' \
             AND payload->>'actorId' = '{owner_id}'"
        )
    };
    assert_eq!(app.count(&(events("role.created") + " AND payload->'role'->>'name' = 'analyst'")).await, 1);
    let updated = " AND payload->'before'->'permissions' = '[\"links:read\"]' \
                   AND payload->'after'->'permissions' = '[\"links:read\", \"links:leads:read\"]'";
    assert_eq!(app.count(&(events("role.updated") + updated)).await, 1);
    assert_eq!(app.count(&events("role.deleted")).await, 1);
    assert_eq!(app.count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type LIKE 'role.%'").await, 3);
}
