//! Editing one's own profile.

use contracts::Locale;

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
