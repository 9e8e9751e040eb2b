//! The entries repository: append and search, nothing else (the table refuses the rest).

use chrono::{DateTime, Utc};
use diesel::TextExpressionMethods as _;
use diesel::prelude::{
    BoolExpressionMethods as _, ExpressionMethods, Insertable, QueryDsl, QueryResult, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use kernel::pagination::Cursor;
use uuid::Uuid;

use crate::domain::entry::NewEntry;
use crate::domain::query::{ActionFilter, AuditQuery};
use crate::infrastructure::schema::entries;

/// An entry as read.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = entries)]
pub struct EntryRow {
    pub id: Uuid,
    pub event_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub action: String,
    pub actor_id: Option<Uuid>,
    pub impersonator_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub metadata: serde_json::Value,
}

impl EntryRow {
    /// Where this entry sits in the newest-first order.
    #[must_use]
    pub const fn cursor(&self) -> Cursor {
        Cursor { at: self.occurred_at, id: self.id }
    }
}

#[derive(Insertable)]
#[diesel(table_name = entries)]
struct Row<'a> {
    id: Uuid,
    event_id: Uuid,
    occurred_at: DateTime<Utc>,
    recorded_at: DateTime<Utc>,
    action: &'a str,
    actor_id: Option<Uuid>,
    impersonator_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    target_type: Option<&'a str>,
    target_id: Option<&'a str>,
    trace_id: Option<&'a str>,
    metadata: &'a serde_json::Value,
}

/// Appends `entry` unless an entry of the same event exists; returns whether it was written.
///
/// # Errors
/// The database's.
pub async fn insert(conn: &mut AsyncPgConnection, entry: &NewEntry) -> QueryResult<bool> {
    let row = Row {
        id: entry.id,
        event_id: entry.event_id,
        occurred_at: entry.occurred_at,
        recorded_at: entry.recorded_at,
        action: &entry.action,
        actor_id: entry.actor_id,
        impersonator_id: entry.impersonator_id,
        organization_id: entry.organization_id,
        target_type: entry.target_type.as_deref(),
        target_id: entry.target_id.as_deref(),
        trace_id: entry.trace_id.as_deref(),
        metadata: &entry.metadata,
    };
    let written = diesel::insert_into(entries::table)
        .values(&row)
        .on_conflict(entries::event_id)
        .do_nothing()
        .execute(conn)
        .await?;
    Ok(written == 1)
}

/// Up to `limit` entries matching `query` (its cursor included), newest first.
///
/// # Errors
/// The database's.
pub async fn search(
    conn: &mut AsyncPgConnection,
    query: &AuditQuery,
    limit: i64,
) -> QueryResult<Vec<EntryRow>> {
    let mut sql = entries::table.into_boxed();
    if let Some(actor) = query.actor {
        sql = sql.filter(entries::actor_id.eq(actor).or(entries::impersonator_id.eq(actor)));
    }
    match &query.action {
        Some(ActionFilter::Exact(action)) => sql = sql.filter(entries::action.eq(action.clone())),
        // Family prefixes are `[a-z0-9_.]`: only `_` needs escaping for LIKE.
        Some(ActionFilter::Family(prefix)) => {
            sql = sql.filter(entries::action.like(format!("{}%", prefix.replace('_', "\\_"))));
        }
        None => {}
    }
    if let Some(organization) = query.organization {
        sql = sql.filter(entries::organization_id.eq(organization));
    }
    if let Some(from) = query.from {
        sql = sql.filter(entries::occurred_at.ge(from));
    }
    if let Some(to) = query.to {
        sql = sql.filter(entries::occurred_at.lt(to));
    }
    if let Some(Cursor { at, id }) = query.cursor {
        sql = sql.filter(entries::occurred_at.lt(at).or(entries::occurred_at.eq(at).and(entries::id.lt(id))));
    }
    sql.order((entries::occurred_at.desc(), entries::id.desc()))
        .limit(limit)
        .select(EntryRow::as_select())
        .load(conn)
        .await
}
