//! Reading users: for the session, `/me`, and other contexts (through `UserDirectory`).

use crate::application::{IamCtx, IamError};
use crate::domain::user::{User, UserId};
use crate::infrastructure::users;

/// The user with this id, if they exist and are active.
///
/// # Errors
/// Database failures.
pub async fn get_active(ctx: &IamCtx, id: UserId) -> Result<Option<User>, IamError> {
    let mut conn = ctx.db.get().await?;
    Ok(users::find(&mut conn, id).await?.filter(|row| row.active).map(|row| row.to_user()))
}

/// The users with these ids (unknown ids skipped).
///
/// # Errors
/// Database failures.
pub async fn get_many(ctx: &IamCtx, ids: &[UserId]) -> Result<Vec<User>, IamError> {
    let mut conn = ctx.db.get().await?;
    Ok(users::find_many(&mut conn, ids).await?.iter().map(users::UserRow::to_user).collect())
}

/// The active user with this email (any case), if any.
///
/// # Errors
/// Database failures.
pub async fn find_by_email(ctx: &IamCtx, email: &str) -> Result<Option<User>, IamError> {
    Ok(super::admin::user_by_email(ctx, email).await?.filter(|user| user.active))
}
