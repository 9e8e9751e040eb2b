//! The overview: counts read across the contexts' schemas (read only; the platform reader is the
//! one place allowed to look over every schema, as seed 000 describes).

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::prelude::QueryResult;
use diesel::sql_types::{BigInt, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};

/// The platform's numbers.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Counts {
    #[diesel(sql_type = BigInt)]
    pub users: i64,
    #[diesel(sql_type = BigInt)]
    pub active_users: i64,
    #[diesel(sql_type = BigInt)]
    pub new_users: i64,
    #[diesel(sql_type = BigInt)]
    pub organizations: i64,
    #[diesel(sql_type = BigInt)]
    pub pages: i64,
    #[diesel(sql_type = BigInt)]
    pub published_pages: i64,
    #[diesel(sql_type = BigInt)]
    pub leads: i64,
    #[diesel(sql_type = BigInt)]
    pub views: i64,
    #[diesel(sql_type = BigInt)]
    pub clicks: i64,
    #[diesel(sql_type = BigInt)]
    pub dead_jobs: i64,
    #[diesel(sql_type = BigInt)]
    pub dead_events: i64,
}

/// The counts, with the "recent" ones (new users, leads, views, clicks) since `since`.
///
/// # Errors
/// The database's.
pub async fn counts(conn: &mut AsyncPgConnection, since: DateTime<Utc>) -> QueryResult<Counts> {
    diesel::sql_query(
        "SELECT (SELECT count(*) FROM iam.users) AS users, \
                (SELECT count(*) FROM iam.users WHERE active) AS active_users, \
                (SELECT count(*) FROM iam.users WHERE created_at >= $1) AS new_users, \
                (SELECT count(*) FROM tenancy.organizations) AS organizations, \
                (SELECT count(*) FROM links.pages) AS pages, \
                (SELECT count(*) FROM links.pages WHERE published) AS published_pages, \
                (SELECT count(*) FROM links.leads WHERE created_at >= $1) AS leads, \
                (SELECT count(*) FROM analytics.page_views WHERE occurred_at >= $1) AS views, \
                (SELECT count(*) FROM analytics.block_clicks WHERE occurred_at >= $1) AS clicks, \
                (SELECT count(*) FROM kernel.jobs WHERE state = 'dead') AS dead_jobs, \
                (SELECT count(*) FROM kernel.outbox WHERE dead_at IS NOT NULL) AS dead_events",
    )
    .bind::<Timestamptz, _>(since)
    .get_result(conn)
    .await
}
