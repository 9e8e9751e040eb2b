//! The identity context's use cases against a real Postgres, called directly (no HTTP): sign-up
//! and sign-in, email verification, password resets and changes, and deactivation by an admin.
//!
//! Mail goes to a [`RecordingSender`]; links are read from it as a person reads their inbox.
//! Sessions are written through the real [`PgSessionStore`], so "signed out everywhere" is
//! checked the way the session layer would see it.

mod accounts;
mod avatars;
mod passwords;
mod verification;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, TimeZone as _, Utc};
use contracts::Locale;
use iam::application::admin::get_user;
use iam::application::sign_up::{SignUp, SignedUp, sign_up};
use iam::{IamCtx, IamError, PasswordHasher, PgSessionStore, User, UserId};
use kernel::FixedClock;
use notifications::RecordingSender;
use serde_json::{Value, json};
use test_db::TestDb;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;

/// A password that passes the rules.
pub const PASSWORD: &str = "correct horse battery staple";
/// Another one.
pub const NEW_PASSWORD: &str = "a new and better passphrase";

/// A fresh database, an identity context on it (its clock standing still at [`t0`]), the mail it
/// sent and the session store.
pub struct World {
    pub db: TestDb,
    pub clock: FixedClock,
    pub mail: RecordingSender,
    pub ctx: IamCtx,
    pub sessions: PgSessionStore,
    /// The `local` storage's folder (avatars), removed with the world.
    pub media: tempfile::TempDir,
}

impl World {
    pub async fn new() -> Self {
        let db = TestDb::new().await;
        let clock = FixedClock::at(t0());
        let mail = RecordingSender::new();
        let media = tempfile::tempdir().expect("a temporary folder");
        let storage = storage::provider_from(&storage::StorageConfig::Local {
            dir: media.path().to_owned(),
            public_url: "https://mibio.test".to_owned(),
        })
        .expect("local storage");
        let ctx = IamCtx {
            db: db.pool().clone(),
            hasher: PasswordHasher::new(),
            mail: Arc::new(mail.clone()),
            clock: Arc::new(clock.clone()),
            public_url: "https://mibio.test/".to_owned(),
            storage,
        };
        let sessions = PgSessionStore::new(db.pool().clone());
        Self { db, clock, mail, ctx, sessions, media }
    }

    /// Signs up `email` with [`PASSWORD`]; the name is the address's local part.
    pub async fn sign_up(&self, email: &str) -> SignedUp {
        let name = email.split('@').next().unwrap_or_default().to_owned();
        sign_up(&self.ctx, signing_up(email, PASSWORD, &name)).await.expect("signed up")
    }

    /// The user as stored now.
    pub async fn user(&self, id: UserId) -> User {
        get_user(&self.ctx, id).await.expect("the user")
    }

    /// The mails sent to `email` so far, oldest first: (subject, text).
    pub fn mails_to(&self, email: &str) -> Vec<(String, String)> {
        self.mail
            .messages()
            .into_iter()
            .filter(|m| m.to.address() == email)
            .map(|m| (m.subject, m.text))
            .collect()
    }

    /// The token of the last link to `path` (`/verify-email`, `/reset-password`) mailed to
    /// `email`.
    pub fn token_sent_to(&self, email: &str, path: &str) -> String {
        let needle = format!("{path}?token=");
        let mails = self.mails_to(email);
        let text = mails
            .iter()
            .rev()
            .find_map(|(_, text)| text.split_once(&needle).map(|(_, after)| after))
            .unwrap_or_else(|| panic!("no {path} link mailed to {email}"));
        text.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).collect()
    }

    /// Waits for the `n`th mail, sent from a task the use case spawned (no clock involved: the
    /// task only needs to be polled).
    pub async fn mail_count_reaches(&self, n: usize) {
        for _ in 0..10_000 {
            if self.mail.messages().len() >= n {
                return;
            }
            tokio::task::yield_now().await;
        }
        panic!("mail {n} was never sent");
    }

    /// A signed-in session of `user`, as the session layer stores it.
    pub async fn session_of(&self, user: UserId) -> Id {
        let data = HashMap::from([("axum-login.data".to_owned(), json!({"user_id": user, "auth_hash": []}))]);
        let expiry_date = time::OffsetDateTime::now_utc() + time::Duration::days(1);
        let mut record = Record { id: Id::default(), data, expiry_date };
        SessionStore::create(&self.sessions, &mut record).await.expect("the session is stored");
        assert!(self.session_exists(record.id).await, "a fresh session loads");
        record.id
    }

    /// Whether session `id` still exists.
    pub async fn session_exists(&self, id: Id) -> bool {
        SessionStore::load(&self.sessions, &id).await.expect("the session store is readable").is_some()
    }

    /// `SELECT count(*) AS n …` on the test database.
    pub async fn count(&self, sql: &str) -> i64 {
        test_db::count(self.db.pool(), sql).await
    }

    /// The payloads of the outbox events of type `event_type`, in the order they were recorded.
    pub async fn events(&self, event_type: &str) -> Vec<Value> {
        test_db::outbox_events(self.db.pool(), event_type).await
    }
}

/// What someone types to sign up.
pub fn signing_up(email: &str, password: &str, name: &str) -> SignUp {
    SignUp {
        email: email.to_owned(),
        password: password.to_owned(),
        name: name.to_owned(),
        locale: Locale::En,
        next: None,
    }
}

/// When every test's clock starts.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

/// The fields a validation error names; panics on any other outcome.
#[track_caller]
pub fn invalid_fields<T: std::fmt::Debug>(result: Result<T, IamError>) -> BTreeSet<String> {
    match result {
        Err(IamError::Validation(fields)) => fields.into_keys().collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// The set of `names`, to compare with [`invalid_fields`].
pub fn names(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// Asserts `InvalidCredentials`.
#[track_caller]
pub fn assert_invalid_credentials<T: std::fmt::Debug>(result: Result<T, IamError>) {
    assert!(
        matches!(result, Err(IamError::InvalidCredentials)),
        "expected InvalidCredentials, got {result:?}"
    );
}

/// Asserts `InvalidToken`.
#[track_caller]
pub fn assert_invalid_token<T: std::fmt::Debug>(result: Result<T, IamError>) {
    assert!(matches!(result, Err(IamError::InvalidToken)), "expected InvalidToken, got {result:?}");
}
