//! Custom roles: what they grant (inheritance included), how they are validated, when they may be
//! deleted or renamed, and the escalation guard over them.

use chrono::TimeDelta;
use contracts::ConflictReason;
use contracts::permissions::Permission;
use kernel::Actor;
use pretty_assertions::assert_eq;
use tenancy::TenancyCtx;
use tenancy::application::roles::{RoleChanges, RoleEntry, delete_role, list_roles, save_role};
use tenancy::domain::roles::RoleId;

use crate::{
    World, assert_beyond_own, assert_conflict, assert_forbidden, assert_not_found, invalid_fields, names,
};

fn role(name: &str, permissions: &[&str], inherits: &[&str]) -> RoleChanges {
    let strings = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
    RoleChanges {
        name: Some(name.to_owned()),
        permissions: Some(strings(permissions)),
        inherits: Some(strings(inherits)),
    }
}

async fn create(ctx: &TenancyCtx, actor: &Actor, changes: RoleChanges) -> RoleEntry {
    save_role(ctx, actor, None, changes).await.expect("the role is saved")
}

fn id(entry: &RoleEntry) -> RoleId {
    entry.id.expect("a custom role has an id")
}

#[tokio::test]
async fn a_custom_role_grants_its_permissions_and_everything_it_inherits() {
    let w = World::new().await;
    let (org, owner) = w.found(&w.person("ana@example.com"), "coaching-ana").await;
    let analyst = create(&w.ctx, &owner, role("analyst", &["analytics:read"], &["viewer"])).await;
    let listed: Vec<_> =
        list_roles(&w.ctx, &owner).await.unwrap().into_iter().map(|r| (r.name, r.builtin)).collect();
    let expected = [("owner", true), ("admin", true), ("editor", true), ("viewer", true), ("analyst", false)];
    assert_eq!(listed, expected.map(|(n, b)| (n.to_owned(), b)));

    let bea = w.person("bea@example.com");
    let joined = w.join(&owner, &org, &bea, "analyst").await;
    let allows = |actor: &Actor, p: Permission| actor.grants.allows(&p);
    assert!(allows(&joined, Permission::ANALYTICS_READ));
    assert!(allows(&joined, Permission::LINKS_READ), "inherited from viewer");
    assert!(!allows(&joined, Permission::LINKS_WRITE));
    assert!(!allows(&joined, Permission::MEMBERS_READ));

    // A role built on a custom role holds what that role holds, and follows its edits.
    let carl = w.person("carl@example.com");
    create(&w.ctx, &owner, role("lead", &["members:read"], &["analyst"])).await;
    let lead = w.join(&owner, &org, &carl, "lead").await;
    assert!(allows(&lead, Permission::MEMBERS_READ) && allows(&lead, Permission::ANALYTICS_READ));
    assert!(!allows(&lead, Permission::LINKS_WRITE));
    let widened = RoleChanges {
        permissions: Some(vec!["analytics:read".into(), "links:*".into()]),
        ..RoleChanges::default()
    };
    save_role(&w.ctx, &owner, Some(id(&analyst)), widened).await.unwrap();
    for who in [&bea, &carl] {
        let now = w.actor(who, &org).await;
        assert!(allows(&now, Permission::LINKS_WRITE) && allows(&now, Permission::LINKS_LEADS_EXPORT));
        assert!(!allows(&now, Permission::BILLING_READ));
    }
    let updated = w.events("role.updated").await;
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0]["before"]["permissions"], serde_json::json!(["analytics:read"]));
    assert_eq!(updated[0]["after"]["permissions"], serde_json::json!(["analytics:read", "links:*"]));
}

#[tokio::test]
async fn a_custom_role_must_be_well_named_grant_known_permissions_and_inherit_without_a_cycle() {
    let w = World::new().await;
    let (_, owner) = w.found(&w.person("ana@example.com"), "coaching-ana").await;
    let save = async |changes| save_role(&w.ctx, &owner, None, changes).await;

    assert_eq!(invalid_fields(save(role("owner", &["links:read"], &[])).await), names(&["name"]));
    assert_eq!(invalid_fields(save(role("Head Coach", &["links:read"], &[])).await), names(&["name"]));
    assert_eq!(invalid_fields(save(role("coach", &["lnks:read"], &[])).await), names(&["permissions"]));
    assert_eq!(invalid_fields(save(role("coach", &["links:READ"], &[])).await), names(&["permissions[0]"]));
    assert_eq!(invalid_fields(save(role("coach", &["links:read"], &["ghost"])).await), names(&["inherits"]));
    let nameless = RoleChanges { name: Some("coach".into()), ..RoleChanges::default() };
    assert_eq!(invalid_fields(save(nameless).await), names(&["permissions"]));

    let a = create(&w.ctx, &owner, role("coach-a", &["links:read"], &[])).await;
    create(&w.ctx, &owner, role("coach-b", &["links:write"], &["coach-a"])).await;
    let circle = RoleChanges { inherits: Some(vec!["coach-b".into()]), ..RoleChanges::default() };
    assert_eq!(invalid_fields(save_role(&w.ctx, &owner, Some(id(&a)), circle).await), names(&["inherits"]));
    assert_conflict(save(role("coach-a", &["links:read"], &[])).await, ConflictReason::RoleNameTaken);
    assert_not_found(save_role(&w.ctx, &owner, Some(RoleId::new()), RoleChanges::default()).await);

    assert_eq!(w.count("SELECT count(*) AS n FROM tenancy.roles").await, 2);
    assert_eq!(w.events("role.created").await.len(), 2);
    assert!(w.events("role.updated").await.is_empty());
}

