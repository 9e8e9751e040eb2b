//! The ports contexts declare for each other, answered here: tenancy's `UserDirectory` and
//! audit's `AuditUsers` by the identity context, analytics' `PageLookup` by the links context's
//! cached read path and its `PageOwners` by the links context's pages, usage's `ActivePlan` and
//! links' `PremiumAccess` by billing; notifications' `Recipients` by iam, tenancy and links; and the
//! usage meters the links context owns, capped by billing's plans.

use iam::IamCtx;
use iam::application::users;
use tenancy::application::{DirectoryUser, UserDirectory};
use uuid::Uuid;

/// The user directory over iam's use cases.
pub struct IamDirectory(pub IamCtx);

#[async_trait::async_trait]
impl UserDirectory for IamDirectory {
    async fn users(&self, ids: &[Uuid]) -> anyhow::Result<Vec<DirectoryUser>> {
        let ids: Vec<iam::UserId> = ids.iter().copied().map(iam::UserId::from).collect();
        let found = users::get_many(&self.0, &ids).await.map_err(|e| anyhow::anyhow!(e))?;
        Ok(found
            .into_iter()
            .map(|u| DirectoryUser { id: u.id.into_uuid(), email: u.email, name: u.name })
            .collect())
    }
}

#[async_trait::async_trait]
impl audit::AuditUsers for IamDirectory {
    async fn users(&self, ids: &[Uuid]) -> anyhow::Result<Vec<audit::DirectoryUser>> {
        let found = UserDirectory::users(self, ids).await?;
        Ok(found
            .into_iter()
            .map(|u| audit::DirectoryUser { id: u.id, email: u.email, name: u.name })
            .collect())
    }
}

/// Notifications' directory: people from iam (active users only), who holds a permission in an
/// organization and its name from tenancy, pages from links — each through its own use cases.
pub struct NotificationsDirectory {
    pub iam: IamCtx,
    pub tenancy: tenancy::TenancyCtx,
    pub links: links::LinksCtx,
}

fn recipient(user: iam::User) -> Option<notifications::Recipient> {
    user.active.then_some(notifications::Recipient {
        user_id: user.id,
        email: user.email,
        name: user.name,
        locale: user.locale,
    })
}

#[async_trait::async_trait]
impl notifications::Recipients for NotificationsDirectory {
    async fn user(&self, id: kernel::UserId) -> anyhow::Result<Option<notifications::Recipient>> {
        let user = users::get_active(&self.iam, id).await.map_err(|e| anyhow::anyhow!(e))?;
        Ok(user.and_then(recipient))
    }

    async fn organization_members_with(
        &self,
        organization: kernel::OrganizationId,
        permission: &contracts::permissions::Permission,
    ) -> anyhow::Result<Vec<notifications::Recipient>> {
        let ids = tenancy::application::directory::members_with(&self.tenancy, organization, permission)
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let found = users::get_many(&self.iam, &ids).await.map_err(|e| anyhow::anyhow!(e))?;
        Ok(found.into_iter().filter_map(recipient).collect())
    }

    async fn page(&self, id: Uuid) -> anyhow::Result<Option<notifications::PageSummary>> {
        let page =
            links::application::pages::by_id(&self.links, id.into()).await.map_err(|e| anyhow::anyhow!(e))?;
        Ok(page.map(|p| notifications::PageSummary {
            id: p.id.into_uuid(),
            organization_id: p.organization_id,
            slug: p.slug,
            title: p.title,
        }))
    }

    async fn organization_name(&self, id: kernel::OrganizationId) -> anyhow::Result<Option<String>> {
        tenancy::application::directory::organization_name(&self.tenancy, id)
            .await
            .map_err(|e| anyhow::anyhow!(e))
    }
}

/// Usage's plan port over billing's subscriptions.
pub struct BillingPlans(pub billing::BillingCtx);

#[async_trait::async_trait]
impl usage::ActivePlan for BillingPlans {
    async fn active_plan(
        &self,
        organization: kernel::OrganizationId,
    ) -> anyhow::Result<contracts::billing::PlanId> {
        billing::application::active_plan(&self.0, organization).await.map_err(anyhow::Error::new)
    }
}

