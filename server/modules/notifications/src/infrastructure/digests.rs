//! Lead digests: the leads of one page waiting to go to one member in a single email.

use chrono::{DateTime, Utc};
use diesel::prelude::{BoolExpressionMethods as _, ExpressionMethods, QueryDsl, QueryResult};
use diesel::sql_types::{Integer, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use crate::infrastructure::schema::lead_digests;

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// Adds one lead of `page` to `user`'s open digest of that page, opening one when none is open.
/// Returns the digest's id and whether this lead opened it (then its email must be enqueued).
pub(crate) async fn join(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    page: Uuid,
    organization: Uuid,
    over_quota: bool,
    now: DateTime<Utc>,
) -> QueryResult<(Uuid, bool)> {
    let fresh = Uuid::now_v7();
    let row: Id = diesel::sql_query(
        "INSERT INTO notifications.lead_digests \
           (id, user_id, page_id, organization_id, lead_count, over_quota_count, opened_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $6) \
         ON CONFLICT (user_id, page_id) WHERE closed_at IS NULL DO UPDATE SET \
           lead_count = lead_digests.lead_count + 1, \
           over_quota_count = lead_digests.over_quota_count + EXCLUDED.over_quota_count \
         RETURNING id",
    )
    .bind::<SqlUuid, _>(fresh)
    .bind::<SqlUuid, _>(user)
    .bind::<SqlUuid, _>(page)
    .bind::<SqlUuid, _>(organization)
    .bind::<Integer, _>(i32::from(over_quota))
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .await?;
    Ok((row.id, row.id == fresh))
}

/// Closes the digest `id` (leads from now on open the next one) and returns its (leads,
/// over-quota leads); closing again keeps the first close and answers the same. `None` when the
/// digest is gone (its member left the organization).
pub(crate) async fn close(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Option<(i32, i32)>> {
    let rows: Vec<Counts> = diesel::sql_query(
        "UPDATE notifications.lead_digests SET closed_at = COALESCE(closed_at, $2) WHERE id = $1 \
         RETURNING lead_count, over_quota_count",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Timestamptz, _>(now)
    .load(conn)
    .await?;
    Ok(rows.into_iter().next().map(|c| (c.lead_count, c.over_quota_count)))
}

#[derive(diesel::QueryableByName)]
struct Counts {
    #[diesel(sql_type = Integer)]
    lead_count: i32,
    #[diesel(sql_type = Integer)]
    over_quota_count: i32,
}

/// Deletes `user`'s open digests of `organization`'s pages (they left it): no email follows.
pub(crate) async fn drop_open(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    organization: Uuid,
) -> QueryResult<usize> {
    let open = lead_digests::table.filter(
        lead_digests::user_id
            .eq(user)
            .and(lead_digests::organization_id.eq(organization))
            .and(lead_digests::closed_at.is_null()),
    );
    diesel::delete(open).execute(conn).await
}
