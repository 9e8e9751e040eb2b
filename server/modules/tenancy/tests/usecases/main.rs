//! The tenancy context's use cases against a real Postgres, called directly (no HTTP):
//! organizations, the grants of each role, invitations, role changes and removals under the
//! escalation guard and the last-owner rule, and custom roles.
//!
//! People exist only in a [`Directory`] (the identity context's port, backed by a map). Members
//! join the way they do in the product: invited by email, accepting with the link they got.

mod directory;
mod invitations;
mod members;
mod organizations;
mod roles;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, TimeZone as _, Utc};
use contracts::Locale;
use kernel::actor::Caller;
use kernel::{Actor, FixedClock, UserId};
use notifications::RecordingSender;
use serde_json::Value;
use tenancy::application::actor::membership;
use tenancy::application::invitations::{Inviter, accept, invite};
use tenancy::application::organizations::create_organization;
use tenancy::application::{DirectoryUser, UserDirectory};
use tenancy::domain::organization::Invitation;
use tenancy::{Organization, TenancyCtx, TenancyError};
use test_db::TestDb;
use uuid::Uuid;

/// The people the identity context knows, by id.
#[derive(Debug, Default)]
pub struct Directory(Mutex<HashMap<Uuid, DirectoryUser>>);

#[async_trait::async_trait]
impl UserDirectory for Directory {
    async fn users(&self, ids: &[Uuid]) -> anyhow::Result<Vec<DirectoryUser>> {
        let known = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(ids.iter().filter_map(|id| known.get(id).cloned()).collect())
    }
}

/// Someone with an account.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: UserId,
    pub email: String,
}

/// A fresh database, a tenancy context on it (its clock standing still at [`t0`]) and the mail
/// it sent.
pub struct World {
    pub db: TestDb,
    pub clock: FixedClock,
    pub mail: RecordingSender,
    pub people: Arc<Directory>,
    pub ctx: TenancyCtx,
}

impl World {
    pub async fn new() -> Self {
        let db = TestDb::new().await;
        let clock = FixedClock::at(t0());
        let mail = RecordingSender::new();
        let people = Arc::new(Directory::default());
        let ctx = TenancyCtx {
            db: db.pool().clone(),
            clock: Arc::new(clock.clone()),
            mail: Arc::new(mail.clone()),
            users: people.clone(),
            public_url: "https://mibio.test/".to_owned(),
        };
        Self { db, clock, mail, people, ctx }
    }

    /// Someone with an account at `email`.
    pub fn person(&self, email: &str) -> Person {
        let id = UserId::new();
        let name = email.split('@').next().unwrap_or_default().to_owned();
        let user = DirectoryUser { id: id.into_uuid(), email: email.to_owned(), name };
        self.people.0.lock().unwrap_or_else(PoisonError::into_inner).insert(id.into_uuid(), user);
        Person { id, email: email.to_owned() }
    }

    /// `who` acting in `org` with a verified address, as tenancy computes it; `None` when they
    /// are not a member.
    pub async fn acting(&self, who: &Person, org: &Organization) -> Option<Actor> {
        let caller = Caller { user_id: who.id, email_verified: true };
        membership(&self.ctx, caller, org.id).await.expect("the membership is readable").map(|m| m.actor)
    }

    /// `who` acting in `org`; panics when they are not a member.
    pub async fn actor(&self, who: &Person, org: &Organization) -> Actor {
        self.acting(who, org).await.unwrap_or_else(|| panic!("{} is not a member", who.email))
    }

    /// An organization founded by `owner`, who acts in it.
    pub async fn found(&self, owner: &Person, slug: &str) -> (Organization, Actor) {
        let org = create_organization(&self.ctx, owner.id, "Coaching", slug).await.expect("the organization");
        let actor = self.actor(owner, &org).await;
        (org, actor)
    }

    /// `by` invites `email` into `org` with `role`.
    pub async fn invite(
        &self,
        by: &Actor,
        org: &Organization,
        email: &str,
        role: &str,
    ) -> Result<Invitation, TenancyError> {
        let inviter = Inviter { name: "Ana".to_owned(), locale: Locale::En };
        invite(&self.ctx, by, &inviter, org, email, role).await
    }

    /// The token of the last invitation link mailed to `email`.
    pub fn link_sent_to(&self, email: &str) -> String {
        let messages = self.mail.messages();
        let message = messages
            .iter()
            .rev()
            .find(|m| m.to.address() == email)
            .unwrap_or_else(|| panic!("no mail to {email}"));
        let (_, after) = message.text.split_once("/invitations/").expect("an invitation link");
        after.split_whitespace().next().unwrap_or_default().to_owned()
    }

    /// `who` joins `org` with `role`, invited by `by`; answers them acting in it.
    pub async fn join(&self, by: &Actor, org: &Organization, who: &Person, role: &str) -> Actor {
        self.invite(by, org, &who.email, role).await.expect("the invitation");
        accept(&self.ctx, who.id, &who.email, &self.link_sent_to(&who.email)).await.expect("accepted");
        self.actor(who, org).await
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

/// When every test's clock starts.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

/// The fields a validation error names; panics on any other outcome.
#[track_caller]
pub fn invalid_fields<T: std::fmt::Debug>(result: Result<T, TenancyError>) -> BTreeSet<String> {
    match result {
        Err(TenancyError::Validation(fields)) => fields.into_keys().collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// The set of `names`, to compare with [`invalid_fields`].
pub fn names(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// Asserts a refusal naming `permission` (alone, or as "a role beyond your own").
#[track_caller]
pub fn assert_forbidden<T: std::fmt::Debug>(result: Result<T, TenancyError>, permission: &str) {
    match result {
        Err(TenancyError::Forbidden(named)) => {
            assert!(
                named.starts_with(permission),
                "expected Forbidden({permission}), got Forbidden({named})"
            );
        }
        other => panic!("expected Forbidden({permission}), got {other:?}"),
    }
}

/// Asserts a refusal by the escalation guard: the actor has the permission, but the change
/// touches a role beyond their own.
#[track_caller]
pub fn assert_beyond_own<T: std::fmt::Debug>(result: Result<T, TenancyError>) {
    match result {
        Err(TenancyError::Forbidden(named)) if named.ends_with("(a role beyond your own)") => {}
        other => panic!("expected the escalation guard's refusal, got {other:?}"),
    }
}

/// Asserts a `Conflict` for `reason`.
#[track_caller]
pub fn assert_conflict<T: std::fmt::Debug>(
    result: Result<T, TenancyError>,
    reason: contracts::ConflictReason,
) {
    assert!(
        matches!(result, Err(TenancyError::Conflict(r)) if r == reason),
        "expected Conflict({reason:?}), got {result:?}"
    );
}

/// Asserts `NotFound`.
#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(result: Result<T, TenancyError>) {
    assert!(matches!(result, Err(TenancyError::NotFound)), "expected NotFound, got {result:?}");
}
