//! The caller of an organization-scoped use case: who they are, in which organization, and what
//! they may do there. Built by the host from the session and the active organization (tenancy
//! computes the grants); every context's use cases take it and call [`Actor::require`].

use std::sync::Arc;

use contracts::permissions::Permission;
use uuid::Uuid;

use crate::DomainError;

/// What a member may do (implemented by tenancy's resolved grant set).
pub trait Grants: Send + Sync + std::fmt::Debug {
    /// Whether `permission` is granted.
    fn allows(&self, permission: &Permission) -> bool;
}

/// An authenticated member acting in their active organization.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub organization_id: Uuid,
    /// The member's role name in the organization.
    pub role: String,
    pub grants: Arc<dyn Grants>,
}

impl Actor {
    /// Succeeds when the actor holds `permission`.
    ///
    /// # Errors
    /// [`DomainError::Forbidden`] naming the permission.
    pub fn require(&self, permission: &Permission) -> Result<(), DomainError> {
        if self.grants.allows(permission) {
            Ok(())
        } else {
            Err(DomainError::Forbidden(permission.to_string()))
        }
    }
}
