//! What the notifications use cases, subscriber and jobs need from the outside world: the
//! database, the clock, the mail sender, and the [`Recipients`] port (who to tell, in which
//! language), which the host implements over iam, tenancy and links.

use std::sync::Arc;

use contracts::Locale;
use contracts::permissions::Permission;
use kernel::db::DbPool;
use kernel::{Clock, OrganizationId, UserId};
use uuid::Uuid;

use crate::EmailSender;

kernel::define_id!(
    /// An in-app notification's id.
    NotificationId
);

/// A person to notify, as the identity context knows them.
#[derive(Clone, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: UserId,
    /// Their sign-in address.
    pub email: String,
    /// Their display name.
    pub name: String,
    /// The language they chose; every email to them is written in it.
    pub locale: Locale,
}

/// `Debug` shows the id and locale only: addresses and names stay out of logs.
impl std::fmt::Debug for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recipient")
            .field("user_id", &self.user_id)
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

/// A page as its lead notifications name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSummary {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    /// The public address is `/{slug}`.
    pub slug: String,
    pub title: String,
}

/// Who is who, for the notifications context. The host implements it over iam (users), tenancy
/// (memberships and grants) and links (pages); tests use a fake.
///
/// Contract for every implementation:
/// - deactivated users are never returned (they get no email and no notification);
/// - it MUST return `Err` only when the answer cannot be had now (a database error): the event
///   being handled is then retried later. Something that does not exist is `None` or left out.
#[async_trait::async_trait]
pub trait Recipients: Send + Sync + 'static {
    /// The active user `id`; `None` when there is none (or they are deactivated).
    ///
    /// # Errors
    /// Only when the directory cannot be read.
    async fn user(&self, id: UserId) -> anyhow::Result<Option<Recipient>>;

    /// The active members of `organization` whose role grants `permission` (wildcards and
    /// inherited roles resolved, as `Actor::require` would), each once, in any order. Empty for an
    /// unknown organization.
    ///
    /// # Errors
    /// Only when the memberships cannot be read.
    async fn organization_members_with(
        &self,
        organization: OrganizationId,
        permission: &Permission,
    ) -> anyhow::Result<Vec<Recipient>>;

    /// The page `id`, published or not; `None` once deleted.
    ///
    /// # Errors
    /// Only when pages cannot be read.
    async fn page(&self, id: Uuid) -> anyhow::Result<Option<PageSummary>>;

    /// The organization's display name; `None` once deleted.
    ///
    /// # Errors
    /// Only when organizations cannot be read.
    async fn organization_name(&self, id: OrganizationId) -> anyhow::Result<Option<String>>;
}

/// The notifications context's dependencies, shared by its use cases, its outbox subscriber and
/// its jobs.
#[derive(Clone)]
pub struct NotificationsCtx {
    pub db: DbPool,
    pub clock: Arc<dyn Clock>,
    /// Where the email job hands its messages.
    pub mail: Arc<dyn EmailSender>,
    pub recipients: Arc<dyn Recipients>,
    /// The public origin, for absolute links in emails (`https://mibio.example`).
    pub public_url: String,
}

impl std::fmt::Debug for NotificationsCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotificationsCtx").field("public_url", &self.public_url).finish_non_exhaustive()
    }
}

impl NotificationsCtx {
    /// An absolute link to `path_and_query` on the public site.
    #[must_use]
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.public_url.trim_end_matches('/'))
    }
}
