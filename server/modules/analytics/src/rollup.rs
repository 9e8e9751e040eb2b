//! The nightly jobs: `analytics-rollup` materialises one UTC day of raw rows into the daily
//! tables (idempotent: running it twice for a day writes the same rows), and `analytics-prune`
//! deletes raw rows older than 90 days (rollups are kept forever).

use chrono::{DateTime, Days, NaiveDate, Utc};
use diesel::sql_types::{Date, Timestamptz};
use diesel_async::{AsyncConnection as _, RunQueryDsl as _};
use kernel::db::DbPool;

/// How long raw rows are kept.
pub const RAW_RETENTION_DAYS: u64 = 90;

/// What a rollup wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RolledUp {
    /// Pages with activity that day.
    pub pages: usize,
}

/// Materialises `day` (UTC) for every page with activity that day.
///
/// # Errors
/// The database's (nothing is written then).
pub async fn rollup(db: &DbPool, day: NaiveDate) -> anyhow::Result<RolledUp> {
    let from = day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let to = (day + Days::new(1)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let mut conn = db.get().await?;
    let pages = conn
        .transaction::<_, anyhow::Error, _>(async |tx| {
            let bind = |sql: &'static str| {
                diesel::sql_query(sql).bind::<Date, _>(day).bind::<Timestamptz, _>(from).bind::<Timestamptz, _>(to)
            };
            let pages = bind(
                "INSERT INTO analytics.daily_rollups (page_id, day, organization_id, views, unique_visitors, clicks) \
                 SELECT page_id, $1, organization_id, sum(views), sum(uniques), sum(clicks) FROM ( \
                   SELECT page_id, organization_id, count(*) AS views, count(DISTINCT visitor) AS uniques, 0 AS clicks \
                   FROM analytics.page_views WHERE occurred_at >= $2 AND occurred_at < $3 GROUP BY page_id, organization_id \
                   UNION ALL \
                   SELECT page_id, organization_id, 0, 0, count(*) \
                   FROM analytics.block_clicks WHERE occurred_at >= $2 AND occurred_at < $3 GROUP BY page_id, organization_id \
                 ) t GROUP BY page_id, organization_id \
                 ON CONFLICT (page_id, day) DO UPDATE SET organization_id = EXCLUDED.organization_id, \
                   views = EXCLUDED.views, unique_visitors = EXCLUDED.unique_visitors, clicks = EXCLUDED.clicks",
            )
            .execute(tx)
            .await?;
            bind(
                "INSERT INTO analytics.daily_block_clicks (page_id, block_id, day, clicks) \
                 SELECT page_id, block_id, $1, count(*) FROM analytics.block_clicks \
                 WHERE occurred_at >= $2 AND occurred_at < $3 GROUP BY page_id, block_id \
                 ON CONFLICT (page_id, day, block_id) DO UPDATE SET clicks = EXCLUDED.clicks",
            )
            .execute(tx)
            .await?;
            bind(
                "INSERT INTO analytics.daily_referrers (page_id, day, referrer_host, views) \
                 SELECT page_id, $1, referrer_host, count(*) FROM analytics.page_views \
                 WHERE occurred_at >= $2 AND occurred_at < $3 AND referrer_host IS NOT NULL \
                 GROUP BY page_id, referrer_host \
                 ON CONFLICT (page_id, day, referrer_host) DO UPDATE SET views = EXCLUDED.views",
            )
            .execute(tx)
            .await?;
            Ok(pages)
        })
        .await?;
    Ok(RolledUp { pages })
}

/// The day a rollup job covers: its `date` payload (`YYYY-MM-DD`), or the day before `now`.
///
/// # Errors
/// A `date` that is not a date.
pub fn rollup_day(payload: &serde_json::Value, now: DateTime<Utc>) -> anyhow::Result<NaiveDate> {
    match payload.get("date").and_then(serde_json::Value::as_str) {
        Some(date) => NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| anyhow::anyhow!("date: {date:?} is not a YYYY-MM-DD date")),
        None => Ok(now.date_naive() - Days::new(1)),
    }
}

/// Deletes raw views and clicks older than 90 days before `now`; the number of rows deleted.
///
/// # Errors
/// The database's.
pub async fn prune(db: &DbPool, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let cutoff = now - chrono::Duration::days(i64::try_from(RAW_RETENTION_DAYS).unwrap_or(90));
    let mut conn = db.get().await?;
    let mut deleted = 0;
    for sql in [
        "DELETE FROM analytics.page_views WHERE occurred_at < $1",
        "DELETE FROM analytics.block_clicks WHERE occurred_at < $1",
    ] {
        deleted += diesel::sql_query(sql).bind::<Timestamptz, _>(cutoff).execute(&mut conn).await?;
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rollup_covers_yesterday_unless_told_a_date() {
        let now = DateTime::parse_from_rfc3339("2026-11-25T03:15:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(rollup_day(&serde_json::json!({}), now).unwrap().to_string(), "2026-11-24");
        assert_eq!(
            rollup_day(&serde_json::json!({"date": "2026-11-01"}), now).unwrap().to_string(),
            "2026-11-01"
        );
        assert!(rollup_day(&serde_json::json!({"date": "yesterday"}), now).is_err());
    }
}
