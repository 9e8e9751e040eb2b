//! Leads: capture from a public form, list for the organization, export as CSV batches.

use std::collections::HashMap;

use chrono::{Days, NaiveTime};
use contracts::blocks::{BlockConfig, check_text};
use contracts::email::EmailAddress;
use contracts::links::LEAD_NAME_MAX;
use contracts::permissions::Permission;
use contracts::usage::UsageMeter;
use contracts::{Problem, Problems};
use diesel_async::{AsyncConnection as _, AsyncPgConnection};
use kernel::Actor;
use kernel::pagination::{Cursor, PageRequest, Paged};
use kernel::quota::{QuotaGate, Usage, Verdict};
use runtime::outbox;
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use crate::application::{LinksCtx, LinksError};
use crate::domain::events::{LeadCaptured, LeadsExported};
use crate::domain::page::{Lead, LeadId, PageId};
use crate::infrastructure::blocks;
use crate::infrastructure::leads::{self, LeadRow, NewLead};
use crate::infrastructure::pages;

/// Leads per export batch.
pub const EXPORT_BATCH: i64 = 500;

/// A visitor's submission of a lead form.
#[derive(Debug, Clone, Default)]
pub struct Submission {
    pub block_id: String,
    pub email: String,
    pub name: Option<String>,
    pub consent: Option<bool>,
    /// The honeypot: people leave it empty.
    pub website: Option<String>,
}

/// The outcome of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// False for a repeat of the same email on the same page.
    pub created: bool,
    /// The form's own thank-you message, if it has one.
    pub message: Option<String>,
    /// The page's slug.
    pub slug: String,
}

/// Stores a lead from a form (no session: the page is derived from the block, so a visitor cannot
/// aim at another page). Only enabled `LEAD_CAPTURE` blocks shown on a published page accept
/// leads; `expected_slug`, when given, must be that page's. A filled honeypot is answered like a
/// success and stores nothing.
///
/// **A coach must never lose a client's contact.** A new lead counts against the plan's monthly
/// lead cap, but the cap never refuses it: over the cap the lead is stored all the same, flagged
/// `over_quota` (the leads list shows it), the visitor gets the same success, and the usage
/// context tells the owners (`usage.quota_exceeded`, once per period). Even when the count itself
/// fails, the lead is stored (the count runs in a savepoint of its own).
///
/// # Errors
/// `NotFound` (no such form, or not accepting), `Validation` (`email`, `name`, `consent`).
pub async fn capture(
    ctx: &LinksCtx,
    submission: Submission,
    expected_slug: Option<&str>,
) -> Result<Captured, LinksError> {
    let block_id: Uuid = submission.block_id.trim().parse().map_err(|_| LinksError::NotFound)?;
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    let (row, page) = blocks::with_page(&mut conn, block_id).await?.ok_or(LinksError::NotFound)?;
    let block = row.to_block()?;
    let BlockConfig::LeadCapture(form) = &block.config else {
        return Err(LinksError::NotFound);
    };
    let accepting = page.published && block.visibility.shown_at(now);
    if !accepting || expected_slug.is_some_and(|s| !s.eq_ignore_ascii_case(&page.slug)) {
        return Err(LinksError::NotFound);
    }
    let message = form.success_message.clone();
    let captured = |created| Captured { created, message: message.clone(), slug: page.slug.clone() };

    let mut errors = Problems::new();
    let email =
        EmailAddress::parse(&submission.email).map_err(|e| errors.insert("email".into(), e.into())).ok();
    let name = submission.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if let Some(name) = name
        && let Err(problem) = check_text(name, LEAD_NAME_MAX, false)
    {
        errors.insert("name".into(), problem);
    }
    if form.consent_text.is_some() && submission.consent != Some(true) {
        errors.insert("consent".into(), Problem::ConsentRequired);
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(LinksError::Validation(errors));
    };
    if submission.website.as_deref().is_some_and(|w| !w.trim().is_empty()) {
        tracing::info!(page = %page.id, "lead form honeypot filled: answered as success, nothing stored");
        return Ok(captured(true));
    }

    let lead = NewLead {
        id: LeadId::new().into_uuid(),
        page_id: page.id,
        block_id,
        email: email.as_str().to_owned(),
        name: name.map(ToOwned::to_owned),
        consent_text: form.consent_text.clone(),
        consent_version: form.consent_text.as_deref().map(consent_version),
        at: now,
    };
    let created = conn
        .transaction::<_, LinksError, _>(async |tx| {
            let (lead_id, created) = leads::upsert(tx, &lead).await?;
            if created {
                let organization = page.organization_id.into();
                let over_quota = over_lead_cap(ctx.quotas.as_ref(), tx, organization, lead_id).await;
                if over_quota {
                    leads::mark_over_quota(tx, lead_id).await?;
                }
                let event = LeadCaptured {
                    lead_id,
                    page_id: page.id,
                    block_id,
                    organization_id: page.organization_id,
                    over_quota,
                };
                outbox::record(tx, &event, now).await?;
            }
            Ok(created)
        })
        .await?;
    Ok(captured(created))
}