/// The links context's premium port over billing's subscriptions: premium while the
/// organization's subscription grants access.
pub struct BillingPremium(pub billing::BillingCtx);

#[async_trait::async_trait]
impl kernel::premium::PremiumAccess for BillingPremium {
    async fn has_premium(&self, organization: kernel::OrganizationId) -> anyhow::Result<bool> {
        match billing::application::require_active_subscription(&self.0, organization).await {
            Ok(()) => Ok(true),
            Err(billing::BillingError::SubscriptionRequired) => Ok(false),
            Err(other) => Err(anyhow::Error::new(other)),
        }
    }
}

/// The meters registered at start-up: each context's own (links' pages and leads), each capped
/// by the plans' caps (`billing::PLANS`, what the pricing screen shows).
///
/// # Panics
/// When a meter is declared twice (a programming error caught at start-up).
#[must_use]
pub fn usage_meters() -> usage::Meters {
    let mut meters = usage::Meters::new();
    for m in links::domain::quota::METERED {
        let definition = usage::MeterDefinition::new(m.meter, m.cadence, |plan| {
            billing::Plan::get(plan).limit(m.plan_cap).map(u64::from)
        });
        if let Err(e) = meters.register(definition) {
            panic!("{e}");
        }
    }
    meters
}

/// Analytics' page lookup over the links context's public read path (cached).
pub struct LinksPages(pub links::LinksCtx);

impl LinksPages {
    fn page_ref(page: &links::cache::CachedPage) -> Option<analytics::PageRef> {
        Some(analytics::PageRef {
            page_id: page.page.id.parse().ok()?,
            organization_id: page.organization_id,
            blocks: page.blocks.iter().filter_map(|(b, _)| b.id.parse().ok()).collect(),
        })
    }
}

#[async_trait::async_trait]
impl analytics::application::PageOwners for LinksPages {
    async fn organization_of(&self, page: Uuid) -> anyhow::Result<Option<kernel::OrganizationId>> {
        links::application::pages::organization_of(&self.0, page.into()).await.map_err(|e| anyhow::anyhow!(e))
    }
}

#[async_trait::async_trait]
impl analytics::PageLookup for LinksPages {
    async fn by_slug(&self, slug: &str) -> anyhow::Result<Option<analytics::PageRef>> {
        let found =
            links::application::public::page_by_slug(&self.0, slug).await.map_err(|e| anyhow::anyhow!(e))?;
        Ok(found.and_then(|(page, _)| Self::page_ref(&page)))
    }

    async fn by_block(&self, block: Uuid) -> anyhow::Result<Option<analytics::PageRef>> {
        let slug = links::application::public::slug_of_block(&self.0, block)
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        match slug {
            Some(slug) => self.by_slug(&slug).await,
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use contracts::billing::{Meter, PlanId};
    use contracts::usage::{Cadence, UsageMeter};

    use super::usage_meters;

    #[test]
    fn the_meters_caps_are_the_plans_caps() {
        let meters = usage_meters();
        for plan in PlanId::ALL {
            let caps = billing::Plan::get(*plan);
            let pages = meters.get(UsageMeter::PagesCreated).expect("pages are metered");
            let leads = meters.get(UsageMeter::LeadsCaptured).expect("leads are metered");
            assert_eq!(pages.cap(*plan), caps.limit(Meter::Pages).map(u64::from), "{plan}");
            assert_eq!(leads.cap(*plan), caps.limit(Meter::LeadsPerMonth).map(u64::from), "{plan}");
        }
        assert_eq!(meters.get(UsageMeter::PagesCreated).map(|m| m.cadence), Some(Cadence::Lifetime));
        assert_eq!(meters.get(UsageMeter::LeadsCaptured).map(|m| m.cadence), Some(Cadence::Monthly));
        assert_eq!(meters.get(UsageMeter::LeadsCaptured).and_then(|m| m.cap(PlanId::Free)), Some(50));
    }
}
