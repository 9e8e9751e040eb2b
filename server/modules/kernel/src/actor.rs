//! The caller of an organization-scoped use case: who they are, in which organization, and what
//! they may do there. Built by the host from the session and the active organization (tenancy
//! computes the grants); every context's use cases take it and call [`Actor::require`].

use std::sync::Arc;

use crate::DomainError;
use crate::id::{OrganizationId, UserId};
use contracts::ErrorCode;
use contracts::permissions::Permission;

/// What a member may do (implemented by tenancy's resolved grant set).
pub trait Grants: Send + Sync + std::fmt::Debug {
    /// Whether `permission` is granted.
    fn allows(&self, permission: &Permission) -> bool;
}

/// A signed-in user before an organization is chosen: who they are, and whether they have proven
/// they own their email address. [`Actor`]s are made from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub user_id: UserId,
    pub email_verified: bool,
}

/// An authenticated member acting in their active organization.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: UserId,
    pub organization_id: OrganizationId,
    /// The member's role name in the organization.
    pub role: String,
    pub grants: Arc<dyn Grants>,
    /// Whether the user has proven they own their email address (see
    /// [`require_verified_email`](Self::require_verified_email)).
    pub email_verified: bool,
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

    /// Succeeds when the actor's email address is verified. The policy (docs/http-api.md,
    /// "Unverified accounts"): an account may build in private before verifying, but anything
    /// that reaches other people — publishing a page (and so capturing leads on it), sending an
    /// invitation — waits until the address is proven, so throwaway addresses cannot spam or
    /// phish through mibio.
    ///
    /// # Errors
    /// [`DomainError::Rejected`] with [`ErrorCode::EmailUnverified`] (403).
    pub fn require_verified_email(&self) -> Result<(), DomainError> {
        if self.email_verified { Ok(()) } else { Err(Self::unverified()) }
    }

    /// The refusal [`require_verified_email`](Self::require_verified_email) answers, for contexts
    /// that carry it through their own error type.
    #[must_use]
    pub fn unverified() -> DomainError {
        DomainError::rejected(
            ErrorCode::EmailUnverified,
            "Verify your email address first: open the link we sent you, or ask for a new one \
             (POST /api/auth/verify-email/resend).",
        )
    }
}
