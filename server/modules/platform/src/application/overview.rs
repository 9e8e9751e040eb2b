//! The admin console's first screen.

use chrono::TimeDelta;
use contracts::platform::PlatformOverview;
use kernel::DomainResult;

use crate::application::PlatformCtx;
use crate::infrastructure::overview;

/// The window of the overview's recent counts.
pub const RECENT: TimeDelta = TimeDelta::days(7);

/// The platform's numbers now.
///
/// # Errors
/// Database failures.
pub async fn overview(ctx: &PlatformCtx) -> DomainResult<PlatformOverview> {
    let since = ctx.clock.now() - RECENT;
    let mut conn = ctx.db.get().await?;
    let c = overview::counts(&mut conn, since).await?;
    Ok(PlatformOverview {
        users: c.users,
        active_users: c.active_users,
        new_users_7d: c.new_users,
        organizations: c.organizations,
        pages: c.pages,
        published_pages: c.published_pages,
        leads_7d: c.leads,
        views_7d: c.views,
        clicks_7d: c.clicks,
        dead_jobs: c.dead_jobs,
        dead_events: c.dead_events,
        // Billing is not built yet: no subscriptions exist to count.
        subscriptions_by_status: std::collections::BTreeMap::new(),
    })
}
