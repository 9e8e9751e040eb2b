//! The platform's domain events (all audited).

use runtime::outbox::DomainEvent;
use serde::Serialize;
use uuid::Uuid;

use crate::domain::impersonation::StopReason;

/// A user became a platform admin.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformAdminGranted {
    pub user_id: Uuid,
    /// The admin who granted it; `None` through the setup token or the CLI.
    pub actor_id: Option<Uuid>,
    pub via: String,
}

impl DomainEvent for PlatformAdminGranted {
    const TYPE: &'static str = "platform_admin.granted";
    const PRODUCER: &'static str = "platform";
}

/// An admin started acting as a user.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImpersonationStarted {
    pub admin_id: Uuid,
    pub user_id: Uuid,
    /// The admin.
    pub actor_id: Uuid,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

impl DomainEvent for ImpersonationStarted {
    const TYPE: &'static str = "impersonation.started";
    const PRODUCER: &'static str = "platform";
}

/// An impersonation ended.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImpersonationStopped {
    pub admin_id: Uuid,
    pub user_id: Uuid,
    /// The admin.
    pub actor_id: Uuid,
    pub reason: StopReason,
}

impl DomainEvent for ImpersonationStopped {
    const TYPE: &'static str = "impersonation.stopped";
    const PRODUCER: &'static str = "platform";
}
