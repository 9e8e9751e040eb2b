//! The per-page report: totals, clicks per block, a dense per-day series and top referrers over
//! 7, 30 or 90 UTC days. Days already rolled up are read from the rollups; the days after the
//! page's latest rollup (today, and yesterday until the nightly job has run) from the raw rows.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Days, NaiveDate, Utc};
use contracts::analytics::{AnalyticsReport, BlockClicks, DayPoint, Range, Referrer, Totals};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Date, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use kernel::db::DbPool;
use uuid::Uuid;

/// Most referrers listed.
pub const TOP_REFERRERS: usize = 10;

#[derive(QueryableByName)]
struct LastDay {
    #[diesel(sql_type = Nullable<Date>)]
    day: Option<NaiveDate>,
}

#[derive(QueryableByName)]
struct DayRow {
    #[diesel(sql_type = Date)]
    day: NaiveDate,
    #[diesel(sql_type = BigInt)]
    views: i64,
    #[diesel(sql_type = BigInt)]
    uniques: i64,
    #[diesel(sql_type = BigInt)]
    clicks: i64,
}

#[derive(QueryableByName)]
struct KeyCount {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The report of `page` over `range`, as of `now`.
///
/// # Errors
/// The database's.
pub async fn report(
    db: &DbPool,
    page: Uuid,
    range: Range,
    now: DateTime<Utc>,
) -> anyhow::Result<AnalyticsReport> {
    let mut conn = db.get().await?;
    let today = now.date_naive();
    let start = today - Days::new(u64::from(range.days()) - 1);
    let last: LastDay =
        diesel::sql_query("SELECT max(day) AS day FROM analytics.daily_rollups WHERE page_id = $1")
            .bind::<SqlUuid, _>(page)
            .get_result(&mut conn)
            .await?;
    // Raw rows count for every day after the latest rollup (and never before the range).
    let raw_from = last.day.map_or(start, |d| (d + Days::new(1)).max(start));
    let raw_from_ts = raw_from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();

    let mut days: BTreeMap<NaiveDate, DayRow> = BTreeMap::new();
    let rolled: Vec<DayRow> = diesel::sql_query(
        "SELECT day, views::bigint AS views, unique_visitors::bigint AS uniques, clicks::bigint AS clicks \
         FROM analytics.daily_rollups WHERE page_id = $1 AND day >= $2 AND day < $3",
    )
    .bind::<SqlUuid, _>(page)
    .bind::<Date, _>(start)
    .bind::<Date, _>(raw_from)
    .load(&mut conn)
    .await?;
    let raw: Vec<DayRow> = diesel::sql_query(
        "SELECT day, sum(views)::bigint AS views, sum(uniques)::bigint AS uniques, sum(clicks)::bigint AS clicks FROM ( \
           SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, count(*) AS views, count(DISTINCT visitor) AS uniques, 0 AS clicks \
           FROM analytics.page_views WHERE page_id = $1 AND occurred_at >= $2 GROUP BY 1 \
           UNION ALL \
           SELECT (occurred_at AT TIME ZONE 'UTC')::date, 0, 0, count(*) \
           FROM analytics.block_clicks WHERE page_id = $1 AND occurred_at >= $2 GROUP BY 1 \
         ) t GROUP BY day",
    )
    .bind::<SqlUuid, _>(page)
    .bind::<Timestamptz, _>(raw_from_ts)
    .load(&mut conn)
    .await?;
    for row in rolled.into_iter().chain(raw) {
        days.insert(row.day, row);
    }

    let blocks = merged_counts(
        &mut conn,
        "SELECT block_id::text AS key, sum(clicks)::bigint AS count FROM analytics.daily_block_clicks \
         WHERE page_id = $1 AND day >= $2 AND day < $3 GROUP BY block_id",
        "SELECT block_id::text AS key, count(*) AS count FROM analytics.block_clicks \
         WHERE page_id = $1 AND occurred_at >= $2 GROUP BY block_id",
        (page, start, raw_from, raw_from_ts),
    )
    .await?;
    let referrers = merged_counts(
        &mut conn,
        "SELECT referrer_host AS key, sum(views)::bigint AS count FROM analytics.daily_referrers \
         WHERE page_id = $1 AND day >= $2 AND day < $3 GROUP BY referrer_host",
        "SELECT referrer_host AS key, count(*) AS count FROM analytics.page_views \
         WHERE page_id = $1 AND occurred_at >= $2 AND referrer_host IS NOT NULL GROUP BY referrer_host",
        (page, start, raw_from, raw_from_ts),
    )
    .await?;

    let series: Vec<DayPoint> = start
        .iter_days()
        .take_while(|d| *d <= today)
        .map(|d| {
            let row = days.get(&d);
            DayPoint {
                date: d.format("%Y-%m-%d").to_string(),
                views: row.map_or(0, |r| to_u64(r.views)),
                clicks: row.map_or(0, |r| to_u64(r.clicks)),
            }
        })
        .collect();
    let totals = Totals {
        views: series.iter().map(|p| p.views).sum(),
        clicks: series.iter().map(|p| p.clicks).sum(),
        unique_visitors: days.values().filter(|r| r.day >= start).map(|r| to_u64(r.uniques)).sum(),
    };
    Ok(AnalyticsReport {
        totals,
        blocks: ranked(blocks)
            .into_iter()
            .map(|(block_id, clicks)| BlockClicks { block_id, clicks })
            .collect(),
        series,
        referrers: ranked(referrers)
            .into_iter()
            .take(TOP_REFERRERS)
            .map(|(host, views)| Referrer { host, views })
            .collect(),
    })
}

/// Counts by key from the rollups (`rolled_sql`: page `$1`, days `[$2, $3)`) plus the raw rows
/// (`raw_sql`: page `$1`, from instant `$2`).
async fn merged_counts(
    conn: &mut AsyncPgConnection,
    rolled_sql: &str,
    raw_sql: &str,
    (page, start, raw_from, raw_from_ts): (Uuid, NaiveDate, NaiveDate, DateTime<Utc>),
) -> anyhow::Result<HashMap<String, u64>> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    let rolled: Vec<KeyCount> = diesel::sql_query(rolled_sql)
        .bind::<SqlUuid, _>(page)
        .bind::<Date, _>(start)
        .bind::<Date, _>(raw_from)
        .load(conn)
        .await?;
    let raw: Vec<KeyCount> = diesel::sql_query(raw_sql)
        .bind::<SqlUuid, _>(page)
        .bind::<Timestamptz, _>(raw_from_ts)
        .load(conn)
        .await?;
    for row in rolled.into_iter().chain(raw) {
        *counts.entry(row.key).or_default() += to_u64(row.count);
    }
    Ok(counts)
}

/// Most first; ties by key for a stable order.
fn ranked(counts: HashMap<String, u64>) -> Vec<(String, u64)> {
    let mut list: Vec<(String, u64)> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}
