//! Reading the log: a page of entries, newest first, with the people resolved.

use std::collections::{BTreeSet, HashMap};

use chrono::SecondsFormat;
use contracts::audit::{AuditEntryView, AuditUser};
use kernel::pagination::Paged;
use uuid::Uuid;

use crate::application::{AuditCtx, AuditError, DirectoryUser};
use crate::domain::query::AuditQuery;
use crate::infrastructure::entries::{self, EntryRow};

/// A page of the entries matching `query`, newest first (by when they happened). Only platform
/// admins may read the log: the adapters call this behind their admin check.
///
/// # Errors
/// `Unavailable`, `Internal` (also when the user directory cannot be read).
#[tracing::instrument(skip(ctx))]
pub async fn query(ctx: &AuditCtx, query: &AuditQuery) -> Result<Paged<AuditEntryView>, AuditError> {
    let page = query.page();
    let rows = {
        let mut conn = ctx.db.get().await?;
        entries::search(&mut conn, query, page.fetch_limit()).await?
    };
    let rows = Paged::from_rows(rows, &page, EntryRow::cursor);
    let ids: BTreeSet<Uuid> =
        rows.items.iter().flat_map(|r| [r.actor_id, r.impersonator_id]).flatten().collect();
    let people: HashMap<Uuid, DirectoryUser> = if ids.is_empty() {
        HashMap::new()
    } else {
        let ids: Vec<Uuid> = ids.into_iter().collect();
        ctx.users.users(&ids).await?.into_iter().map(|u| (u.id, u)).collect()
    };
    let person = |id: Option<Uuid>| {
        id.map(|id| {
            let known = people.get(&id);
            AuditUser {
                id: id.to_string(),
                email: known.map(|u| u.email.clone()),
                name: known.map(|u| u.name.clone()),
            }
        })
    };
    let items = rows
        .items
        .into_iter()
        .map(|r| AuditEntryView {
            id: r.id.to_string(),
            event_id: r.event_id.to_string(),
            occurred_at: r.occurred_at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            recorded_at: r.recorded_at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            actor: person(r.actor_id),
            impersonator: person(r.impersonator_id),
            organization_id: r.organization_id.map(|o| o.to_string()),
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            metadata: r.metadata,
        })
        .collect();
    Ok(Paged { items, next_cursor: rows.next_cursor })
}
