//! Blocks of a page: add, edit (config, enabled, position, visibility window), delete. Every
//! write locks the page row, so concurrent edits of one page cannot interleave their positions.

use chrono::{DateTime, TimeDelta, Utc};
use contracts::blocks::BlockConfig;
use contracts::links::PAGE_BLOCKS_MAX;
use contracts::permissions::Permission;
use contracts::{Problem, Problems};
use diesel_async::{AsyncConnection as _, AsyncPgConnection};
use kernel::Actor;
use runtime::outbox;
use uuid::Uuid;

use crate::application::{LinksCtx, LinksError};
use crate::domain::events::{BlockAdded, BlockFacts, BlockRemoved, BlockRestored, BlockUpdated};
use crate::domain::page::{Block, BlockId, PageId, parse_instant};
use crate::domain::placement::{MAX_POSITION, Placement, PlacementError, place};
use crate::infrastructure::blocks::{self, BlockRow};
use crate::infrastructure::pages::{self, PageRow};

/// Where a block goes, as the client said it (`position` or `afterBlockId`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlacementInput {
    pub position: Option<i32>,
    /// `Some(None)`: first; `Some(Some(id))`: right after that block.
    pub after_block_id: Option<Option<String>>,
}

/// A new block.
#[derive(Debug, Clone)]
pub struct NewBlock {
    pub kind: String,
    pub config: serde_json::Value,
    pub enabled: Option<bool>,
    pub placement: PlacementInput,
    pub visible_from: Option<String>,
    pub visible_until: Option<String>,
}

/// What a block edit changes. The type never changes; a new config is validated against it.
#[derive(Debug, Clone, Default)]
pub struct BlockChanges {
    pub config: Option<serde_json::Value>,
    pub enabled: Option<bool>,
    pub placement: PlacementInput,
    /// `Some(None)` clears the start of the window.
    pub visible_from: Option<Option<String>>,
    /// `Some(None)` clears the end of the window.
    pub visible_until: Option<Option<String>>,
}

impl From<contracts::links::CreateBlockInput> for NewBlock {
    fn from(input: contracts::links::CreateBlockInput) -> Self {
        Self {
            kind: input.kind,
            config: input.config,
            enabled: input.enabled,
            placement: PlacementInput { position: input.position, after_block_id: input.after_block_id },
            visible_from: input.visible_from,
            visible_until: input.visible_until,
        }
    }
}

impl From<contracts::links::UpdateBlockInput> for BlockChanges {
    fn from(input: contracts::links::UpdateBlockInput) -> Self {
        Self {
            config: input.config,
            enabled: input.enabled,
            placement: PlacementInput { position: input.position, after_block_id: input.after_block_id },
            visible_from: input.visible_from,
            visible_until: input.visible_until,
        }
    }
}

fn placement(input: &PlacementInput, errors: &mut Problems) -> Option<Placement> {
    match (input.position, &input.after_block_id) {
        (Some(_), Some(_)) => {
            let both = Problem::NotBoth { first: "position".into(), second: "afterBlockId".into() };
            errors.insert("position".into(), both);
            None
        }
        (Some(position), None) => Some(Placement::At(position)),
        (None, Some(None)) => Some(Placement::First),
        (None, Some(Some(id))) => match id.parse::<Uuid>() {
            Ok(id) => Some(Placement::After(BlockId::from(id))),
            Err(_) => {
                errors.insert("afterBlockId".into(), Problem::NotABlockOfPage);
                None
            }
        },
        (None, None) => None,
    }
}

fn instant(field: &str, raw: Option<&str>, errors: &mut Problems) -> Option<DateTime<Utc>> {
    raw.and_then(|raw| parse_instant(raw).map_err(|p| errors.insert(field.to_owned(), p)).ok())
}

fn check_window(from: Option<DateTime<Utc>>, until: Option<DateTime<Utc>>, errors: &mut Problems) {
    if let (Some(from), Some(until)) = (from, until)
        && until <= from
    {
        errors
            .entry("visibleUntil".into())
            .or_insert_with(|| Problem::MustBeAfter { field: "visibleFrom".into() });
    }
}

