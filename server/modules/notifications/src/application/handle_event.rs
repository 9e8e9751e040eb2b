//! What the notifications subscriber does with a domain event. Who is told:
//!
//! | event | who | in-app | email |
//! |---|---|---|---|
//! | `user.created` | the new user | — | welcome (essential) |
//! | `lead.captured` | members whose role grants `links:leads:read` | one per lead | the lead digest, unless they turned `lead_captured` emails off |
//! | `payment.failed` | members whose role grants `billing:manage` (the owners, among built-in roles) | yes | essential |
//! | `usage.quota_exceeded` | members whose role grants `billing:manage` (who can upgrade) | yes | — |
//! | `membership.removed` | — | that member's notifications about the organization are deleted, with their open digests | — |
//!
//! **Lead digest.** A lead opens a digest for each member (for its page) when none is open and
//! enqueues its email [`LEAD_DIGEST_WINDOW`] later; every further lead of that page joins the
//! open digest. The email job closes the digest when it runs and mails its count, so "many leads
//! within a minute" make one email, and a lead after the email went out opens the next digest.
//!
//! **Once per event.** Everything an event causes — notifications, digest counts, email jobs — is
//! written in one transaction with the event's id in `notifications.handled_events`: a
//! redelivered event writes nothing (and notifications are also unique on (event, user)).

use chrono::{DateTime, TimeDelta, Utc};
use contracts::Locale;
use contracts::permissions::Permission;
use diesel_async::{AsyncConnection as _, AsyncPgConnection};
use kernel::{OrganizationId, UserId};
use runtime::outbox::EventEnvelope;

use crate::Mailbox;
use crate::application::events::{Event, LeadCaptured, QuotaExceeded};
use crate::application::payloads::{LeadPayload, PaymentPayload, QuotaPayload};
use crate::application::{NotificationId, NotificationsCtx, NotificationsError, PageSummary, Recipient};
use crate::emails::{EMAIL_JOB, Email, SendEmail};
use crate::infrastructure::inbox::{self, NewNotification};
use crate::infrastructure::{digests, handled, preferences};
use crate::views::NotificationKind;

/// How long the leads of a page gather before their digest email goes out.
pub const LEAD_DIGEST_WINDOW: TimeDelta = TimeDelta::seconds(60);

/// Acts on `event` once (see the module docs); returns whether it did anything (`false` for an
/// event type not handled here, and for a redelivery).
///
/// # Errors
/// `Unavailable`, `Internal` — also when the [`crate::Recipients`] port fails or the payload
/// cannot be read: the dispatcher retries the event later.
#[tracing::instrument(skip(ctx, event), fields(event_id = %event.event_id, event_type = %event.event_type))]
pub async fn handle_event(ctx: &NotificationsCtx, event: &EventEnvelope) -> Result<bool, NotificationsError> {
    let Some(parsed) = Event::parse(&event.event_type, &event.payload)? else { return Ok(false) };
    let plan = plan(ctx, event, parsed).await?;
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, NotificationsError, _>(async |tx| {
        if !handled::mark(tx, event.event_id, &event.event_type, now).await? {
            tracing::debug!("event already handled");
            return Ok(false);
        }
        plan.apply(tx, now).await?;
        Ok(true)
    })
    .await
}

/// What an event causes, worked out before the transaction (the port calls happen here). No
/// `Debug`: it holds addresses, which logs must not carry.
#[derive(Default)]
struct Plan {
    notifications: Vec<NewNotification>,
    /// Emails to enqueue now.
    emails: Vec<SendEmail>,
    /// Members to add a lead to the digest of (unless they opted out).
    digests: Vec<DigestLead>,
    /// A member who left an organization: forget their notifications about it.
    forget: Option<(UserId, OrganizationId)>,
}

struct DigestLead {
    to: Option<(Mailbox, Locale)>,
    user: UserId,
    page: PageSummary,
    over_quota: bool,
}

async fn plan(
    ctx: &NotificationsCtx,
    event: &EventEnvelope,
    parsed: Event,
) -> Result<Plan, NotificationsError> {
    let mut plan = Plan::default();
    match parsed {
        Event::UserCreated(created) => {
            if let Some(user) = ctx.recipients.user(created.user_id).await? {
                plan.emails.extend(email(&user, Email::Welcome));
            }
        }
        Event::LeadCaptured(lead) => plan_lead(ctx, event, &lead, &mut plan).await?,
        Event::PaymentFailed(failed) => {
            let org = failed.organization_id;
            let Some(name) = ctx.recipients.organization_name(org).await? else { return Ok(plan) };
            let payload = to_json(&PaymentPayload { organization_name: name.clone() })?;
            for member in ctx.recipients.organization_members_with(org, &Permission::BILLING_MANAGE).await? {
                plan.notifications.push(notification(
                    event,
                    &member,
                    org,
                    NotificationKind::PaymentFailed,
                    &payload,
                ));
                plan.emails.extend(email(&member, Email::PaymentFailed { organization_name: name.clone() }));
            }
        }
        Event::QuotaExceeded(QuotaExceeded { organization_id: org, meter, limit, period_end }) => {
            let payload = to_json(&QuotaPayload { meter, limit, period_end })?;
            for member in ctx.recipients.organization_members_with(org, &Permission::BILLING_MANAGE).await? {
                plan.notifications.push(notification(
                    event,
                    &member,
                    org,
                    NotificationKind::QuotaExceeded,
                    &payload,
                ));
            }
        }
        Event::MembershipRemoved(removed) => plan.forget = Some((removed.user_id, removed.organization_id)),
    }
    Ok(plan)
}