/// Counts a new lead against the organization's monthly lead cap, in a savepoint: whether it is
/// over the cap. A failed count is logged and treated as within the cap (the savepoint rolls back
/// alone), so the lead is still stored.
async fn over_lead_cap(
    quotas: &dyn QuotaGate,
    tx: &mut AsyncPgConnection,
    organization: kernel::OrganizationId,
    lead: Uuid,
) -> bool {
    let key = format!("lead:{lead}");
    let usage = Usage {
        organization,
        meter: UsageMeter::LeadsCaptured,
        amount: 1,
        actor: None,
        idempotency_key: &key,
    };
    match tx.transaction::<_, anyhow::Error, _>(async |sp| quotas.check_and_increment(sp, &usage).await).await
    {
        Ok(verdict) => matches!(verdict, Verdict::Exceeded { .. }),
        Err(err) => {
            tracing::warn!(%lead, error = ?err, "the lead could not be counted against the plan; stored unflagged");
            false
        }
    }
}

/// Identifies the exact consent wording a visitor accepted: the first 16 hex digits of its
/// SHA-256, so a changed text is a new version.
#[must_use]
pub fn consent_version(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..8])
}

/// A page of the page's leads, newest first (`links:leads:read`).
///
/// # Errors
/// `Forbidden`, `NotFound`.
pub async fn list(
    ctx: &LinksCtx,
    actor: &Actor,
    page_id: PageId,
    request: PageRequest,
) -> Result<Paged<Lead>, LinksError> {
    actor.require(&Permission::LINKS_LEADS_READ)?;
    let page_id = page_id.into_uuid();
    let mut conn = ctx.db.get().await?;
    let page = pages::find_in_org(&mut conn, actor.organization_id.into_uuid(), page_id)
        .await?
        .ok_or(LinksError::NotFound)?;
    let rows = leads::newest_first(&mut conn, page.id, request.cursor, request.fetch_limit()).await?;
    let paged = Paged::from_rows(rows, &request, LeadRow::cursor);
    Ok(Paged { items: paged.items.iter().map(LeadRow::to_lead).collect(), next_cursor: paged.next_cursor })
}

/// How many leads each of the organization's pages captured over the last `days` UTC days, today
/// included (`links:read`: counts, no personal data). Pages without leads then are absent.
///
/// # Errors
/// `Forbidden`.
pub async fn counts_over(
    ctx: &LinksCtx,
    actor: &Actor,
    days: u32,
) -> Result<HashMap<PageId, u64>, LinksError> {
    actor.require(&Permission::LINKS_READ)?;
    let today = ctx.clock.now().date_naive();
    let first = today - Days::new(u64::from(days.max(1)) - 1);
    let since = first.and_time(NaiveTime::MIN).and_utc();
    let mut conn = ctx.db.get().await?;
    let rows = leads::counts_since(&mut conn, actor.organization_id.into_uuid(), since).await?;
    Ok(rows.into_iter().map(|(page, n)| (page.into(), u64::try_from(n).unwrap_or(0))).collect())
}

/// An export in progress: batches of [`EXPORT_BATCH`] leads, newest first, each read with a
/// pooled connection held only for that batch.
#[derive(Debug)]
pub struct Export {
    ctx: LinksCtx,
    page_id: Uuid,
    /// The page's slug (for the file name).
    pub slug: String,
    after: Option<Cursor>,
    done: bool,
}

impl Export {
    /// The next batch, or `None` when every lead was read.
    ///
    /// # Errors
    /// The database's.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<Lead>>, LinksError> {
        if self.done {
            return Ok(None);
        }
        let mut conn = self.ctx.db.get().await?;
        let rows = leads::newest_first(&mut conn, self.page_id, self.after, EXPORT_BATCH).await?;
        self.done = rows.len() < usize::try_from(EXPORT_BATCH).unwrap_or(usize::MAX);
        self.after = rows.last().map(LeadRow::cursor);
        Ok(if rows.is_empty() { None } else { Some(rows.iter().map(LeadRow::to_lead).collect()) })
    }
}

/// Starts a CSV export of the page's leads (`links:leads:export`); the export is recorded as an
/// event (personal data leaving the system is audited).
///
/// # Errors
/// `Forbidden`, `NotFound`.
pub async fn export(ctx: &LinksCtx, actor: &Actor, page_id: PageId) -> Result<Export, LinksError> {
    actor.require(&Permission::LINKS_LEADS_EXPORT)?;
    let page_id = page_id.into_uuid();
    let mut conn = ctx.db.get().await?;
    let page = pages::find_in_org(&mut conn, actor.organization_id.into_uuid(), page_id)
        .await?
        .ok_or(LinksError::NotFound)?;
    let event = LeadsExported {
        page_id: page.id,
        organization_id: page.organization_id,
        actor_id: actor.user_id.into_uuid(),
    };
    outbox::record(&mut conn, &event, ctx.clock.now()).await?;
    Ok(Export { ctx: ctx.clone(), page_id: page.id, slug: page.slug, after: None, done: false })
}
