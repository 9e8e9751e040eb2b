//! The links context's use cases against a real Postgres, called directly (no HTTP): who may do
//! what, what another organization sees, the rules of slugs, publishing, templates, block
//! placement and limits, lead capture, and the public cache they keep in step.
//!
//! Links does not depend on tenancy, so the [`Actor`]s here are built by hand, with exactly the
//! permissions a test names ([`Only`]).

mod blocks;
mod leads;
mod media;
mod pages;
mod quotas;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, TimeZone as _, Utc};
use contracts::Locale;
use contracts::permissions::Permission;
use kernel::actor::Grants;
use kernel::{Actor, FixedClock, OrganizationId, UserId};
use links::application::blocks::{NewBlock, PlacementInput};
use links::application::pages::{NewPage, PageChanges};
use links::cache::PublicPageCache;
use links::domain::page::{Block, PageId};
use links::{LinksCtx, LinksError};
use serde_json::{Value, json};
use test_db::TestDb;

/// Every permission the links context checks.
pub const EVERYTHING: [Permission; 4] = [
    Permission::LINKS_READ,
    Permission::LINKS_WRITE,
    Permission::LINKS_LEADS_READ,
    Permission::LINKS_LEADS_EXPORT,
];

/// Grants exactly the permissions it lists.
#[derive(Debug)]
pub struct Only(Vec<Permission>);

impl Grants for Only {
    fn allows(&self, permission: &Permission) -> bool {
        self.0.contains(permission)
    }
}

/// A fresh database and a links context on it, its clock standing still at [`t0`].
pub struct World {
    pub db: TestDb,
    pub clock: FixedClock,
    pub ctx: LinksCtx,
    /// The `local` storage's folder (uploaded pictures), removed with the world.
    pub media: tempfile::TempDir,
}

impl World {
    pub async fn new() -> Self {
        let db = TestDb::new().await;
        let clock = FixedClock::at(t0());
        let media = tempfile::tempdir().expect("a temporary folder");
        let storage = storage::provider_from(&storage::StorageConfig::Local {
            dir: media.path().to_owned(),
            public_url: "https://mibio.test".to_owned(),
        })
        .expect("local storage");
        let ctx = LinksCtx {
            db: db.pool().clone(),
            clock: Arc::new(clock.clone()),
            cache: Arc::new(PublicPageCache::default()),
            quotas: Arc::new(kernel::quota::Unmetered),
            premium: Arc::new(kernel::premium::NoPremium),
            storage,
        };
        Self { db, clock, ctx, media }
    }

    /// `SELECT count(*) AS n …` on the test database.
    pub async fn count(&self, sql: &str) -> i64 {
        test_db::count(self.db.pool(), sql).await
    }

    /// The payloads of the outbox events of type `event_type`, in the order they were recorded.
    pub async fn events(&self, event_type: &str) -> Vec<Value> {
        test_db::outbox_events(self.db.pool(), event_type).await
    }

    /// How many rows the links tables and the outbox hold: what a refused call must not change.
    pub async fn footprint(&self) -> [i64; 5] {
        [
            self.count("SELECT count(*) AS n FROM links.pages").await,
            self.count("SELECT count(*) AS n FROM links.blocks").await,
            self.count("SELECT count(*) AS n FROM links.deleted_blocks").await,
            self.count("SELECT count(*) AS n FROM links.leads").await,
            self.count("SELECT count(*) AS n FROM kernel.outbox").await,
        ]
    }
}

/// When every test's clock starts.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

/// A member of `org` with exactly `permissions` and a verified email address.
pub fn member(org: OrganizationId, permissions: &[Permission]) -> Actor {
    Actor {
        user_id: UserId::new(),
        organization_id: org,
        role: "custom".to_owned(),
        grants: Arc::new(Only(permissions.to_vec())),
        email_verified: true,
    }
}

