//! Views per page over a range, for several pages at once (the dashboard's page cards): the same
//! sums as the report's `totals.views` ([`crate::report`]), in one query. Days already rolled up
//! come from the rollups, the days after a page's latest rollup from the raw rows.

use std::collections::HashMap;

use chrono::{DateTime, Days, Utc};
use contracts::analytics::Range;
use diesel::QueryableByName;
use diesel::sql_types::{Array, BigInt, Date, Uuid as SqlUuid};
use diesel_async::RunQueryDsl as _;
use kernel::db::DbPool;
use uuid::Uuid;

#[derive(QueryableByName)]
struct PageViews {
    #[diesel(sql_type = SqlUuid)]
    page_id: Uuid,
    #[diesel(sql_type = BigInt)]
    views: i64,
}

/// The views of each of `organization`'s `pages` over `range` (the last `range` UTC days, today included), as of
/// `now`. Every page asked about is in the answer, with 0 when it had none.
///
/// # Errors
/// The database's.
pub async fn views_by_page(
    db: &DbPool,
    organization: kernel::OrganizationId,
    pages: &[Uuid],
    range: Range,
    now: DateTime<Utc>,
) -> anyhow::Result<HashMap<Uuid, u64>> {
    if pages.is_empty() {
        return Ok(HashMap::new());
    }
    let start = now.date_naive() - Days::new(u64::from(range.days()) - 1);
    let mut conn = db.get().await?;
    let rows: Vec<PageViews> = diesel::sql_query(
        "WITH asked AS (SELECT unnest($1::uuid[]) AS id), \
         last AS (SELECT page_id, max(day) AS day FROM analytics.daily_rollups \
                  WHERE page_id = ANY($1) GROUP BY page_id) \
         SELECT asked.id AS page_id, ( \
           coalesce((SELECT sum(r.views) FROM analytics.daily_rollups r \
                     WHERE r.page_id = asked.id AND r.organization_id = $3 AND r.day >= $2), 0) \
           + (SELECT count(*) FROM analytics.page_views v WHERE v.page_id = asked.id \
              AND v.organization_id = $3 \
              AND v.occurred_at >= (greatest($2, coalesce(last.day + 1, $2)))::timestamp AT TIME ZONE 'UTC') \
         )::bigint AS views \
         FROM asked LEFT JOIN last ON last.page_id = asked.id",
    )
    .bind::<Array<SqlUuid>, _>(pages)
    .bind::<Date, _>(start)
    .bind::<SqlUuid, _>(organization.into_uuid())
    .load(&mut conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.page_id, u64::try_from(r.views).unwrap_or(0))).collect())
}
