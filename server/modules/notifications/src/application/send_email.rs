//! The `emails.send` job's work: write the email in the recipient's language and hand it to the
//! [`crate::EmailSender`].

use anyhow::Context as _;
use kernel::token::SecretToken;

use crate::EmailMessage;
use crate::application::NotificationsCtx;
use crate::application::render::{BILLING_PATH, leads_path};
use crate::emails::{
    DigestFacts, DigestLinks, Email, MailContent, SendEmail, lead_digest, payment_failed, welcome,
};
use crate::infrastructure::{digests, preferences, tokens};
use crate::views::NotificationKind;

/// Where unsubscribe links point: `{PUBLIC_URL}/notifications/unsubscribe?token=…`. The host
/// serves it (a page that asks to confirm, then calls [`crate::application::unsubscribe`]: a
/// link alone must not unsubscribe, mail scanners open links).
pub const UNSUBSCRIBE_PATH: &str = "/notifications/unsubscribe";

/// How a send ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Handed to the sender.
    Sent,
    /// Nothing to send: the recipient turned these emails off meanwhile, or the digest is gone
    /// (they left the organization).
    Skipped,
}

/// Writes `job`'s email and sends it. A lead digest is closed first (so leads from now on open
/// the next one) and carries a fresh unsubscribe link.
///
/// # Errors
/// When the database or the sender fails (`EmailError::Transport` and `Rejected` alike): the job
/// is retried with the runtime's backoff, and ends dead after its last attempt.
#[tracing::instrument(skip_all, fields(user_id = %job.user_id, kind = job.email.kind()))]
pub async fn send_email(ctx: &NotificationsCtx, job: &SendEmail) -> anyhow::Result<Sent> {
    let name = job.to.name();
    let content = match &job.email {
        Email::Welcome => welcome(job.locale, name, &ctx.link("/dashboard/pages")),
        Email::PaymentFailed { organization_name } => {
            payment_failed(job.locale, name, organization_name, &ctx.link(BILLING_PATH))
        }
        Email::LeadDigest { digest_id, page_id, page_slug, page_title } => {
            let now = ctx.clock.now();
            let kind = NotificationKind::LeadCaptured.key();
            let mut conn = ctx.db.get().await.context("no database connection")?;
            let Some((leads, over_quota)) =
                digests::close(&mut conn, *digest_id, now).await.context("close the lead digest")?
            else {
                return Ok(Sent::Skipped);
            };
            let user = job.user_id.into_uuid();
            if !preferences::wants_email(&mut conn, user, kind).await.context("read the preference")? {
                return Ok(Sent::Skipped);
            }
            let token = SecretToken::generate();
            tokens::insert(&mut conn, &token.digest, user, kind, now)
                .await
                .context("store the unsubscribe token")?;
            drop(conn);
            let unsubscribe = ctx.link(&format!("{UNSUBSCRIBE_PATH}?token={}", token.plain));
            let links = DigestLinks {
                leads: &ctx.link(&leads_path(*page_id)),
                page: &ctx.link(&format!("/{page_slug}")),
                unsubscribe: &unsubscribe,
            };
            lead_digest(job.locale, name, &DigestFacts { page_title, leads, over_quota }, links)
        }
    };
    let MailContent { subject, text, html } = content;
    ctx.mail
        .send(EmailMessage { to: job.to.clone(), subject, text, html })
        .await
        .with_context(|| format!("send the {} email", job.email.kind()))?;
    tracing::info!("email sent");
    Ok(Sent::Sent)
}
