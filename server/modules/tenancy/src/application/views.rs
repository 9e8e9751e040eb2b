//! The wire views of tenancy's results, shared by both doors (REST handlers and server
//! functions) so they answer with the same shapes.

use contracts::organizations::{InvitationView, MemberView, MyOrganizationView, OrganizationView, RoleView};

use crate::application::members::Member;
use crate::application::roles::RoleEntry;
use crate::domain::organization::Invitation;
use crate::domain::organization::Organization;

impl From<&Organization> for OrganizationView {
    fn from(org: &Organization) -> Self {
        Self { id: org.id.to_string(), name: org.name.clone(), slug: org.slug.clone() }
    }
}

/// One of the caller's organizations, with their `role` in it.
#[must_use]
pub fn my_organization((org, role): (Organization, String)) -> MyOrganizationView {
    MyOrganizationView { id: org.id.to_string(), name: org.name, slug: org.slug, role }
}

impl From<Member> for MemberView {
    /// A member whose user identity no longer knows shows with an empty name and email.
    fn from(member: Member) -> Self {
        let (email, name) = member.user.map(|u| (u.email, u.name)).unwrap_or_default();
        Self {
            user_id: member.membership.user_id.to_string(),
            email,
            name,
            role: member.membership.role,
            joined_at: member.membership.joined_at.to_rfc3339(),
        }
    }
}

impl From<Invitation> for InvitationView {
    fn from(row: Invitation) -> Self {
        Self {
            id: row.id.to_string(),
            email: row.email,
            role: row.role,
            expires_at: row.expires_at.to_rfc3339(),
        }
    }
}

impl From<RoleEntry> for RoleView {
    fn from(role: RoleEntry) -> Self {
        Self {
            id: role.id.map(|id| id.to_string()),
            name: role.name,
            permissions: role.permissions,
            inherits: role.inherits,
            builtin: role.builtin,
        }
    }
}
