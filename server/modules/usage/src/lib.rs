//! The usage context: free-tier metering that the product's use cases call.
//!
//! - **Meters** (`domain::meter`): what is counted, its cadence (`lifetime`, `monthly`, `yearly`,
//!   `domain::period`) and a plan → cap map. The contexts that own a meter register it at start-up
//!   (the host does it from `links::domain::quota::METERED`), with caps taken from billing's plans
//!   (`billing::domain::plan::PLANS`): the pricing screen and the enforcer read the same numbers,
//!   and no second table of caps exists. Definitions are stored in `usage.meter_definitions`.
//! - **Counters** (`usage.counters`): one per organization, meter and period; a new period's row is
//!   created by its first use (so a missed rollover blocks nobody), or by the
//!   `usage-period-rollover` job ([`jobs`]), which opens it at zero ahead of time.
//! - **Events** (`usage.events`): append-only, one per counted use — who, what, when, and an
//!   idempotency key so a repeat counts once.
//! - [`QuotaEnforcer::check_and_increment`]: one conditional upsert, atomic under concurrency, run
//!   on the caller's connection inside the caller's transaction, so a rolled-back use case
//!   consumes nothing. The first refusal of a period records `usage.quota_exceeded` in the outbox.
//!   With `USAGE_METERING_ENABLED=false` uses are still counted but never refused.
//!
//! **Ports (the dependency choice).** Metered contexts must count inside their own transactions,
//! so the port they call takes the connection: it is `kernel::quota::QuotaGate`, declared in the
//! shared kernel (next to the pool type it takes), and this crate's [`QuotaEnforcer`] implements
//! it. `links` depends on `kernel` only, never on `usage`; the host hands the enforcer to
//! `LinksCtx` as an `Arc<dyn QuotaGate>`. The other way round, usage reads the organization's plan
//! only through its own port, [`ActivePlan`](domain::plans::ActivePlan) (the architecture's
//! `GetActiveSubscription`), which the host answers with `billing::application::active_plan`;
//! usage never reads billing's tables.

pub mod application;
pub mod domain;
pub(crate) mod infrastructure;
pub mod jobs;

pub use application::{QuotaEnforcer, UsageCtx, UsageError, usage_overview};
pub use domain::meter::{MeterDefinition, Meters};
pub use domain::plans::{ActivePlan, FixedPlan};
