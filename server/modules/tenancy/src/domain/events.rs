//! Tenancy's domain events (recorded in the outbox).

use runtime::outbox::DomainEvent;
use serde::Serialize;
use uuid::Uuid;

use crate::domain::organization::OrganizationId;

/// An organization was created (its creator became its owner).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationCreated {
    pub organization_id: OrganizationId,
    pub created_by: Uuid,
}

impl DomainEvent for OrganizationCreated {
    const TYPE: &'static str = "organization.created";
    const PRODUCER: &'static str = "tenancy";
}

/// A user joined an organization.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MembershipAdded {
    pub organization_id: OrganizationId,
    pub user_id: Uuid,
    pub role: String,
    /// Who added them (the creator, or the inviter).
    pub actor_id: Uuid,
}

impl DomainEvent for MembershipAdded {
    const TYPE: &'static str = "membership.added";
    const PRODUCER: &'static str = "tenancy";
}

/// A member's role changed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MembershipRoleChanged {
    pub organization_id: OrganizationId,
    pub user_id: Uuid,
    pub from: String,
    pub to: String,
    pub actor_id: Uuid,
}

impl DomainEvent for MembershipRoleChanged {
    const TYPE: &'static str = "membership.role_changed";
    const PRODUCER: &'static str = "tenancy";
}

/// A member left or was removed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MembershipRemoved {
    pub organization_id: OrganizationId,
    pub user_id: Uuid,
    pub actor_id: Uuid,
}

impl DomainEvent for MembershipRemoved {
    const TYPE: &'static str = "membership.removed";
    const PRODUCER: &'static str = "tenancy";
}

/// A custom role's definition as events carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleFacts {
    pub name: String,
    pub permissions: Vec<String>,
    pub inherits: Vec<String>,
}

/// A custom role was created.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleCreated {
    pub role_id: Uuid,
    pub organization_id: OrganizationId,
    pub role: RoleFacts,
    pub actor_id: Uuid,
}

impl DomainEvent for RoleCreated {
    const TYPE: &'static str = "role.created";
    const PRODUCER: &'static str = "tenancy";
}

/// A custom role was edited (renamed, or its permissions or parents changed).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleUpdated {
    pub role_id: Uuid,
    pub organization_id: OrganizationId,
    pub before: RoleFacts,
    pub after: RoleFacts,
    pub actor_id: Uuid,
}

impl DomainEvent for RoleUpdated {
    const TYPE: &'static str = "role.updated";
    const PRODUCER: &'static str = "tenancy";
}

/// A custom role was deleted.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDeleted {
    pub role_id: Uuid,
    pub organization_id: OrganizationId,
    pub role: RoleFacts,
    pub actor_id: Uuid,
}

impl DomainEvent for RoleDeleted {
    const TYPE: &'static str = "role.deleted";
    const PRODUCER: &'static str = "tenancy";
}
