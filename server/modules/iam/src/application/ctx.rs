//! What identity's use cases need from the outside world.

use std::sync::Arc;

use chrono::Duration;
use kernel::Clock;
use kernel::db::DbPool;
use notifications::EmailSender;

use crate::application::emails::MailContent;
use crate::infrastructure::password_hasher::PasswordHasher;

/// How long an email-verification link works.
pub const VERIFY_EMAIL_TTL: Duration = Duration::hours(24);
/// How long a password-reset link works.
pub const RESET_PASSWORD_TTL: Duration = Duration::hours(1);

/// Identity's dependencies.
#[derive(Clone)]
pub struct IamCtx {
    pub db: DbPool,
    pub hasher: PasswordHasher,
    pub mail: Arc<dyn EmailSender>,
    pub clock: Arc<dyn Clock>,
    /// The public origin, for absolute links in emails (`https://mibio.example`).
    pub public_url: String,
    /// Where users' avatars are kept and served from (`storage`'s `null` adapter where uploads
    /// are off).
    pub storage: Arc<dyn storage::StorageProvider>,
}

impl std::fmt::Debug for IamCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IamCtx").field("public_url", &self.public_url).finish_non_exhaustive()
    }
}

impl IamCtx {
    /// Where `user`'s avatar is served from, if they uploaded one.
    #[must_use]
    pub fn avatar_url(&self, user: &crate::domain::user::User) -> Option<String> {
        storage::upload::url_of(self.storage.as_ref(), user.avatar_key.as_deref())
    }

    /// An absolute link to `path_and_query` on the public site.
    #[must_use]
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.public_url.trim_end_matches('/'))
    }

    /// Sends `content` to `email`, addressed to `name`. Delivery failures are logged, not
    /// returned: the user-facing action (sign-up, reset request) has already succeeded, and the
    /// user can ask again.
    pub async fn deliver(&self, email: &str, name: &str, content: MailContent) {
        let to = match notifications::Mailbox::new(email) {
            Ok(to) => to.with_name(name),
            Err(err) => {
                tracing::warn!(%err, "address refused by the mailer");
                return;
            }
        };
        let message = notifications::EmailMessage {
            to,
            subject: content.subject,
            text: content.text,
            html: content.html,
        };
        if let Err(err) = self.mail.send(message).await {
            tracing::error!(%err, permanent = err.is_permanent(), "email could not be sent");
        }
    }
}
