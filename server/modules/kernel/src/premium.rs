//! The premium port: how a context asks whether an organization's plan opens its paid features
//! (today: hiding the "Made with mibio" footer of a public page).
//!
//! Like [`crate::quota`], the port lives here so that the contexts with premium features depend
//! only on `kernel`; the host binds billing's `require_active_subscription` to it, and tests bind
//! [`NoPremium`] or [`AllPremium`].

use crate::OrganizationId;

/// Whether an organization may use paid features now.
#[async_trait::async_trait]
pub trait PremiumAccess: Send + Sync + 'static {
    /// `true` while the organization has a subscription that grants access (trialing, active,
    /// or canceled/past due with paid time left).
    ///
    /// # Errors
    /// When the subscription cannot be read. Callers that gate a write refuse it then; callers
    /// that only decorate a read (the public page) fall back to the free look.
    async fn has_premium(&self, organization: OrganizationId) -> anyhow::Result<bool>;
}

/// Nobody has premium: every organization is on the free plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPremium;

#[async_trait::async_trait]
impl PremiumAccess for NoPremium {
    async fn has_premium(&self, _: OrganizationId) -> anyhow::Result<bool> {
        Ok(false)
    }
}

/// Everybody has premium (tests of the paid features themselves).
#[derive(Debug, Clone, Copy, Default)]
pub struct AllPremium;

#[async_trait::async_trait]
impl PremiumAccess for AllPremium {
    async fn has_premium(&self, _: OrganizationId) -> anyhow::Result<bool> {
        Ok(true)
    }
}
