//! What the audit use cases need from the outside world.

use std::sync::Arc;

use kernel::Clock;
use kernel::db::DbPool;
use uuid::Uuid;

/// A user as the audit log shows them (from the identity context).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
}

/// The identity context's answers the audit log needs (implemented by the host over iam).
#[async_trait::async_trait]
pub trait AuditUsers: Send + Sync {
    /// The users with these ids, deactivated ones included; unknown ids are left out.
    ///
    /// # Errors
    /// MUST return an error only when the directory cannot be read.
    async fn users(&self, ids: &[Uuid]) -> anyhow::Result<Vec<DirectoryUser>>;
}

/// The audit context's dependencies.
#[derive(Clone)]
pub struct AuditCtx {
    pub db: DbPool,
    pub clock: Arc<dyn Clock>,
    pub users: Arc<dyn AuditUsers>,
}

impl std::fmt::Debug for AuditCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditCtx").finish_non_exhaustive()
    }
}
