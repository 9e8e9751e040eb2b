//! The subscriptions and processed-events repository.

use chrono::{DateTime, Utc};
use diesel::prelude::{
    ExpressionMethods, Insertable, OptionalExtension as _, QueryDsl, QueryResult, Queryable, Selectable,
    SelectableHelper,
};
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use kernel::OrganizationId;
use uuid::Uuid;

use crate::domain::subscription::{ProviderKind, Subscription};
use crate::infrastructure::schema::{processed_events, subscriptions};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = subscriptions)]
struct SubscriptionRow {
    id: Uuid,
    organization_id: Uuid,
    plan: String,
    status: String,
    provider: String,
    provider_customer_id: Option<String>,
    provider_subscription_id: Option<String>,
    current_period_end: Option<DateTime<Utc>>,
    cancel_at_period_end: bool,
    last_event_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn corrupt(what: &str, value: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(
        format!("billing.subscriptions: unknown {what} `{value}`").into(),
    )
}

impl TryFrom<SubscriptionRow> for Subscription {
    type Error = diesel::result::Error;

    fn try_from(r: SubscriptionRow) -> QueryResult<Self> {
        Ok(Self {
            id: r.id.into(),
            organization_id: r.organization_id.into(),
            plan: r.plan.parse().map_err(|_| corrupt("plan", &r.plan))?,
            status: r.status.parse().map_err(|_| corrupt("status", &r.status))?,
            provider: ProviderKind::from_key(&r.provider).ok_or_else(|| corrupt("provider", &r.provider))?,
            provider_customer_id: r.provider_customer_id,
            provider_subscription_id: r.provider_subscription_id,
            current_period_end: r.current_period_end,
            cancel_at_period_end: r.cancel_at_period_end,
            last_event_at: r.last_event_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

impl From<&Subscription> for SubscriptionRow {
    fn from(s: &Subscription) -> Self {
        Self {
            id: s.id.into(),
            organization_id: s.organization_id.into(),
            plan: s.plan.key().to_owned(),
            status: s.status.key().to_owned(),
            provider: s.provider.key().to_owned(),
            provider_customer_id: s.provider_customer_id.clone(),
            provider_subscription_id: s.provider_subscription_id.clone(),
            current_period_end: s.current_period_end,
            cancel_at_period_end: s.cancel_at_period_end,
            last_event_at: s.last_event_at,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// The organization's subscription, if it ever had one.
pub(crate) async fn find_by_org(
    conn: &mut AsyncPgConnection,
    org: OrganizationId,
) -> QueryResult<Option<Subscription>> {
    subscriptions::table
        .filter(subscriptions::organization_id.eq(Uuid::from(org)))
        .select(SubscriptionRow::as_select())
        .first(conn)
        .await
        .optional()?
        .map(Subscription::try_from)
        .transpose()
}

/// The subscriptions of `orgs` (those that ever subscribed), in one query.
pub(crate) async fn find_by_orgs(
    conn: &mut AsyncPgConnection,
    orgs: &[OrganizationId],
) -> QueryResult<Vec<Subscription>> {
    let ids: Vec<Uuid> = orgs.iter().copied().map(Uuid::from).collect();
    subscriptions::table
        .filter(subscriptions::organization_id.eq_any(ids))
        .select(SubscriptionRow::as_select())
        .load(conn)
        .await?
        .into_iter()
        .map(Subscription::try_from)
        .collect()
}

/// Like [`find_by_org`], locking the row until the transaction ends (so concurrent deliveries
/// for one organization apply one after the other).
pub(crate) async fn lock_by_org(
    conn: &mut AsyncPgConnection,
    org: OrganizationId,
) -> QueryResult<Option<Subscription>> {
    subscriptions::table
        .filter(subscriptions::organization_id.eq(Uuid::from(org)))
        .select(SubscriptionRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?
        .map(Subscription::try_from)
        .transpose()
}

/// Writes the organization's subscription (one per organization). The update only applies when
/// the stored `last_event_at` is not newer, so a concurrent first insert cannot be regressed by a
/// late, older event either. Answers whether the row was written.
pub(crate) async fn upsert(conn: &mut AsyncPgConnection, s: &Subscription) -> QueryResult<bool> {
    let upsert = diesel::insert_into(subscriptions::table)
        .values(SubscriptionRow::from(s))
        .on_conflict(subscriptions::organization_id)
        .do_update()
        .set((
            subscriptions::plan.eq(excluded(subscriptions::plan)),
            subscriptions::status.eq(excluded(subscriptions::status)),
            subscriptions::provider.eq(excluded(subscriptions::provider)),
            subscriptions::provider_customer_id.eq(excluded(subscriptions::provider_customer_id)),
            subscriptions::provider_subscription_id.eq(excluded(subscriptions::provider_subscription_id)),
            subscriptions::current_period_end.eq(excluded(subscriptions::current_period_end)),
            subscriptions::cancel_at_period_end.eq(excluded(subscriptions::cancel_at_period_end)),
            subscriptions::last_event_at.eq(excluded(subscriptions::last_event_at)),
            subscriptions::updated_at.eq(excluded(subscriptions::updated_at)),
        ));
    // `ON CONFLICT … DO UPDATE … WHERE`: diesel's filter on the upsert, not `QueryDsl::filter`.
    let written = diesel::query_dsl::methods::FilterDsl::filter(
        upsert,
        subscriptions::last_event_at.le(excluded(subscriptions::last_event_at)),
    )
    .execute(conn)
    .await?;
    Ok(written == 1)
}

/// Records that the provider's event was received; answers `false` when it already was.
pub(crate) async fn mark_processed(
    conn: &mut AsyncPgConnection,
    provider: ProviderKind,
    event_id: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(processed_events::table)
        .values((
            processed_events::provider.eq(provider.key()),
            processed_events::event_id.eq(event_id),
            processed_events::received_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(inserted == 1)
}

/// How many subscriptions are in each status (by the stored status key).
pub(crate) async fn count_by_status(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(String, i64)>> {
    subscriptions::table
        .group_by(subscriptions::status)
        .select((subscriptions::status, diesel::dsl::count_star()))
        .load(conn)
        .await
}
