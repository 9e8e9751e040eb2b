//! The events the subscriber has acted on, and the pruning of this context's bookkeeping.

use chrono::{DateTime, Utc};
use diesel::prelude::{ExpressionMethods, QueryDsl, QueryResult};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use crate::infrastructure::schema::{handled_events, lead_digests, unsubscribe_tokens};

/// Records that event `id` is being handled; `false` when it was already (a redelivery). Call it
/// in the transaction of what the handling writes.
pub(crate) async fn mark(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    event_type: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let written = diesel::insert_into(handled_events::table)
        .values((
            handled_events::event_id.eq(id),
            handled_events::event_type.eq(event_type),
            handled_events::handled_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(written == 1)
}

/// What [`prune`] deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Pruned {
    pub handled_events: usize,
    pub digests: usize,
    pub tokens: usize,
}

/// Deletes the bookkeeping nobody needs any more: handled events and closed digests before
/// `handled_before`; used tokens before `handled_before`, unused ones before `tokens_before`.
pub(crate) async fn prune(
    conn: &mut AsyncPgConnection,
    handled_before: DateTime<Utc>,
    tokens_before: DateTime<Utc>,
) -> QueryResult<Pruned> {
    let handled_events =
        diesel::delete(handled_events::table.filter(handled_events::handled_at.lt(handled_before)))
            .execute(conn)
            .await?;
    let digests = diesel::delete(lead_digests::table.filter(lead_digests::closed_at.lt(handled_before)))
        .execute(conn)
        .await?;
    let used =
        diesel::delete(unsubscribe_tokens::table.filter(unsubscribe_tokens::used_at.lt(handled_before)))
            .execute(conn)
            .await?;
    let old =
        diesel::delete(unsubscribe_tokens::table.filter(unsubscribe_tokens::created_at.lt(tokens_before)))
            .execute(conn)
            .await?;
    Ok(Pruned { handled_events, digests, tokens: used + old })
}
