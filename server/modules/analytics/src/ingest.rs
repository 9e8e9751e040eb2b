//! Beacon ingest: the two public endpoints hand each accepted hit to [`Ingest::offer`], which
//! never waits — a bounded channel in front of one writer task that resolves pages, hashes
//! visitors with the day's salt and inserts in batches (every 250 ms or 500 rows, whichever comes
//! first). When the channel is full the hit is dropped and counted; on shutdown the writer drains
//! the channel and flushes, so no accepted hit is lost.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::{ExpressionMethods, Insertable, QueryDsl};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use kernel::Clock;
use kernel::db::DbPool;
use serde::Deserialize;
use tokio::sync::{Mutex, mpsc, watch};
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::schema::{block_clicks, page_views, salts};
use crate::visitor::{Device, Utm, is_bot, referrer_host, visitor_hash};

/// A page as analytics needs it: its id, its organization and its blocks' ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRef {
    pub page_id: Uuid,
    pub organization_id: Uuid,
    pub blocks: Vec<Uuid>,
}

/// The links context's answers analytics needs (implemented by the host over its cached read
/// path). Only published pages are found.
#[async_trait::async_trait]
pub trait PageLookup: Send + Sync {
    /// The published page at `slug`.
    ///
    /// # Errors
    /// When the pages cannot be read.
    async fn by_slug(&self, slug: &str) -> anyhow::Result<Option<PageRef>>;

    /// The published page holding block `block`.
    ///
    /// # Errors
    /// When the pages cannot be read.
    async fn by_block(&self, block: Uuid) -> anyhow::Result<Option<PageRef>>;
}

/// What a beacon says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Beacon {
    /// `POST /api/v1/public/analytics/view` `{slug, referrer?}`.
    View { slug: String, referrer: Option<String> },
    /// `POST /api/v1/public/analytics/click` `{blockId, slug?}`.
    Click { block: Uuid, slug: Option<String> },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ViewBody {
    slug: String,
    referrer: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClickBody {
    block_id: Uuid,
    slug: Option<String>,
}

impl Beacon {
    /// Reads a view beacon's body; `None` for anything else.
    #[must_use]
    pub fn view(body: &[u8]) -> Option<Self> {
        let body: ViewBody = serde_json::from_slice(body).ok()?;
        (body.slug.len() <= 64).then_some(Self::View { slug: body.slug, referrer: body.referrer })
    }

    /// Reads a click beacon's body; `None` for anything else.
    #[must_use]
    pub fn click(body: &[u8]) -> Option<Self> {
        let body: ClickBody = serde_json::from_slice(body).ok()?;
        Some(Self::Click { block: body.block_id, slug: body.slug.filter(|s| s.len() <= 64) })
    }

    fn slug(&self) -> Option<&str> {
        match self {
            Self::View { slug, .. } => Some(slug),
            Self::Click { slug, .. } => slug.as_deref(),
        }
    }
}

/// One accepted beacon with what the request said about its sender.
#[derive(Debug, Clone)]
pub struct Hit {
    pub beacon: Beacon,
    pub ip: IpAddr,
    pub user_agent: String,
    /// The `Referer` of the beacon request: the profile page's own URL (UTM tags live there).
    pub page_url: Option<String>,
    pub at: DateTime<Utc>,
}

/// Tuning of the ingest pipeline.
#[derive(Debug, Clone)]
pub struct IngestConfig {
    /// Hits the channel holds before new ones are dropped.
    pub capacity: usize,
    /// Rows per insert.
    pub batch: usize,
    /// Longest a hit waits in the writer before its batch is written.
    pub flush_every: Duration,
    /// Our own host: a referrer from it is not a referrer.
    pub own_host: Option<String>,
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self { capacity: 20_000, batch: 500, flush_every: Duration::from_millis(250), own_host: None }
    }
}

/// Counters of the pipeline since start-up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestStats {
    /// Hits handed to the writer.
    pub accepted: u64,
    /// Hits refused because the channel was full.
    pub dropped: u64,
    /// Rows written.
    pub written: u64,
    /// Hits discarded by the writer (unknown page or block, or a failed insert).
    pub discarded: u64,
}

#[derive(Default)]
struct Counters {
    accepted: AtomicU64,
    dropped: AtomicU64,
    written: AtomicU64,
    discarded: AtomicU64,
}

/// The ingest pipeline. Shared by the handlers (`Arc`).
pub struct Ingest {
    tx: mpsc::Sender<Hit>,
    stop: watch::Sender<bool>,
    writer: Mutex<Option<JoinHandle<()>>>,
    counters: Arc<Counters>,
}