/// Puts `block` at `target` among the page's other blocks, renumbering them if no gap is left.
async fn position_block(
    tx: &mut AsyncPgConnection,
    page: Uuid,
    block: Option<Uuid>,
    target: Placement,
    now: DateTime<Utc>,
) -> Result<i32, LinksError> {
    let others: Vec<(BlockId, i32)> = blocks::of_page(tx, page)
        .await?
        .into_iter()
        .filter(|row| Some(row.id) != block)
        .map(|row| (BlockId::from(row.id), row.position))
        .collect();
    let placed = place(&others, target).map_err(|e| match e {
        PlacementError::UnknownNeighbour => LinksError::field("afterBlockId", Problem::NotABlockOfPage),
        PlacementError::OutOfRange => {
            LinksError::field("position", Problem::OutOfRange { min: 1, max: MAX_POSITION.into() })
        }
    })?;
    if !placed.renumbered.is_empty() {
        let moves: Vec<(Uuid, i32)> = placed.renumbered.iter().map(|(id, p)| (id.into_uuid(), *p)).collect();
        blocks::set_positions(tx, &moves, now).await?;
    }
    Ok(placed.position)
}

/// Refuses a block more on a full page.
async fn ensure_room(tx: &mut AsyncPgConnection, page: Uuid) -> Result<(), LinksError> {
    if blocks::of_page(tx, page).await?.len() >= PAGE_BLOCKS_MAX {
        return Err(LinksError::Conflict(format!("A page holds at most {PAGE_BLOCKS_MAX} blocks.")));
    }
    Ok(())
}

async fn locked_page(tx: &mut AsyncPgConnection, actor: &Actor, page: Uuid) -> Result<PageRow, LinksError> {
    pages::lock_in_org(tx, actor.organization_id.into_uuid(), page).await?.ok_or(LinksError::NotFound)
}

/// Adds a block to a page (`links:write`). Without a placement it goes last.
///
/// # Errors
/// `Forbidden`, `NotFound` (the page), `Validation` (`type`, `config.*`, `position`,
/// `afterBlockId`, `visibleFrom`, `visibleUntil`), `Conflict` (the page is full).
pub async fn add(ctx: &LinksCtx, actor: &Actor, page_id: PageId, new: NewBlock) -> Result<Block, LinksError> {
    let page_id = page_id.into_uuid();
    actor.require(&Permission::LINKS_WRITE)?;
    let mut errors = Problems::new();
    let config = BlockConfig::parse(&new.kind, new.config).map_err(|f| errors.extend(f)).ok();
    let target = placement(&new.placement, &mut errors).unwrap_or(Placement::Last);
    let from = instant("visibleFrom", new.visible_from.as_deref(), &mut errors);
    let until = instant("visibleUntil", new.visible_until.as_deref(), &mut errors);
    check_window(from, until, &mut errors);
    let Some(config) = config.filter(|_| errors.is_empty()) else {
        return Err(LinksError::Validation(errors));
    };

    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    let row = conn
        .transaction::<_, LinksError, _>(async |tx| {
            let page = locked_page(tx, actor, page_id).await?;
            ensure_room(tx, page.id).await?;
            let position = position_block(tx, page.id, None, target, now).await?;
            let row = BlockRow {
                id: BlockId::new().into_uuid(),
                page_id: page.id,
                kind: config.kind().as_str().to_owned(),
                config: config.config_json(),
                enabled: new.enabled.unwrap_or(true),
                position,
                visible_from: from,
                visible_until: until,
                created_at: now,
                updated_at: now,
            };
            blocks::insert(tx, std::slice::from_ref(&row)).await?;
            pages::touch(tx, page.id, now).await?;
            outbox::record(tx, &BlockAdded(facts(actor, &page, &row)), now).await?;
            Ok(row)
        })
        .await?;
    ctx.cache.evict_page(page_id);
    Ok(row.to_block()?)
}

/// Edits a block (`links:write`).
///
/// # Errors
/// `Forbidden`, `NotFound` (the page, or a block not on it), `Validation`.
pub async fn update(
    ctx: &LinksCtx,
    actor: &Actor,
    page_id: PageId,
    block_id: BlockId,
    changes: BlockChanges,
) -> Result<Block, LinksError> {
    actor.require(&Permission::LINKS_WRITE)?;
    let (page_id, block_id) = (page_id.into_uuid(), block_id.into_uuid());
    let mut errors = Problems::new();
    let target = placement(&changes.placement, &mut errors);
    let from = changes.visible_from.as_ref().map(|raw| instant("visibleFrom", raw.as_deref(), &mut errors));
    let until =
        changes.visible_until.as_ref().map(|raw| instant("visibleUntil", raw.as_deref(), &mut errors));
    if !errors.is_empty() {
        return Err(LinksError::Validation(errors));
    }

    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    let row = conn
        .transaction::<_, LinksError, _>(async |tx| {
            let page = locked_page(tx, actor, page_id).await?;
            let mut row = blocks::of_page(tx, page.id)
                .await?
                .into_iter()
                .find(|row| row.id == block_id)
                .ok_or(LinksError::NotFound)?;
            let mut errors = Problems::new();
            if let Some(config) = changes.config.clone() {
                match BlockConfig::parse(&row.kind, config) {
                    Ok(config) => row.config = config.config_json(),
                    Err(f) => errors.extend(f),
                }
            }
            if let Some(from) = from {
                row.visible_from = from;
            }
            if let Some(until) = until {
                row.visible_until = until;
            }
            check_window(row.visible_from, row.visible_until, &mut errors);
            if !errors.is_empty() {
                return Err(LinksError::Validation(errors));
            }
            if let Some(enabled) = changes.enabled {
                row.enabled = enabled;
            }
            if let Some(target) = target {
                row.position = position_block(tx, page.id, Some(row.id), target, now).await?;
            }
            row.updated_at = now;
            blocks::update(tx, &row).await?;
            pages::touch(tx, page.id, now).await?;
            outbox::record(tx, &BlockUpdated(facts(actor, &page, &row)), now).await?;
            Ok(row)
        })
        .await?;
    ctx.cache.evict_page(page_id);
    Ok(row.to_block()?)
}