async fn plan_lead(
    ctx: &NotificationsCtx,
    event: &EventEnvelope,
    lead: &LeadCaptured,
    plan: &mut Plan,
) -> Result<(), NotificationsError> {
    let org = lead.organization_id;
    let page = match ctx.recipients.page(lead.page_id).await? {
        Some(page) if page.organization_id == org => page,
        // Deleted since (its leads went with it), or not this organization's: nobody to tell.
        _ => return Ok(()),
    };
    let payload = to_json(&LeadPayload {
        page_id: page.id,
        page_slug: page.slug.clone(),
        page_title: page.title.clone(),
        lead_id: lead.lead_id,
        over_quota: lead.over_quota,
    })?;
    for member in ctx.recipients.organization_members_with(org, &Permission::LINKS_LEADS_READ).await? {
        plan.notifications.push(notification(event, &member, org, NotificationKind::LeadCaptured, &payload));
        plan.digests.push(DigestLead {
            to: mailbox(&member).map(|m| (m, member.locale)),
            user: member.user_id,
            page: page.clone(),
            over_quota: lead.over_quota,
        });
    }
    Ok(())
}

impl Plan {
    async fn apply(self, tx: &mut AsyncPgConnection, now: DateTime<Utc>) -> Result<(), NotificationsError> {
        inbox::insert_all(tx, &self.notifications).await?;
        for email in &self.emails {
            enqueue(tx, email, now).await?;
        }
        if !self.digests.is_empty() {
            let users: Vec<uuid::Uuid> = self.digests.iter().map(|d| d.user.into_uuid()).collect();
            let out = preferences::opted_out(tx, &users, NotificationKind::LeadCaptured.key()).await?;
            for lead in self.digests.into_iter().filter(|d| !out.contains(&d.user.into_uuid())) {
                let Some((to, locale)) = lead.to else { continue };
                let (user, page) = (lead.user.into_uuid(), lead.page);
                let org = page.organization_id.into_uuid();
                let (digest_id, opened) = digests::join(tx, user, page.id, org, lead.over_quota, now).await?;
                if opened {
                    let email = Email::LeadDigest {
                        digest_id,
                        page_id: page.id,
                        page_slug: page.slug,
                        page_title: page.title,
                    };
                    let job = SendEmail { user_id: lead.user, to, locale, email };
                    enqueue(tx, &job, now + LEAD_DIGEST_WINDOW).await?;
                }
            }
        }
        if let Some((user, org)) = self.forget {
            let (user, org) = (user.into_uuid(), org.into_uuid());
            let forgotten = inbox::forget_organization(tx, user, org).await?;
            let dropped = digests::drop_open(tx, user, org).await?;
            tracing::debug!(forgotten, dropped, "a member left: their notifications about it are gone");
        }
        Ok(())
    }
}

async fn enqueue(
    tx: &mut AsyncPgConnection,
    job: &SendEmail,
    run_at: DateTime<Utc>,
) -> Result<(), NotificationsError> {
    let payload = to_json(job)?;
    runtime::jobs::enqueue(tx, EMAIL_JOB, &payload, run_at).await?;
    Ok(())
}

fn notification(
    event: &EventEnvelope,
    member: &Recipient,
    org: OrganizationId,
    kind: NotificationKind,
    payload: &serde_json::Value,
) -> NewNotification {
    NewNotification {
        id: NotificationId::new().into_uuid(),
        user_id: member.user_id.into_uuid(),
        organization_id: Some(org.into_uuid()),
        kind: kind.key(),
        payload: payload.clone(),
        event_id: event.event_id,
        created_at: event.occurred_at,
    }
}

/// The email job for `user`, or none when their address cannot be mailed.
fn email(user: &Recipient, email: Email) -> Option<SendEmail> {
    Some(SendEmail { user_id: user.user_id, to: mailbox(user)?, locale: user.locale, email })
}

fn mailbox(user: &Recipient) -> Option<Mailbox> {
    match Mailbox::new(&user.email) {
        Ok(mailbox) => Some(mailbox.with_name(&user.name)),
        Err(e) => {
            tracing::warn!(user_id = %user.user_id, error = %e, "the user's address cannot be mailed; no email");
            None
        }
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, NotificationsError> {
    serde_json::to_value(value).map_err(|e| NotificationsError::Internal(anyhow::Error::new(e)))
}