impl std::fmt::Debug for Ingest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ingest").field("stats", &self.stats()).finish_non_exhaustive()
    }
}

impl Ingest {
    /// Starts the writer task (call within a Tokio runtime).
    #[must_use]
    pub fn start(
        db: DbPool,
        clock: Arc<dyn Clock>,
        lookup: Arc<dyn PageLookup>,
        config: IngestConfig,
    ) -> Arc<Self> {
        let (tx, rx) = mpsc::channel(config.capacity.max(1));
        let (stop, stopped) = watch::channel(false);
        let counters = Arc::new(Counters::default());
        let writer = Writer { db, clock, lookup, config, counters: counters.clone(), salts: HashMap::new() };
        let handle = tokio::spawn(writer.run(rx, stopped));
        Arc::new(Self { tx, stop, writer: Mutex::new(Some(handle)), counters })
    }

    /// Hands a hit to the writer without waiting. Bots are ignored; when the channel is full the
    /// hit is dropped and counted. Returns whether it was accepted.
    pub fn offer(&self, hit: Hit) -> bool {
        if is_bot(&hit.user_agent) {
            return false;
        }
        match self.tx.try_send(hit) {
            Ok(()) => {
                self.counters.accepted.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(_) => {
                self.counters.dropped.fetch_add(1, Ordering::Relaxed);
                false
            }
        }
    }

    /// Stops the writer after it has written every hit already accepted.
    pub async fn shutdown(&self) {
        let _ = self.stop.send(true);
        if let Some(handle) = self.writer.lock().await.take()
            && let Err(e) = handle.await
        {
            tracing::error!(error = %e, "the analytics writer ended abnormally");
        }
    }

    /// The counters since start-up.
    #[must_use]
    pub fn stats(&self) -> IngestStats {
        // `AtomicU64::load` spelled out: diesel's `RunQueryDsl::load` is in scope here too.
        let read = |counter: &AtomicU64| AtomicU64::load(counter, Ordering::Relaxed);
        let c = &self.counters;
        IngestStats {
            accepted: read(&c.accepted),
            dropped: read(&c.dropped),
            written: read(&c.written),
            discarded: read(&c.discarded),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = page_views)]
struct NewView {
    page_id: Uuid,
    organization_id: Uuid,
    occurred_at: DateTime<Utc>,
    visitor: Vec<u8>,
    referrer_host: Option<String>,
    utm_source: Option<String>,
    utm_medium: Option<String>,
    utm_campaign: Option<String>,
    device: &'static str,
}

#[derive(Insertable)]
#[diesel(table_name = block_clicks)]
struct NewClick {
    page_id: Uuid,
    block_id: Uuid,
    organization_id: Uuid,
    occurred_at: DateTime<Utc>,
    visitor: Vec<u8>,
    device: &'static str,
}

struct Writer {
    db: DbPool,
    clock: Arc<dyn Clock>,
    lookup: Arc<dyn PageLookup>,
    config: IngestConfig,
    counters: Arc<Counters>,
    salts: HashMap<NaiveDate, Vec<u8>>,
}

impl Writer {
    async fn run(mut self, mut rx: mpsc::Receiver<Hit>, mut stopped: watch::Receiver<bool>) {
        let mut buffer = Vec::with_capacity(self.config.batch);
        let mut tick = tokio::time::interval(self.config.flush_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                received = rx.recv() => match received {
                    Some(hit) => {
                        buffer.push(hit);
                        if buffer.len() >= self.config.batch {
                            self.flush(&mut buffer).await;
                        }
                    }
                    None => break,
                },
                _ = tick.tick() => {
                    if !buffer.is_empty() {
                        self.flush(&mut buffer).await;
                    }
                }
                _ = stopped.changed() => {
                    // Everything accepted before the stop is in the channel: take it all.
                    while let Ok(hit) = rx.try_recv() {
                        buffer.push(hit);
                        if buffer.len() >= self.config.batch {
                            self.flush(&mut buffer).await;
                        }
                    }
                    break;
                }
            }
        }
        if !buffer.is_empty() {
            self.flush(&mut buffer).await;
        }
        tracing::debug!("analytics writer stopped");
    }

    async fn flush(&mut self, buffer: &mut Vec<Hit>) {
        let hits = std::mem::take(buffer);
        let count = hits.len() as u64;
        match self.write(hits).await {
            Ok((written, discarded)) => {
                self.counters.written.fetch_add(written, Ordering::Relaxed);
                self.counters.discarded.fetch_add(discarded, Ordering::Relaxed);
            }
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), hits = count, "analytics batch lost");
                self.counters.discarded.fetch_add(count, Ordering::Relaxed);
            }
        }
    }

    /// Resolves and inserts one batch; `(rows written, hits discarded)`.
    async fn write(&mut self, hits: Vec<Hit>) -> anyhow::Result<(u64, u64)> {
        let mut conn = self.db.get().await?;
        let mut pages: HashMap<String, Option<PageRef>> = HashMap::new();
        let mut views = Vec::new();
        let mut clicks = Vec::new();
        let mut discarded = 0_u64;
        for hit in hits {
            let page = match hit.beacon.slug() {
                Some(slug) => match pages.get(slug) {
                    Some(found) => found.clone(),
                    None => {
                        let found = self.lookup.by_slug(slug).await?;
                        pages.insert(slug.to_owned(), found.clone());
                        found
                    }
                },
                None => None,
            };
            let page = match (&hit.beacon, page) {
                (Beacon::Click { block, .. }, Some(page)) if page.blocks.contains(block) => Some(page),
                (Beacon::Click { block, .. }, _) => self.lookup.by_block(*block).await?,
                (Beacon::View { .. }, page) => page,
            };
            let Some(page) = page else {
                tracing::warn!(beacon = ?hit.beacon, "analytics beacon for no published page: dropped");
                discarded += 1;
                continue;
            };
            let salt = self.salt(&mut conn, hit.at.date_naive()).await?;
            let visitor = visitor_hash(&salt, hit.ip, &hit.user_agent, page.page_id);
            let device = Device::of(&hit.user_agent).as_str();
            match hit.beacon {
                Beacon::View { referrer, .. } => {
                    let utm = hit.page_url.as_deref().map(Utm::from_page_url).unwrap_or_default();
                    views.push(NewView {
                        page_id: page.page_id,
                        organization_id: page.organization_id,
                        occurred_at: hit.at,
                        visitor,
                        referrer_host: referrer
                            .as_deref()
                            .and_then(|r| referrer_host(r, self.config.own_host.as_deref())),
                        utm_source: utm.source,
                        utm_medium: utm.medium,
                        utm_campaign: utm.campaign,
                        device,
                    });
                }
                Beacon::Click { block, .. } => clicks.push(NewClick {
                    page_id: page.page_id,
                    block_id: block,
                    organization_id: page.organization_id,
                    occurred_at: hit.at,
                    visitor,
                    device,
                }),
            }
        }
        let mut written = 0;
        if !views.is_empty() {
            written += diesel::insert_into(page_views::table).values(&views).execute(&mut conn).await?;
        }
        if !clicks.is_empty() {
            written += diesel::insert_into(block_clicks::table).values(&clicks).execute(&mut conn).await?;
        }
        Ok((written as u64, discarded))
    }

    /// The salt of `day`, created by whichever replica needs it first; older salts are deleted
    /// when a new day's salt is made, so yesterday's visitors can no longer be recomputed.
    async fn salt(&mut self, conn: &mut AsyncPgConnection, day: NaiveDate) -> anyhow::Result<Vec<u8>> {
        if let Some(salt) = self.salts.get(&day) {
            return Ok(salt.clone());
        }
        let fresh: [u8; 32] = rand::random();
        diesel::insert_into(salts::table)
            .values((salts::day.eq(day), salts::salt.eq(fresh.to_vec())))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        let salt: Vec<u8> = salts::table.find(day).select(salts::salt).first(conn).await?;
        let today = self.clock.now().date_naive();
        diesel::delete(salts::table.filter(salts::day.lt(today))).execute(conn).await?;
        self.salts.retain(|d, _| *d >= today);
        self.salts.insert(day, salt.clone());
        Ok(salt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beacons_are_read_leniently_and_refused_quietly() {
        assert_eq!(
            Beacon::view(br#"{"slug":"ana","referrer":"https://instagram.com/"}"#),
            Some(Beacon::View { slug: "ana".into(), referrer: Some("https://instagram.com/".into()) })
        );
        assert_eq!(
            Beacon::view(br#"{"slug":"ana","extra":1}"#),
            Some(Beacon::View { slug: "ana".into(), referrer: None })
        );
        let id = Uuid::now_v7();
        assert_eq!(
            Beacon::click(format!(r#"{{"blockId":"{id}"}}"#).as_bytes()),
            Some(Beacon::Click { block: id, slug: None })
        );
        for junk in [&b""[..], b"null", b"{}", b"{\"slug\":1}", b"\xff\xfe", b"{\"blockId\":\"nope\"}"] {
            assert_eq!(Beacon::view(junk), None);
            assert_eq!(Beacon::click(junk), None);
        }
    }
}
