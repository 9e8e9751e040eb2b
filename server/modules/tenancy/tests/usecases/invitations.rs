//! Invitations: who may send them, who may accept them, and for how long.

use chrono::TimeDelta;
use contracts::ConflictReason;
use kernel::Actor;
use pretty_assertions::assert_eq;
use tenancy::TenancyError;
use tenancy::application::invitations::{INVITATION_TTL, accept, open_invitations};

use crate::{World, assert_conflict, assert_forbidden, assert_not_found, invalid_fields, names};

#[tokio::test]
async fn inviting_needs_members_invite_a_verified_address_a_real_role_and_a_newcomer() {
    let w = World::new().await;
    let ana = w.person("ana@example.com");
    let (org, owner) = w.found(&ana, "coaching-ana").await;
    let carl = w.person("carl@example.com");
    let editor = w.join(&owner, &org, &carl, "editor").await;
    let sent = w.mail.messages().len();
    let rows = "SELECT count(*) AS n FROM tenancy.invitations";
    let before = w.count(rows).await;

    // An invitation is mail to someone else in our name: not from an unproven address.
    let unverified = Actor { email_verified: false, ..owner.clone() };
    let refused = w.invite(&unverified, &org, "bea@example.com", "viewer").await;
    assert!(matches!(refused, Err(TenancyError::EmailUnverified)), "{refused:?}");
    assert_forbidden(w.invite(&editor, &org, "bea@example.com", "viewer").await, "members:invite");
    assert_eq!(
        invalid_fields(w.invite(&owner, &org, "bea at example.com", "viewer").await),
        names(&["email"])
    );
    for unknown in ["ghost", "Owner", ""] {
        assert_eq!(
            invalid_fields(w.invite(&owner, &org, "bea@example.com", unknown).await),
            names(&["role"])
        );
    }
    assert_conflict(
        w.invite(&owner, &org, " Carl@Example.com ", "viewer").await,
        ConflictReason::AlreadyMember,
    );
    assert_eq!(
        (w.count(rows).await, w.mail.messages().len()),
        (before, sent),
        "nothing stored, nothing sent"
    );

    let invitation = w.invite(&owner, &org, "bea@example.com", "viewer").await.unwrap();
    assert_eq!(
        (invitation.email.as_str(), invitation.role.as_str(), invitation.expires_at),
        ("bea@example.com", "viewer", crate::t0() + INVITATION_TTL)
    );
    let mail = w.mail.messages().pop().expect("the invitation mail");
    assert_eq!(mail.to.address(), "bea@example.com");
    assert!(mail.subject.contains("Coaching"), "{}", mail.subject);
    assert!(mail.text.contains("https://mibio.test/invitations/"), "{}", mail.text);
    assert_eq!(open_invitations(&w.ctx, &owner).await.unwrap(), [invitation]);
}

#[tokio::test]
async fn only_the_invited_address_can_accept_and_only_once() {
    let w = World::new().await;
    let ana = w.person("ana@example.com");
    let (org, owner) = w.found(&ana, "coaching-ana").await;
    let (bea, carl) = (w.person("bea@example.com"), w.person("carl@example.com"));
    w.invite(&owner, &org, "Bea@Example.com", "editor").await.unwrap();
    let token = w.link_sent_to("Bea@Example.com");

    // Someone else holding the link (a forwarded mail) gets nothing.
    assert_not_found(accept(&w.ctx, carl.id, &carl.email, &token).await);
    assert!(w.acting(&carl, &org).await.is_none());

    assert_eq!(accept(&w.ctx, bea.id, " BEA@example.com ", &token).await.unwrap(), org.id);
    let joined = w.actor(&bea, &org).await;
    assert_eq!(joined.role, "editor");
    let added = w.events("membership.added").await;
    let last = added.last().expect("an event");
    assert_eq!(
        (last["userId"].clone(), last["actorId"].clone()),
        (bea.id.to_string().into(), ana.id.to_string().into())
    );

    assert_not_found(accept(&w.ctx, bea.id, &bea.email, &token).await);
    assert_not_found(accept(&w.ctx, bea.id, &bea.email, "not-a-token").await);
    assert!(open_invitations(&w.ctx, &owner).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_invitation_link_works_for_seven_days() {
    let w = World::new().await;
    let (org, owner) = w.found(&w.person("ana@example.com"), "coaching-ana").await;
    let (bea, carl) = (w.person("bea@example.com"), w.person("carl@example.com"));
    w.invite(&owner, &org, &bea.email, "viewer").await.unwrap();
    w.invite(&owner, &org, &carl.email, "viewer").await.unwrap();

    w.clock.advance(INVITATION_TTL - TimeDelta::minutes(1));
    accept(&w.ctx, bea.id, &bea.email, &w.link_sent_to(&bea.email)).await.unwrap();
    assert_eq!(open_invitations(&w.ctx, &owner).await.unwrap().len(), 1);
    w.clock.advance(TimeDelta::minutes(1));
    assert_not_found(accept(&w.ctx, carl.id, &carl.email, &w.link_sent_to(&carl.email)).await);
    assert!(w.acting(&carl, &org).await.is_none());
    assert!(open_invitations(&w.ctx, &owner).await.unwrap().is_empty(), "an expired invitation is not open");
}

#[tokio::test]
async fn accepting_a_second_invitation_keeps_the_membership_as_it_is() {
    let w = World::new().await;
    let (org, owner) = w.found(&w.person("ana@example.com"), "coaching-ana").await;
    let bea = w.person("bea@example.com");
    w.invite(&owner, &org, &bea.email, "viewer").await.unwrap();
    let first = w.link_sent_to(&bea.email);
    w.invite(&owner, &org, &bea.email, "admin").await.unwrap();
    let second = w.link_sent_to(&bea.email);
    assert_ne!(first, second);

    accept(&w.ctx, bea.id, &bea.email, &first).await.unwrap();
    accept(&w.ctx, bea.id, &bea.email, &second).await.unwrap();
    assert_eq!(w.actor(&bea, &org).await.role, "viewer", "a link does not change a member's role");
    let members = "SELECT count(*) AS n FROM tenancy.memberships";
    assert_eq!(w.count(members).await, 2);
    assert_eq!(w.events("membership.added").await.len(), 2, "the owner's and Bea's");
}
