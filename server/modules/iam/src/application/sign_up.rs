//! Sign-up with email and password.

use contracts::next::NextPath;
use contracts::{Locale, Problems};
use diesel_async::AsyncConnection as _;
use kernel::token::SecretToken;
use sha2::{Digest as _, Sha256};

use crate::application::ctx::VERIFY_EMAIL_TTL;
use crate::application::{IamCtx, IamError, emails};
use crate::domain::email::EmailAddress;
use crate::domain::events::UserCreated;
use crate::domain::password::Password;
use crate::domain::user::{DisplayName, User, UserId};
use crate::infrastructure::tokens::{self, Purpose};
use crate::infrastructure::users::{self, InsertUserError, UserRow};

/// What a new user types.
#[derive(Debug, Clone)]
pub struct SignUp {
    pub email: String,
    pub password: String,
    pub name: String,
    pub locale: Locale,
    /// Where the verification link leads once the address is confirmed (the dashboard when
    /// `None`).
    pub next: Option<NextPath>,
}

/// What sign-up answers: the submitted identity, and a proof for the browser that signed up.
#[derive(Debug, Clone)]
pub struct SignedUp {
    pub user: User,
    /// For the adapter to keep in a cookie of the browser that signed up: the mailed link,
    /// opened in that browser, signs in (see [`browser_proof`]). Random when the email was taken,
    /// so the answer looks the same either way.
    pub browser_proof: String,
}

/// The proof that the browser opening the verification link `token` is the one that signed up:
/// a hash of the token, so the cookie alone verifies nothing and the link alone signs nobody in.
#[must_use]
pub fn browser_proof(token: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"mibio signup browser\0");
    hasher.update(token.trim().as_bytes());
    hex::encode(hasher.finalize())
}

/// Creates the account and emails a verification link (carrying `next`). When the email is already
/// registered, nothing is created and the owner gets a "you already have an account" email
/// instead — but the caller gets the same kind of answer, so sign-up cannot be used to discover
/// accounts.
///
/// # Errors
/// `Validation` naming each bad field (`email`, `password`, `name`).
#[tracing::instrument(skip_all)]
pub async fn sign_up(ctx: &IamCtx, input: SignUp) -> Result<SignedUp, IamError> {
    let mut fields = Problems::new();
    let email =
        EmailAddress::parse(&input.email).map_err(|e| fields.insert("email".to_owned(), e.into())).ok();
    let password =
        Password::parse(&input.password).map_err(|e| fields.insert("password".to_owned(), e.into())).ok();
    let name = DisplayName::parse(&input.name).map_err(|e| fields.insert("name".to_owned(), e.into())).ok();
    let (Some(email), Some(password), Some(name)) = (email, password, name) else {
        return Err(IamError::Validation(fields));
    };

    // Hash before looking anything up: a taken email costs the same time as a new one.
    let hash = ctx.hasher.hash(&password).await.map_err(|e| IamError::Internal(anyhow::anyhow!(e)))?;
    let now = ctx.clock.now();
    let row = UserRow {
        id: UserId::new().into_uuid(),
        email: email.as_str().to_owned(),
        email_normalized: email.normalized(),
        name: name.as_str().to_owned(),
        locale: input.locale.tag().to_owned(),
        password_hash: hash,
        avatar_key: None,
        active: true,
        email_verified_at: None,
        last_login_at: None,
        created_at: now,
        updated_at: now,
    };
    let token = SecretToken::generate();
    let mut conn = ctx.db.get().await?;
    let created = conn
        .transaction::<_, IamError, _>(async |tx| {
            match users::insert(tx, &row).await {
                Ok(()) => {}
                Err(InsertUserError::EmailTaken) => return Ok(false),
                Err(InsertUserError::Database(e)) => return Err(e.into()),
            }
            tokens::insert(
                tx,
                &token.digest,
                UserId::from(row.id),
                Purpose::VerifyEmail,
                now + VERIFY_EMAIL_TTL,
                now,
            )
            .await?;
            runtime::outbox::record(
                tx,
                &UserCreated { user_id: UserId::from(row.id), locale: input.locale },
                now,
            )
            .await?;
            Ok(true)
        })
        .await?;

    let browser =
        if created { browser_proof(&token.plain) } else { browser_proof(&SecretToken::generate().plain) };
    if created {
        let next = input.next.filter(|n| !n.is_default()).map(|n| format!("&next={}", n.query_value()));
        let link = ctx.link(&format!("/verify-email?token={}{}", token.plain, next.unwrap_or_default()));
        ctx.deliver(email.as_str(), name.as_str(), emails::verify_email(input.locale, name.as_str(), &link))
            .await;
    } else if let Some(existing) = users::find_by_email(&mut conn, &email.normalized()).await? {
        let locale = existing.locale.parse().unwrap_or(input.locale);
        let mail = emails::already_registered(
            locale,
            &existing.name,
            &ctx.link("/signin"),
            &ctx.link("/forgot-password"),
        );
        ctx.deliver(&existing.email, &existing.name, mail).await;
    }
    // The answer looks the same either way: the submitted identity, unverified.
    Ok(SignedUp { user: row.to_user(), browser_proof: browser })
}
