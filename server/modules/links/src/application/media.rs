//! Pictures of a page: its avatar (shown on the public page, in the editor's preview and on the
//! OpenGraph card) and the pictures its IMAGE blocks show. The bytes go through `storage`'s
//! pipeline (checked by content, re-encoded without metadata, content-addressed); the page's row
//! keeps only the key.

use bytes::Bytes;
use contracts::permissions::Permission;
use diesel_async::AsyncConnection as _;
use kernel::Actor;
use storage::{ImagePurpose, StoredImage};

use crate::application::pages::{PageDetail, detail, save_edit};
use crate::application::{LinksCtx, LinksError};
use crate::domain::page::PageId;
use crate::infrastructure::pages;

/// Sets page `id`'s avatar to the uploaded picture (`links:write`). The old picture is deleted
/// once the page points at the new one; the public page and its card show the new one at once.
///
/// # Errors
/// `Forbidden`, `NotFound` (another organization's page too), `Upload` (too large, not an image,
/// storage off or down).
pub async fn set_page_avatar(
    ctx: &LinksCtx,
    actor: &Actor,
    id: PageId,
    upload: Bytes,
) -> Result<PageDetail, LinksError> {
    let id = writable_page(ctx, actor, id).await?;
    let stored = storage::store_image(ctx.storage.as_ref(), id, ImagePurpose::Avatar, upload).await?;
    replace_avatar(ctx, actor, id, Some(stored.key.as_str())).await
}

/// Removes page `id`'s avatar (`links:write`): the page shows its initials again.
///
/// # Errors
/// `Forbidden`, `NotFound`.
pub async fn remove_page_avatar(ctx: &LinksCtx, actor: &Actor, id: PageId) -> Result<PageDetail, LinksError> {
    actor.require(&Permission::LINKS_WRITE)?;
    replace_avatar(ctx, actor, id.into_uuid(), None).await
}

async fn replace_avatar(
    ctx: &LinksCtx,
    actor: &Actor,
    id: uuid::Uuid,
    key: Option<&str>,
) -> Result<PageDetail, LinksError> {
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    let (saved, old) = conn
        .transaction::<_, LinksError, _>(async |tx| {
            let mut page = pages::lock_in_org(tx, actor.organization_id.into_uuid(), id)
                .await?
                .ok_or(LinksError::NotFound)?;
            let old = page.avatar_key.take();
            page.avatar_key = key.map(str::to_owned);
            save_edit(tx, &mut page, vec!["avatar"], actor, now).await?;
            pages::announce_change(tx, page.id).await?;
            Ok((page, old))
        })
        .await?;
    ctx.cache.evict_page(id);
    storage::upload::forget_replaced(ctx.storage.as_ref(), old.as_deref(), key).await;
    detail(ctx, &mut conn, saved).await
}

/// Stores a picture for one of page `id`'s IMAGE blocks (`links:write`) and answers where it is
/// served from; the block takes that URL as its `url`, like any other image address.
///
/// # Errors
/// `Forbidden`, `NotFound` (another organization's page too), `Upload`.
pub async fn upload_block_image(
    ctx: &LinksCtx,
    actor: &Actor,
    id: PageId,
    upload: Bytes,
) -> Result<StoredImage, LinksError> {
    let id = writable_page(ctx, actor, id).await?;
    Ok(storage::store_image(ctx.storage.as_ref(), id, ImagePurpose::BlockImage, upload).await?)
}

/// Page `id`, if `actor` may change it: checked before an upload spends a decode on it (another
/// organization's page is `NotFound`).
async fn writable_page(ctx: &LinksCtx, actor: &Actor, id: PageId) -> Result<uuid::Uuid, LinksError> {
    actor.require(&Permission::LINKS_WRITE)?;
    let id = id.into_uuid();
    let mut conn = ctx.db.get().await?;
    pages::find_in_org(&mut conn, actor.organization_id.into_uuid(), id)
        .await?
        .ok_or(LinksError::NotFound)?;
    Ok(id)
}
