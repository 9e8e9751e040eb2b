//! Members: listing, changing roles and removing, under the escalation guard and the last-owner
//! rule.

use contracts::ConflictReason;
use kernel::UserId;
use pretty_assertions::assert_eq;
use tenancy::application::members::{change_role, list_members, remove_member};

use crate::{
    World, assert_beyond_own, assert_conflict, assert_forbidden, assert_not_found, invalid_fields, names,
};

#[tokio::test]
async fn the_escalation_guard_keeps_admins_below_owners() {
    let w = World::new().await;
    let ana = w.person("ana@example.com");
    let (org, owner) = w.found(&ana, "coaching-ana").await;
    let bea = w.person("bea@example.com");
    let admin = w.join(&owner, &org, &bea, "admin").await;
    let carl = w.person("carl@example.com");
    w.join(&owner, &org, &carl, "editor").await;
    let dora = w.person("dora@example.com");
    w.join(&owner, &org, &dora, "viewer").await;
    let changes = w.count("SELECT count(*) AS n FROM kernel.outbox").await;

    // An admin may touch nothing an owner holds: not hand it out, take it away, nor cut it down.
    assert_beyond_own(w.invite(&admin, &org, "eve@example.com", "owner").await);
    assert_beyond_own(change_role(&w.ctx, &admin, carl.id, "owner").await);
    assert_beyond_own(change_role(&w.ctx, &admin, bea.id, "owner").await);
    assert_beyond_own(change_role(&w.ctx, &admin, ana.id, "viewer").await);
    assert_beyond_own(remove_member(&w.ctx, &admin, ana.id).await);
    assert_eq!(w.actor(&ana, &org).await.role, "owner");
    assert_eq!(w.actor(&carl, &org).await.role, "editor");
    assert_eq!(w.count("SELECT count(*) AS n FROM kernel.outbox").await, changes);

    // Below their own level, they manage members.
    let changed = change_role(&w.ctx, &admin, carl.id, "viewer").await.unwrap();
    assert_eq!((changed.user_id, changed.role.as_str()), (carl.id, "viewer"));
    remove_member(&w.ctx, &admin, dora.id).await.unwrap();
    assert!(w.acting(&dora, &org).await.is_none());
    let role_changed = w.events("membership.role_changed").await;
    assert_eq!(role_changed.len(), 1);
    assert_eq!(
        (role_changed[0]["from"].as_str(), role_changed[0]["to"].as_str()),
        (Some("editor"), Some("viewer"))
    );
    assert_eq!(role_changed[0]["actorId"], bea.id.to_string());
    assert_eq!(w.events("membership.removed").await[0]["userId"], dora.id.to_string());

    // Without members:manage, nothing at all.
    let viewer = w.actor(&carl, &org).await;
    assert_forbidden(change_role(&w.ctx, &viewer, bea.id, "viewer").await, "members:manage");
    assert_forbidden(remove_member(&w.ctx, &viewer, bea.id).await, "members:manage");
    // The owner may make the admin an owner.
    assert_eq!(change_role(&w.ctx, &owner, bea.id, "owner").await.unwrap().role, "owner");
}

#[tokio::test]
async fn the_last_owner_can_be_neither_demoted_nor_removed() {
    let w = World::new().await;
    let ana = w.person("ana@example.com");
    let (org, owner) = w.found(&ana, "coaching-ana").await;
    let bea = w.person("bea@example.com");
    w.join(&owner, &org, &bea, "admin").await;

    assert_conflict(change_role(&w.ctx, &owner, ana.id, "admin").await, ConflictReason::LastOwnerRoleChange);
    assert_conflict(remove_member(&w.ctx, &owner, ana.id).await, ConflictReason::LastOwnerRemoval);
    assert_eq!(w.actor(&ana, &org).await.role, "owner");

    // With a second owner, the first may step down — and then the second is the last.
    change_role(&w.ctx, &owner, bea.id, "owner").await.unwrap();
    change_role(&w.ctx, &owner, ana.id, "admin").await.unwrap();
    let bea_owner = w.actor(&bea, &org).await;
    assert_conflict(remove_member(&w.ctx, &bea_owner, bea.id).await, ConflictReason::LastOwnerRemoval);
    assert_conflict(
        change_role(&w.ctx, &bea_owner, bea.id, "editor").await,
        ConflictReason::LastOwnerRoleChange,
    );
    assert_eq!(w.actor(&bea, &org).await.role, "owner");
    assert_eq!(w.actor(&ana, &org).await.role, "admin");

    // Unknown roles and people who are not members.
    assert_eq!(invalid_fields(change_role(&w.ctx, &bea_owner, ana.id, "ghost").await), names(&["role"]));
    assert_not_found(change_role(&w.ctx, &bea_owner, UserId::new(), "viewer").await);
    assert_not_found(remove_member(&w.ctx, &bea_owner, UserId::new()).await);
}

#[tokio::test]
async fn members_are_listed_with_members_read_and_anyone_may_leave() {
    let w = World::new().await;
    let ana = w.person("ana@example.com");
    let (org, owner) = w.found(&ana, "coaching-ana").await;
    let bea = w.person("bea@example.com");
    w.join(&owner, &org, &bea, "editor").await;
    w.clock.advance(chrono::TimeDelta::hours(1));
    let carl = w.person("carl@example.com");
    let viewer = w.join(&owner, &org, &carl, "viewer").await;

    let listed: Vec<_> = list_members(&w.ctx, &owner)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.user.map(|u| u.email), m.membership.role, m.membership.joined_at))
        .collect();
    let at = |hours| crate::t0() + chrono::TimeDelta::hours(hours);
    assert_eq!(
        listed,
        [
            (Some(ana.email.clone()), "owner".to_owned(), at(0)),
            (Some(bea.email.clone()), "editor".to_owned(), at(0)),
            (Some(carl.email.clone()), "viewer".to_owned(), at(1)),
        ]
    );
    assert_forbidden(list_members(&w.ctx, &viewer).await, "members:read");

    // Leaving needs no permission; removing someone else does.
    assert_forbidden(remove_member(&w.ctx, &viewer, bea.id).await, "members:manage");
    remove_member(&w.ctx, &viewer, carl.id).await.unwrap();
    assert!(w.acting(&carl, &org).await.is_none());
    let removed = w.events("membership.removed").await;
    assert_eq!(
        (removed[0]["userId"].clone(), removed[0]["actorId"].clone()),
        (carl.id.to_string().into(), carl.id.to_string().into())
    );
    assert_eq!(list_members(&w.ctx, &owner).await.unwrap().len(), 2);
}