#[tokio::test]
async fn a_role_that_is_held_invited_with_or_inherited_cannot_be_deleted_or_renamed() {
    let w = World::new().await;
    let (org, owner) = w.found(&w.person("ana@example.com"), "coaching-ana").await;
    let rename = |to: &str| RoleChanges { name: Some(to.to_owned()), ..RoleChanges::default() };

    let held = create(&w.ctx, &owner, role("coach", &["links:read"], &[])).await;
    w.join(&owner, &org, &w.person("bea@example.com"), "coach").await;
    assert_conflict(delete_role(&w.ctx, &owner, id(&held)).await, ConflictReason::RoleHeld);
    assert_conflict(
        save_role(&w.ctx, &owner, Some(id(&held)), rename("mentor")).await,
        ConflictReason::RoleInUseRename,
    );

    let invited = create(&w.ctx, &owner, role("trainee", &["links:read"], &[])).await;
    w.invite(&owner, &org, "carl@example.com", "trainee").await.unwrap();
    assert_conflict(delete_role(&w.ctx, &owner, id(&invited)).await, ConflictReason::RoleHeld);

    let base = create(&w.ctx, &owner, role("base", &["links:read"], &[])).await;
    let child = create(&w.ctx, &owner, role("child", &["links:write"], &["base"])).await;
    assert_conflict(delete_role(&w.ctx, &owner, id(&base)).await, ConflictReason::RoleInherited);
    assert_conflict(
        save_role(&w.ctx, &owner, Some(id(&base)), rename("root")).await,
        ConflictReason::RoleInUseRename,
    );
    assert_eq!(w.count("SELECT count(*) AS n FROM tenancy.roles").await, 4);

    // Free again: the child is gone, the invitation expired.
    delete_role(&w.ctx, &owner, id(&child)).await.unwrap();
    save_role(&w.ctx, &owner, Some(id(&base)), rename("root")).await.unwrap();
    delete_role(&w.ctx, &owner, id(&base)).await.unwrap();
    w.clock.advance(TimeDelta::days(8));
    delete_role(&w.ctx, &owner, id(&invited)).await.unwrap();
    let deleted: Vec<_> = w.events("role.deleted").await.iter().map(|e| e["role"]["name"].clone()).collect();
    assert_eq!(deleted, ["child", "root", "trainee"]);
    assert_not_found(delete_role(&w.ctx, &owner, id(&base)).await);

    // Role ids are the organization's own: another owner cannot reach this one.
    let (_, stranger) = w.found(&w.person("fay@example.com"), "coaching-fay").await;
    assert_not_found(delete_role(&w.ctx, &stranger, id(&held)).await);
    assert_not_found(save_role(&w.ctx, &stranger, Some(id(&held)), rename("mine")).await);
    assert_eq!(w.count("SELECT count(*) AS n FROM tenancy.roles").await, 1);
}

#[tokio::test]
async fn admins_cannot_create_edit_or_delete_a_role_beyond_their_own() {
    let w = World::new().await;
    let (org, owner) = w.found(&w.person("ana@example.com"), "coaching-ana").await;
    let admin = w.join(&owner, &org, &w.person("bea@example.com"), "admin").await;
    let editor = w.join(&owner, &org, &w.person("carl@example.com"), "editor").await;

    assert_beyond_own(save_role(&w.ctx, &admin, None, role("finance", &["billing:read"], &[])).await);
    assert_beyond_own(save_role(&w.ctx, &admin, None, role("root", &["*"], &[])).await);
    assert_beyond_own(save_role(&w.ctx, &admin, None, role("deputy", &["links:read"], &["owner"])).await);
    // A role the owner made above the admin: the admin may neither cut it down nor delete it,
    // even while nobody holds it.
    let finance = create(&w.ctx, &owner, role("finance", &["billing:*"], &[])).await;
    let cut = RoleChanges { permissions: Some(vec!["links:read".into()]), ..RoleChanges::default() };
    assert_beyond_own(save_role(&w.ctx, &admin, Some(id(&finance)), cut).await);
    assert_beyond_own(delete_role(&w.ctx, &admin, id(&finance)).await);
    assert_forbidden(
        save_role(&w.ctx, &editor, None, role("helper", &["links:read"], &[])).await,
        "roles:manage",
    );
    assert_forbidden(delete_role(&w.ctx, &editor, id(&finance)).await, "roles:manage");
    let roles = list_roles(&w.ctx, &owner).await.unwrap();
    let finance_now = roles.iter().find(|r| r.name == "finance").expect("still there");
    assert_eq!(finance_now.permissions, ["billing:*"]);

    // Within their own grants, an admin manages roles.
    let helper = save_role(&w.ctx, &admin, None, role("helper", &["links:*"], &["viewer"])).await.unwrap();
    delete_role(&w.ctx, &admin, id(&helper)).await.unwrap();
    assert_eq!(w.count("SELECT count(*) AS n FROM tenancy.roles").await, 1);
}