/// Deletes a block (`links:write`). Leads it captured are kept.
///
/// # Errors
/// `Forbidden`, `NotFound`.
pub async fn delete(
    ctx: &LinksCtx,
    actor: &Actor,
    page_id: PageId,
    block_id: BlockId,
) -> Result<(), LinksError> {
    let (page_id, block_id) = (page_id.into_uuid(), block_id.into_uuid());
    actor.require(&Permission::LINKS_WRITE)?;
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, LinksError, _>(async |tx| {
        let page = locked_page(tx, actor, page_id).await?;
        let row = blocks::of_page(tx, page.id)
            .await?
            .into_iter()
            .find(|row| row.id == block_id)
            .ok_or(LinksError::NotFound)?;
        if blocks::delete(tx, page.id, block_id).await? == 0 {
            return Err(LinksError::NotFound);
        }
        blocks::purge_deleted(tx, page.id, now - RESTORE_WINDOW).await?;
        blocks::keep_deleted(tx, &row, now).await?;
        pages::touch(tx, page.id, now).await?;
        outbox::record(tx, &BlockRemoved(facts(actor, &page, &row)), now).await?;
        Ok(())
    })
    .await?;
    ctx.cache.evict_page(page_id);
    Ok(())
}

/// How long a deleted block can be restored.
pub const RESTORE_WINDOW: TimeDelta = TimeDelta::hours(24);

/// Puts a block deleted in the last [`RESTORE_WINDOW`] back on its page with its id, config,
/// visibility and window (`links:write`): at `placement` if given (so "Undo" can put it back
/// after the block it followed), else at its old position, the others moving if needed.
///
/// # Errors
/// `Forbidden`, `NotFound` (the page, or no such block deleted from it lately), `Validation`
/// (`position`, `afterBlockId`), `Conflict` (the page is full).
pub async fn restore(
    ctx: &LinksCtx,
    actor: &Actor,
    page_id: PageId,
    block_id: BlockId,
    placement_input: PlacementInput,
) -> Result<Block, LinksError> {
    actor.require(&Permission::LINKS_WRITE)?;
    let (page_id, block_id) = (page_id.into_uuid(), block_id.into_uuid());
    let mut errors = Problems::new();
    let target = placement(&placement_input, &mut errors);
    if !errors.is_empty() {
        return Err(LinksError::Validation(errors));
    }
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    let row = conn
        .transaction::<_, LinksError, _>(async |tx| {
            let page = locked_page(tx, actor, page_id).await?;
            let mut row = blocks::take_deleted(tx, page.id, block_id, now - RESTORE_WINDOW)
                .await?
                .ok_or(LinksError::NotFound)?;
            ensure_room(tx, page.id).await?;
            row.position =
                position_block(tx, page.id, None, target.unwrap_or(Placement::At(row.position)), now).await?;
            row.updated_at = now;
            blocks::insert(tx, std::slice::from_ref(&row)).await?;
            pages::touch(tx, page.id, now).await?;
            outbox::record(tx, &BlockRestored(facts(actor, &page, &row)), now).await?;
            Ok(row)
        })
        .await?;
    ctx.cache.evict_page(page_id);
    Ok(row.to_block()?)
}

/// What the events of a change to `row`, on `page`, by `actor`, say.
fn facts(actor: &Actor, page: &PageRow, row: &BlockRow) -> BlockFacts {
    BlockFacts {
        page_id: page.id,
        block_id: row.id,
        organization_id: page.organization_id,
        block_type: row.kind.clone(),
        actor_id: actor.user_id.into_uuid(),
    }
}
