//! Impersonation: starting it (never as another admin, never as oneself or a deactivated user)
//! and stopping it. The host keeps the [`Impersonation`] in the session and signs the session in
//! as the user, and runs each of its requests with the admin as the outbox's impersonator, so
//! every event recorded meanwhile carries both identities into the audit log.

use contracts::ErrorCode;
use kernel::{DomainError, DomainResult};
use uuid::Uuid;

use crate::application::admins::is_admin;
use crate::application::{Person, PlatformCtx};
use crate::domain::events::{ImpersonationStarted, ImpersonationStopped};
use crate::domain::impersonation::{Impersonation, StopReason};

/// Admin `admin` starts acting as `target`.
///
/// # Errors
/// `Rejected` (`bad_request`) for oneself, (`conflict`) for a deactivated user, (`forbidden`)
/// for another platform admin.
pub async fn start(
    ctx: &PlatformCtx,
    admin: Uuid,
    target: Person<'_>,
    admin_organization: Option<String>,
) -> DomainResult<Impersonation> {
    if target.id == admin {
        return Err(DomainError::rejected(ErrorCode::BadRequest, "You cannot impersonate yourself."));
    }
    if !target.active {
        return Err(DomainError::rejected(
            ErrorCode::Conflict,
            "This user is deactivated; reactivate them first.",
        ));
    }
    if is_admin(ctx, target).await? {
        return Err(DomainError::rejected(ErrorCode::Forbidden, "Platform admins cannot be impersonated."));
    }
    let now = ctx.clock.now();
    let impersonation = Impersonation::begin(admin, target.id, now, admin_organization);
    let event = ImpersonationStarted {
        admin_id: admin,
        user_id: target.id,
        actor_id: admin,
        expires_at: impersonation.expires_at,
    };
    let mut conn = ctx.db.get().await?;
    runtime::outbox::record(&mut conn, &event, now).await?;
    Ok(impersonation)
}

/// Records the end of `impersonation`.
///
/// # Errors
/// Database failures.
pub async fn stop(ctx: &PlatformCtx, impersonation: &Impersonation, reason: StopReason) -> DomainResult<()> {
    let event = ImpersonationStopped {
        admin_id: impersonation.admin_id,
        user_id: impersonation.user_id,
        actor_id: impersonation.admin_id,
        reason,
    };
    let mut conn = ctx.db.get().await?;
    runtime::outbox::record(&mut conn, &event, ctx.clock.now()).await?;
    Ok(())
}
