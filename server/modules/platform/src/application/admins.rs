//! Who administers the platform, and how the first admin comes to be.
//!
//! An admin is a user whose **verified** email is in `PLATFORM_ADMIN_EMAILS` (an unverified one
//! would let anyone sign up with that address and walk in), or a user granted the role through
//! the first-run setup token, the CLI (`mibio admin create EMAIL`) or another admin.

use chrono::TimeDelta;
use contracts::ErrorCode;
use diesel_async::AsyncConnection as _;
use kernel::token::{SecretToken, digest};
use kernel::{DomainError, DomainResult};
use uuid::Uuid;

use crate::application::{Person, PlatformCtx};
use crate::domain::events::PlatformAdminGranted;
use crate::infrastructure::admins;

/// How long a setup token works.
pub const SETUP_TOKEN_LIFETIME: TimeDelta = TimeDelta::hours(24);

/// How an admin came to be one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Setup,
    Cli,
    Admin,
}

impl Via {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Setup => "setup",
            Self::Cli => "cli",
            Self::Admin => "admin",
        }
    }
}

/// Proof that a user is a platform admin. Only [`prove`] makes one, so a use case that takes a
/// `&PlatformAdmin` (the console's, in [`console`](super::console)) cannot be called for anyone
/// else, whichever door calls it.
#[derive(Debug, Clone)]
pub struct PlatformAdmin {
    user: iam::User,
}

impl PlatformAdmin {
    /// The admin.
    #[must_use]
    pub const fn user(&self) -> &iam::User {
        &self.user
    }

    /// The admin's user id.
    #[must_use]
    pub const fn id(&self) -> iam::UserId {
        self.user.id
    }
}

/// The proof that `user` is a platform admin, or `None` when they are not one.
///
/// # Errors
/// Database failures.
pub async fn prove(ctx: &PlatformCtx, user: iam::User) -> DomainResult<Option<PlatformAdmin>> {
    Ok(is_admin(ctx, Person::of(&user)).await?.then_some(PlatformAdmin { user }))
}

/// Whether `person` is a platform admin. A deactivated user never is.
///
/// # Errors
/// Database failures.
pub async fn is_admin(ctx: &PlatformCtx, person: Person<'_>) -> DomainResult<bool> {
    if !person.active {
        return Ok(false);
    }
    if person.email_verified && ctx.config_admins.iter().any(|e| e.eq_ignore_ascii_case(person.email.trim()))
    {
        return Ok(true);
    }
    let mut conn = ctx.db.get().await?;
    Ok(admins::is_granted(&mut conn, person.id).await?)
}

/// The users granted admin rights (the configured emails come on top).
///
/// # Errors
/// Database failures.
pub async fn granted(ctx: &PlatformCtx) -> DomainResult<Vec<Uuid>> {
    let mut conn = ctx.db.get().await?;
    Ok(admins::granted(&mut conn).await?)
}

/// Whether the platform still needs its first admin: nobody was granted the role and no email
/// is configured.
///
/// # Errors
/// Database failures.
pub async fn needs_setup(ctx: &PlatformCtx) -> DomainResult<bool> {
    if !ctx.config_admins.is_empty() {
        return Ok(false);
    }
    let mut conn = ctx.db.get().await?;
    Ok(!admins::any(&mut conn).await?)
}

/// At start-up: when the platform has no admin, a fresh one-time setup token (replacing any
/// earlier one), to be printed in the log. `None` when there is an admin.
///
/// # Errors
/// Database failures.
pub async fn issue_setup_token(ctx: &PlatformCtx) -> DomainResult<Option<String>> {
    if !needs_setup(ctx).await? {
        return Ok(None);
    }
    let token = SecretToken::generate();
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    admins::replace_setup_token(&mut conn, &token.digest, now, now + SETUP_TOKEN_LIFETIME).await?;
    Ok(Some(token.plain))
}

/// The signed-in `user` presents the setup token and becomes the first admin.
///
/// # Errors
/// `NotFound` once the platform has an admin (setup is over); a validation error on `token`
/// for a wrong or expired token.
pub async fn claim_setup(ctx: &PlatformCtx, user: Uuid, token: &str) -> DomainResult<()> {
    if !needs_setup(ctx).await? {
        return Err(DomainError::NotFound);
    }
    let now = ctx.clock.now();
    let hash = digest(token);
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        if !admins::take_setup_token(conn, &hash, now).await? {
            return Err(DomainError::field("token", contracts::Problem::WrongSetupToken));
        }
        admins::grant(conn, user, None, Via::Setup.as_str(), now).await?;
        let event =
            PlatformAdminGranted { user_id: user, actor_id: None, via: Via::Setup.as_str().to_owned() };
        runtime::outbox::record(conn, &event, now).await?;
        Ok(())
    })
    .await
}

/// Grants `user` admin rights (`by`: the admin who did, if any). `false` when they had them.
///
/// # Errors
/// Database failures; `Rejected` for a deactivated user.
pub async fn grant(ctx: &PlatformCtx, user: Person<'_>, by: Option<Uuid>, via: Via) -> DomainResult<bool> {
    if !user.active {
        return Err(DomainError::rejected(ErrorCode::Conflict, "A deactivated user cannot become an admin."));
    }
    let now = ctx.clock.now();
    let id = user.id;
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        let granted = admins::grant(conn, id, by, via.as_str(), now).await?;
        if granted {
            let event = PlatformAdminGranted { user_id: id, actor_id: by, via: via.as_str().to_owned() };
            runtime::outbox::record(conn, &event, now).await?;
        }
        Ok(granted)
    })
    .await
}