/// A member of `org` with every links permission.
pub fn owner(org: OrganizationId) -> Actor {
    member(org, &EVERYTHING)
}

/// A blank page titled "Ana".
pub fn blank(slug: &str) -> NewPage {
    NewPage { slug: slug.to_owned(), title: "Ana".to_owned(), template_id: None, locale: Locale::Es }
}

/// Creates a blank unpublished page.
pub async fn page(ctx: &LinksCtx, actor: &Actor, slug: &str) -> PageId {
    links::application::pages::create(ctx, actor, blank(slug)).await.expect("the page is created").page.id
}

/// Creates a blank page and publishes it.
pub async fn published(ctx: &LinksCtx, actor: &Actor, slug: &str) -> PageId {
    let id = page(ctx, actor, slug).await;
    publish(ctx, actor, id, true).await.expect("the page is published");
    id
}

/// Publishes or unpublishes a page.
pub async fn publish(ctx: &LinksCtx, actor: &Actor, id: PageId, on: bool) -> Result<(), LinksError> {
    links::application::pages::update(
        ctx,
        actor,
        id,
        PageChanges { published: Some(on), ..PageChanges::default() },
    )
    .await
    .map(drop)
}

/// A new block of `kind` with `config`, placed last.
pub fn block(kind: &str, config: Value) -> NewBlock {
    NewBlock {
        kind: kind.to_owned(),
        config,
        enabled: None,
        placement: PlacementInput::default(),
        visible_from: None,
        visible_until: None,
    }
}

/// A new `LINK` block.
pub fn link(title: &str) -> NewBlock {
    let path: String = title.chars().filter(char::is_ascii_alphanumeric).collect();
    block("LINK", json!({"url": format!("https://example.com/{path}"), "title": title}))
}

/// A new `LEAD_CAPTURE` block, asking for consent to `consent` when given.
pub fn lead_form(consent: Option<&str>) -> NewBlock {
    let mut config = json!({"title": "Newsletter", "buttonLabel": "Subscribe", "successMessage": "Thanks!"});
    if let Some(consent) = consent {
        config["consentText"] = json!(consent);
    }
    block("LEAD_CAPTURE", config)
}

/// Adds a block.
pub async fn add(ctx: &LinksCtx, actor: &Actor, page: PageId, new: NewBlock) -> Block {
    links::application::blocks::add(ctx, actor, page, new).await.expect("the block is added")
}

/// The link titles (or header texts) of a page's blocks with their positions, in page order.
pub async fn layout(ctx: &LinksCtx, actor: &Actor, page: PageId) -> Vec<(String, i32)> {
    let detail = links::application::pages::get(ctx, actor, page).await.expect("the page");
    detail
        .blocks
        .iter()
        .map(|b| {
            let config = serde_json::to_value(&b.config).expect("a config serializes");
            let label = config["config"]["title"].as_str().or_else(|| config["config"]["text"].as_str());
            (label.unwrap_or_default().to_owned(), b.position)
        })
        .collect()
}

/// The fields a validation error names; panics on any other outcome.
#[track_caller]
pub fn invalid_fields<T: std::fmt::Debug>(result: Result<T, LinksError>) -> BTreeSet<String> {
    match result {
        Err(LinksError::Validation(fields)) => fields.into_keys().collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// The set of `names`, to compare with [`invalid_fields`].
pub fn names(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// Asserts a refusal for lack of `permission`.
#[track_caller]
pub fn assert_forbidden<T: std::fmt::Debug>(result: Result<T, LinksError>, permission: &Permission) {
    match result {
        Err(LinksError::Forbidden(named)) => assert_eq!(named, permission.as_str()),
        other => panic!("expected Forbidden({permission}), got {other:?}"),
    }
}

/// Asserts `NotFound`.
#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(result: Result<T, LinksError>) {
    assert!(matches!(result, Err(LinksError::NotFound)), "expected NotFound, got {result:?}");
}
