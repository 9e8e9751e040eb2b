//! The plan's caps as the links use cases see them through `kernel::quota::QuotaGate`: a page
//! past the cap is refused and leaves nothing; a lead past the cap is stored, flagged — even when
//! the count itself fails.

use std::sync::Arc;

use contracts::usage::UsageMeter;
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use kernel::OrganizationId;
use kernel::quota::{QuotaGate, Usage, Verdict};
use links::application::leads::{self, Submission};
use links::application::pages;
use links::{LinksCtx, LinksError};
use pretty_assertions::assert_eq;

use crate::{World, add, blank, lead_form, owner, published};

/// A gate whose cap is always reached.
struct Full;

#[async_trait::async_trait]
impl QuotaGate for Full {
    async fn check_and_increment(&self, _: &mut AsyncPgConnection, _: &Usage<'_>) -> anyhow::Result<Verdict> {
        Ok(Verdict::Exceeded { limit: 1 })
    }

    async fn release(&self, _: &mut AsyncPgConnection, _: &Usage<'_>) -> anyhow::Result<()> {
        Ok(())
    }
}

/// A gate whose count fails inside the caller's transaction (a statement error aborts it).
struct Broken;

#[async_trait::async_trait]
impl QuotaGate for Broken {
    async fn check_and_increment(
        &self,
        conn: &mut AsyncPgConnection,
        _: &Usage<'_>,
    ) -> anyhow::Result<Verdict> {
        diesel::sql_query("SELECT 1 / 0").execute(conn).await?;
        Ok(Verdict::Granted)
    }

    async fn release(&self, _: &mut AsyncPgConnection, _: &Usage<'_>) -> anyhow::Result<()> {
        Ok(())
    }
}

fn with_gate(w: &World, gate: impl QuotaGate) -> LinksCtx {
    LinksCtx { quotas: Arc::new(gate), ..w.ctx.clone() }
}

#[tokio::test]
async fn a_page_past_the_cap_is_refused_and_leaves_nothing() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    let full = with_gate(&w, Full);
    let refused = pages::create(&full, &ana, blank("ana-coach")).await.unwrap_err();
    assert!(
        matches!(refused, LinksError::QuotaExceeded { meter: UsageMeter::PagesCreated, limit: 1 }),
        "{refused:?}"
    );
    assert_eq!(w.footprint().await, [0, 0, 0, 0, 0]);
}

#[tokio::test]
async fn a_lead_past_the_cap_is_stored_flagged_and_the_visitor_sees_success() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    let id = published(&w.ctx, &ana, "ana-coach").await;
    let form = add(&w.ctx, &ana, id, lead_form(None)).await;
    let submission = Submission {
        block_id: form.id.to_string(),
        email: "late@example.com".into(),
        ..Submission::default()
    };
    let captured = leads::capture(&with_gate(&w, Full), submission, None).await.unwrap();
    assert!(captured.created);
    let listed =
        leads::list(&w.ctx, &ana, id, kernel::PageRequest::parse(None, None).unwrap()).await.unwrap();
    assert_eq!(
        listed.items.iter().map(|l| (l.email.as_str(), l.over_quota)).collect::<Vec<_>>(),
        [("late@example.com", true)]
    );
    assert_eq!(w.events("lead.captured").await[0]["overQuota"], true);
}

#[tokio::test]
async fn a_lead_is_stored_even_when_it_cannot_be_counted() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    let id = published(&w.ctx, &ana, "ana-coach").await;
    let form = add(&w.ctx, &ana, id, lead_form(None)).await;
    let submission = Submission {
        block_id: form.id.to_string(),
        email: "lea@example.com".into(),
        ..Submission::default()
    };
    let captured = leads::capture(&with_gate(&w, Broken), submission, None).await.unwrap();
    assert!(captured.created);
    let listed =
        leads::list(&w.ctx, &ana, id, kernel::PageRequest::parse(None, None).unwrap()).await.unwrap();
    assert_eq!(
        listed.items.iter().map(|l| (l.email.as_str(), l.over_quota)).collect::<Vec<_>>(),
        [("lea@example.com", false)]
    );
    assert_eq!(w.events("lead.captured").await.len(), 1);
}
