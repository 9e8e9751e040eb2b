//! Platform admins' use cases over users: find them, deactivate and reactivate them. The host
//! checks the caller is a platform admin (the platform context owns that rule).

use contracts::Problem;
use diesel_async::AsyncConnection as _;
use kernel::pagination::{Cursor, PageRequest, Paged};

use crate::SessionUser;
use crate::application::{IamCtx, IamError};
use crate::domain::events::{UserDeactivated, UserReactivated};
use crate::domain::user::{User, UserId};
use crate::infrastructure::{session_store, users};

/// Users newest first, those whose email or name contains `search` when given.
///
/// # Errors
/// Database failures.
pub async fn list_users(
    ctx: &IamCtx,
    search: Option<&str>,
    page: &PageRequest,
) -> Result<Paged<User>, IamError> {
    let mut conn = ctx.db.get().await?;
    let rows =
        users::search(&mut conn, search, page.cursor.map(|c| (c.at, c.id)), page.fetch_limit()).await?;
    let found: Vec<User> = rows.iter().map(users::UserRow::to_user).collect();
    Ok(Paged::from_rows(found, page, |u| Cursor { at: u.created_at, id: u.id.into_uuid() }))
}

/// Any user by id, active or not.
///
/// # Errors
/// `NotFound`; database failures.
pub async fn get_user(ctx: &IamCtx, id: UserId) -> Result<User, IamError> {
    let mut conn = ctx.db.get().await?;
    users::find(&mut conn, id).await?.map(|row| row.to_user()).ok_or(IamError::NotFound)
}

/// Any user by email (any case), active or not.
///
/// # Errors
/// Database failures.
pub async fn user_by_email(ctx: &IamCtx, email: &str) -> Result<Option<User>, IamError> {
    let mut conn = ctx.db.get().await?;
    Ok(users::find_by_email(&mut conn, &email.trim().to_lowercase()).await?.map(|row| row.to_user()))
}

/// The session identity of the active user `id`, to sign a session in as them (impersonation).
///
/// # Errors
/// `NotFound` for unknown or deactivated users.
pub async fn session_user(ctx: &IamCtx, id: UserId) -> Result<SessionUser, IamError> {
    let mut conn = ctx.db.get().await?;
    users::find(&mut conn, id)
        .await?
        .filter(|row| row.active)
        .map(|row| SessionUser::from_row(&row))
        .ok_or(IamError::NotFound)
}

/// Deactivates `id` on behalf of admin `actor`: they cannot sign in and every session they had is
/// gone. Deactivating a deactivated user changes nothing.
///
/// # Errors
/// `NotFound`; a validation error when `actor` deactivates themselves.
pub async fn deactivate(ctx: &IamCtx, id: UserId, actor: UserId) -> Result<User, IamError> {
    if id == actor {
        return Err(IamError::field("userId", Problem::SelfDeactivation));
    }
    set_active(ctx, id, actor, false).await
}

/// Reactivates `id` on behalf of admin `actor`.
///
/// # Errors
/// `NotFound`.
pub async fn reactivate(ctx: &IamCtx, id: UserId, actor: UserId) -> Result<User, IamError> {
    set_active(ctx, id, actor, true).await
}

async fn set_active(ctx: &IamCtx, id: UserId, actor: UserId, active: bool) -> Result<User, IamError> {
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, IamError, _>(async |tx| {
        if users::find(tx, id).await?.is_none() {
            return Err(IamError::NotFound);
        }
        if users::set_active(tx, id, active, now).await? {
            if active {
                runtime::outbox::record(tx, &UserReactivated { user_id: id, actor_id: actor }, now).await?;
            } else {
                session_store::delete_user_sessions(tx, id, None).await?;
                runtime::outbox::record(tx, &UserDeactivated { user_id: id, actor_id: actor }, now).await?;
            }
        }
        let row = users::find(tx, id).await?.ok_or(IamError::NotFound)?;
        Ok(row.to_user())
    })
    .await
}
