//! What other contexts ask through the host: who in an organization holds a permission (built-in
//! and custom roles, inheritance and wildcards resolved), and an organization's name.

use contracts::permissions::Permission;
use pretty_assertions::assert_eq;
use tenancy::application::directory::{members_with, organization_name};
use tenancy::application::roles::{RoleChanges, save_role};
use tenancy::domain::organization::OrganizationId;

use crate::World;

#[tokio::test]
async fn members_holding_a_permission_are_found_through_their_roles() {
    let w = World::new().await;
    let ana = w.person("ana@example.com");
    let (org, owner) = w.found(&ana, "coaching-ana").await;
    let bea = w.person("bea@example.com");
    w.join(&owner, &org, &bea, "editor").await;
    let carl = w.person("carl@example.com");
    w.join(&owner, &org, &carl, "viewer").await;
    let dora = w.person("dora@example.com");
    let lead_reader = RoleChanges {
        name: Some("assistant".to_owned()),
        permissions: Some(vec!["analytics:read".to_owned()]),
        inherits: Some(vec!["editor".to_owned()]),
    };
    save_role(&w.ctx, &owner, None, lead_reader).await.unwrap();
    w.join(&owner, &org, &dora, "assistant").await;

    let leads = members_with(&w.ctx, org.id, &Permission::LINKS_LEADS_READ).await.unwrap();
    assert_eq!(leads, [ana.id, bea.id, dora.id], "owner (*), editor, a role inheriting editor's");
    let billing = members_with(&w.ctx, org.id, &Permission::BILLING_MANAGE).await.unwrap();
    assert_eq!(billing, [ana.id]);
    let readers = members_with(&w.ctx, org.id, &Permission::LINKS_READ).await.unwrap();
    assert_eq!(readers, [ana.id, bea.id, carl.id, dora.id]);

    assert!(members_with(&w.ctx, OrganizationId::new(), &Permission::LINKS_READ).await.unwrap().is_empty());
    assert_eq!(organization_name(&w.ctx, org.id).await.unwrap().as_deref(), Some("Coaching"));
    assert_eq!(organization_name(&w.ctx, OrganizationId::new()).await.unwrap(), None);
}
