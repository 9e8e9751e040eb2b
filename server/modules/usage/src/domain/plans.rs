//! The port through which usage learns an organization's plan: billing answers it (in the host,
//! with `billing::application::active_plan`); usage never reads billing's tables.

use contracts::billing::PlanId;
use kernel::OrganizationId;

/// Billing's answer to "which plan does this organization have now?" (the `GetActiveSubscription`
/// port of the architecture).
#[async_trait::async_trait]
pub trait ActivePlan: Send + Sync + 'static {
    /// The plan whose access `organization` has now: its subscription's plan while that grants
    /// access (a canceled or past-due one keeps it until the period end), the free plan otherwise.
    ///
    /// # Errors
    /// MUST return an error when the subscription cannot be read — never guess `free`, which would
    /// refuse a paying customer.
    async fn active_plan(&self, organization: OrganizationId) -> anyhow::Result<PlanId>;
}

/// Every organization on one plan (tests, and a host without billing).
#[derive(Debug, Clone, Copy)]
pub struct FixedPlan(pub PlanId);

#[async_trait::async_trait]
impl ActivePlan for FixedPlan {
    async fn active_plan(&self, _: OrganizationId) -> anyhow::Result<PlanId> {
        Ok(self.0)
    }
}
