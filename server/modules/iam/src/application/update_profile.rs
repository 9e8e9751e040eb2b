//! Editing one's own profile: name, language and avatar.

use bytes::Bytes;
use contracts::Locale;
use storage::ImagePurpose;

use crate::application::{IamCtx, IamError};
use crate::domain::user::{DisplayName, User, UserId};
use crate::infrastructure::users;

/// Changes the user's name and/or interface language.
///
/// # Errors
/// `Validation` on `name`; `NotFound`.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn update_profile(
    ctx: &IamCtx,
    user: UserId,
    name: Option<&str>,
    locale: Option<Locale>,
) -> Result<User, IamError> {
    let name = name.map(DisplayName::parse).transpose().map_err(|e| IamError::field("name", e))?;
    let mut conn = ctx.db.get().await?;
    let row = users::update_profile(
        &mut conn,
        user,
        name.as_ref().map(DisplayName::as_str),
        locale.map(Locale::tag),
        ctx.clock.now(),
    )
    .await?
    .ok_or(IamError::NotFound)?;
    Ok(row.to_user())
}

/// Sets the user's avatar to the uploaded picture (checked by content, re-encoded without
/// metadata, 512×512 at most); the previous picture is deleted once the row points at the new one.
///
/// # Errors
/// `Upload` (too large, not an image, storage off or down); `NotFound`.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn set_avatar(ctx: &IamCtx, user: UserId, upload: Bytes) -> Result<User, IamError> {
    let stored =
        storage::store_image(ctx.storage.as_ref(), user.into_uuid(), ImagePurpose::Avatar, upload).await?;
    replace_avatar(ctx, user, Some(stored.key.as_str())).await
}

/// Removes the user's avatar (their initial shows again).
///
/// # Errors
/// `NotFound`.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn remove_avatar(ctx: &IamCtx, user: UserId) -> Result<User, IamError> {
    replace_avatar(ctx, user, None).await
}

async fn replace_avatar(ctx: &IamCtx, user: UserId, key: Option<&str>) -> Result<User, IamError> {
    let mut conn = ctx.db.get().await?;
    let (row, old) =
        users::set_avatar(&mut conn, user, key, ctx.clock.now()).await?.ok_or(IamError::NotFound)?;
    storage::upload::forget_replaced(ctx.storage.as_ref(), old.as_deref(), key).await;
    Ok(row.to_user())
}
