//! The quota port: how a use case that produces something billable (a page, a lead) asks whether
//! the organization's plan still allows it, and counts it.
//!
//! The port lives here, not in the `usage` context, so that the contexts that meter something
//! (`links` today) depend only on `kernel`; the host binds the `usage` context's `QuotaEnforcer`
//! to it (or [`Unmetered`] in tests that do not care). It takes the caller's connection because
//! the count must be part of the caller's transaction: a use case that rolls back consumes
//! nothing.

use contracts::usage::UsageMeter;
use diesel_async::AsyncPgConnection;

use crate::{OrganizationId, UserId};

/// One use of a meter, as the use case that produces it describes it.
#[derive(Debug, Clone, Copy)]
pub struct Usage<'a> {
    pub organization: OrganizationId,
    pub meter: UsageMeter,
    /// How many units (1 for a page or a lead).
    pub amount: u32,
    /// Who caused it; `None` for a visitor (a lead form).
    pub actor: Option<UserId>,
    /// Names the thing counted (`page:{id}`, `lead:{id}`): the same key for the same meter and
    /// organization is counted once.
    pub idempotency_key: &'a str,
}

/// Whether a use may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Counted (or counted before under the same key).
    Granted,
    /// The plan's cap of `limit` per period would be passed: nothing was counted.
    Exceeded { limit: u64 },
}

/// Counts uses of metered things against the organization's plan.
#[async_trait::async_trait]
pub trait QuotaGate: Send + Sync + 'static {
    /// Counts `usage` on `conn` — inside the caller's transaction — when the plan's cap for the
    /// current period allows it, atomically (concurrent calls can never pass the cap together).
    ///
    /// # Errors
    /// MUST return an error (never `Exceeded`) when the count cannot be made: the database's, or
    /// the plan cannot be read. The caller's transaction then rolls back.
    async fn check_and_increment(
        &self,
        conn: &mut AsyncPgConnection,
        usage: &Usage<'_>,
    ) -> anyhow::Result<Verdict>;

    /// Gives `usage.amount` units of the current period back on `conn`, inside the caller's
    /// transaction (a deleted page frees its place under the plan's page cap); never below zero,
    /// and a key given back before is not given back twice.
    ///
    /// # Errors
    /// The database's.
    async fn release(&self, conn: &mut AsyncPgConnection, usage: &Usage<'_>) -> anyhow::Result<()>;
}

/// A gate that grants everything and counts nothing (tests of other rules).
#[derive(Debug, Clone, Copy, Default)]
pub struct Unmetered;

#[async_trait::async_trait]
impl QuotaGate for Unmetered {
    async fn check_and_increment(&self, _: &mut AsyncPgConnection, _: &Usage<'_>) -> anyhow::Result<Verdict> {
        Ok(Verdict::Granted)
    }

    async fn release(&self, _: &mut AsyncPgConnection, _: &Usage<'_>) -> anyhow::Result<()> {
        Ok(())
    }
}
