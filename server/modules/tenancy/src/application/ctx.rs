//! What tenancy's use cases need from the outside world.

use std::sync::Arc;

use kernel::Clock;
use kernel::db::DbPool;
use notifications::EmailSender;
use uuid::Uuid;

/// A user as tenancy needs to show them (from the identity context).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
}

/// The identity context's answers that tenancy needs (implemented by the host over iam).
#[async_trait::async_trait]
pub trait UserDirectory: Send + Sync {
    /// The users with these ids; unknown ids are left out.
    ///
    /// # Errors
    /// MUST return an error only when the directory cannot be read.
    async fn users(&self, ids: &[Uuid]) -> anyhow::Result<Vec<DirectoryUser>>;
}

/// Tenancy's dependencies.
#[derive(Clone)]
pub struct TenancyCtx {
    pub db: DbPool,
    pub clock: Arc<dyn Clock>,
    pub mail: Arc<dyn EmailSender>,
    pub users: Arc<dyn UserDirectory>,
    /// The public origin, for links in invitation emails.
    pub public_url: String,
}

impl std::fmt::Debug for TenancyCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenancyCtx").field("public_url", &self.public_url).finish_non_exhaustive()
    }
}

impl TenancyCtx {
    /// An absolute link to `path` on the public site.
    #[must_use]
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.trim_end_matches('/'))
    }
}
