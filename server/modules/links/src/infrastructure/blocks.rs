//! The blocks repository.

use chrono::{DateTime, Utc};
use contracts::blocks::BlockConfig;
use diesel::prelude::{
    AsChangeset, ExpressionMethods, Insertable, QueryDsl, QueryResult, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use crate::domain::page::{Block, Visibility};
use crate::infrastructure::pages::{PageRow, not_found_as_none};
use crate::infrastructure::schema::{blocks, deleted_blocks, pages};

/// A block row.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = blocks, treat_none_as_null = true)]
pub struct BlockRow {
    pub id: Uuid,
    pub page_id: Uuid,
    pub kind: String,
    pub config: serde_json::Value,
    pub enabled: bool,
    pub position: i32,
    pub visible_from: Option<DateTime<Utc>>,
    pub visible_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl BlockRow {
    /// The block with its typed config.
    ///
    /// # Errors
    /// When the stored config no longer matches its type (it was validated on the way in, so
    /// this means the rules changed under stored data).
    pub fn to_block(&self) -> anyhow::Result<Block> {
        let config: BlockConfig = serde_json::from_value(
            serde_json::json!({"type": self.kind, "config": self.config}),
        )
        .map_err(|e| anyhow::anyhow!("block {} has an unreadable {} config: {e}", self.id, self.kind))?;
        Ok(Block {
            id: self.id.into(),
            page_id: self.page_id.into(),
            config,
            position: self.position,
            visibility: Visibility {
                enabled: self.enabled,
                from: self.visible_from,
                until: self.visible_until,
            },
            updated_at: self.updated_at,
        })
    }
}

/// A page's blocks in position order.
///
/// # Errors
/// The database's.
pub async fn of_page(conn: &mut AsyncPgConnection, page: Uuid) -> QueryResult<Vec<BlockRow>> {
    blocks::table
        .filter(blocks::page_id.eq(page))
        .order(blocks::position.asc())
        .select(BlockRow::as_select())
        .load(conn)
        .await
}

/// Inserts blocks.
///
/// # Errors
/// The database's.
pub async fn insert(conn: &mut AsyncPgConnection, rows: &[BlockRow]) -> QueryResult<()> {
    diesel::insert_into(blocks::table).values(rows).execute(conn).await?;
    Ok(())
}

/// Saves every column of `row`.
///
/// # Errors
/// The database's.
pub async fn update(conn: &mut AsyncPgConnection, row: &BlockRow) -> QueryResult<()> {
    diesel::update(blocks::table.find(row.id)).set(row).execute(conn).await?;
    Ok(())
}

/// Moves blocks to new positions (the unique constraint is checked at commit, so positions may
/// pass each other).
///
/// # Errors
/// The database's.
pub async fn set_positions(
    conn: &mut AsyncPgConnection,
    moves: &[(Uuid, i32)],
    at: DateTime<Utc>,
) -> QueryResult<()> {
    for (id, position) in moves {
        diesel::update(blocks::table.find(id))
            .set((blocks::position.eq(position), blocks::updated_at.eq(at)))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Deletes block `id` of `page`; the number of rows deleted.
///
/// # Errors
/// The database's.
pub async fn delete(conn: &mut AsyncPgConnection, page: Uuid, id: Uuid) -> QueryResult<usize> {
    diesel::delete(blocks::table.filter(blocks::id.eq(id)).filter(blocks::page_id.eq(page)))
        .execute(conn)
        .await
}

/// Keeps a deleted block's row for "Undo", deleted at `at`; a row of the same id (deleted,
/// restored and deleted again) is replaced.
///
/// # Errors
/// The database's.
pub async fn keep_deleted(
    conn: &mut AsyncPgConnection,
    row: &BlockRow,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    let values = (
        deleted_blocks::id.eq(row.id),
        deleted_blocks::page_id.eq(row.page_id),
        deleted_blocks::kind.eq(&row.kind),
        deleted_blocks::config.eq(&row.config),
        deleted_blocks::enabled.eq(row.enabled),
        deleted_blocks::position.eq(row.position),
        deleted_blocks::visible_from.eq(row.visible_from),
        deleted_blocks::visible_until.eq(row.visible_until),
        deleted_blocks::created_at.eq(row.created_at),
        deleted_blocks::updated_at.eq(row.updated_at),
        deleted_blocks::deleted_at.eq(at),
    );
    diesel::insert_into(deleted_blocks::table)
        .values(values)
        .on_conflict(deleted_blocks::id)
        .do_update()
        .set(values)
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes block `id` of `page` out of the deleted ones, if it was deleted at or after `since`.
///
/// # Errors
/// The database's.
pub async fn take_deleted(
    conn: &mut AsyncPgConnection,
    page: Uuid,
    id: Uuid,
    since: DateTime<Utc>,
) -> QueryResult<Option<BlockRow>> {
    diesel::delete(
        deleted_blocks::table
            .filter(deleted_blocks::id.eq(id))
            .filter(deleted_blocks::page_id.eq(page))
            .filter(deleted_blocks::deleted_at.ge(since)),
    )
    .returning((
        deleted_blocks::id,
        deleted_blocks::page_id,
        deleted_blocks::kind,
        deleted_blocks::config,
        deleted_blocks::enabled,
        deleted_blocks::position,
        deleted_blocks::visible_from,
        deleted_blocks::visible_until,
        deleted_blocks::created_at,
        deleted_blocks::updated_at,
    ))
    .get_result::<BlockRow>(conn)
    .await
    .map(Some)
    .or_else(not_found_as_none)
}

/// Forgets `page`'s blocks deleted before `before`; how many.
///
/// # Errors
/// The database's.
pub async fn purge_deleted(
    conn: &mut AsyncPgConnection,
    page: Uuid,
    before: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(
        deleted_blocks::table
            .filter(deleted_blocks::page_id.eq(page))
            .filter(deleted_blocks::deleted_at.lt(before)),
    )
    .execute(conn)
    .await
}

/// Block `id` with its page, whichever organization owns them (for the public lead form).
///
/// # Errors
/// The database's.
pub async fn with_page(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<(BlockRow, PageRow)>> {
    blocks::table
        .inner_join(pages::table)
        .filter(blocks::id.eq(id))
        .select((BlockRow::as_select(), PageRow::as_select()))
        .first(conn)
        .await
        .map(Some)
        .or_else(not_found_as_none)
}
