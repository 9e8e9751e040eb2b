//! Organizations and the grants of the built-in roles.

use std::collections::BTreeSet;

use contracts::permissions::{CATALOG, Permission};
use kernel::actor::Caller;
use pretty_assertions::assert_eq;
use tenancy::TenancyError;
use tenancy::application::actor::membership;
use tenancy::application::members::remove_member;
use tenancy::application::organizations::{choose_active, create_organization, my_organizations};

use crate::{World, assert_not_found, invalid_fields, names};

#[tokio::test]
async fn an_organization_needs_a_name_and_a_free_slug_and_its_creator_becomes_its_owner() {
    let w = World::new().await;
    let (ana, bea) = (w.person("ana@example.com"), w.person("bea@example.com"));

    let create = async |who: &crate::Person, name: &str, slug: &str| {
        create_organization(&w.ctx, who.id, name, slug).await
    };
    assert_eq!(invalid_fields(create(&ana, " ", "Not A Slug").await), names(&["name", "slug"]));
    assert_eq!(invalid_fields(create(&ana, &"x".repeat(81), "coaching-ana").await), names(&["name"]));
    assert_eq!(invalid_fields(create(&ana, "Coaching\u{7}", "coaching-ana").await), names(&["name"]));
    assert_eq!(invalid_fields(create(&ana, "Coaching", "ab").await), names(&["slug"]));
    assert_eq!(w.count("SELECT count(*) AS n FROM tenancy.organizations").await, 0);

    let org = create(&ana, "  Coaching Ana ", "coaching-ana").await.unwrap();
    assert_eq!(
        (org.name.as_str(), org.slug.as_str(), org.created_at),
        ("Coaching Ana", "coaching-ana", crate::t0())
    );
    assert_eq!(my_organizations(&w.ctx, ana.id).await.unwrap(), [(org.clone(), "owner".to_owned())]);
    let created = w.events("organization.created").await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["createdBy"], ana.id.to_string());
    let joined = w.events("membership.added").await;
    assert_eq!(joined.len(), 1);
    assert_eq!(joined[0]["userId"], ana.id.to_string());
    assert_eq!(joined[0]["role"], "owner");

    let taken = create(&bea, "Another", "coaching-ana").await;
    assert!(matches!(taken, Err(TenancyError::SlugTaken)), "{taken:?}");
    assert!(my_organizations(&w.ctx, bea.id).await.unwrap().is_empty());
    // Organization slugs are their own namespace: words reserved for pages are fine.
    let admin = create(&bea, "Admin Coaching", "admin").await.unwrap();

    assert_eq!(choose_active(&w.ctx, ana.id, org.id).await.unwrap(), org);
    assert_not_found(choose_active(&w.ctx, bea.id, org.id).await);
    assert_not_found(choose_active(&w.ctx, ana.id, admin.id).await);
}

/// The names of the catalog's permissions that `allows` grants.
fn granted(allows: impl Fn(&Permission) -> bool) -> BTreeSet<&'static str> {
    CATALOG.iter().map(|info| &info.permission).filter(|p| allows(p)).map(Permission::as_str).collect()
}

#[tokio::test]
async fn each_built_in_role_grants_what_it_promises_in_its_organization_only() {
    let w = World::new().await;
    let ana = w.person("ana@example.com");
    let (org, owner) = w.found(&ana, "coaching-ana").await;
    let admin = w.join(&owner, &org, &w.person("bea@example.com"), "admin").await;
    let editor = w.join(&owner, &org, &w.person("carl@example.com"), "editor").await;
    let dora = w.person("dora@example.com");
    let viewer = w.join(&owner, &org, &dora, "viewer").await;

    let everything: BTreeSet<&str> = CATALOG.iter().map(|i| i.permission.as_str()).collect();
    let withheld = BTreeSet::from(["billing:read", "billing:manage", "org:delete"]);
    let expected = [
        (&owner, "owner", everything.clone()),
        (&admin, "admin", everything.difference(&withheld).copied().collect()),
        (&editor, "editor", BTreeSet::from(["links:read", "links:write", "links:leads:read"])),
        (&viewer, "viewer", BTreeSet::from(["links:read"])),
    ];
    for (actor, role, permissions) in expected {
        assert_eq!((actor.role.as_str(), actor.organization_id), (role, org.id));
        assert_eq!(granted(|p| actor.grants.allows(p)), permissions, "{role}");
    }

    // The caller's verification travels into the actor; outsiders get no actor at all.
    let unverified = Caller { user_id: ana.id, email_verified: false };
    let acting = membership(&w.ctx, unverified, org.id).await.unwrap().expect("a member");
    assert!(!acting.actor.email_verified);
    assert_eq!(acting.organization, org);
    assert!(w.acting(&w.person("eve@example.com"), &org).await.is_none());
    let (other, _) = w.found(&w.person("fay@example.com"), "coaching-fay").await;
    assert!(w.acting(&ana, &other).await.is_none(), "owning one organization grants nothing in another");
    // Leaving takes the grants away.
    remove_member(&w.ctx, &viewer, dora.id).await.unwrap();
    assert!(w.acting(&dora, &org).await.is_none());
}
