//! The public read path's cache: published pages with their enabled blocks, in an LRU (1000
//! entries, 60 s TTL) keyed by slug, with an index by page id. Every write to a page or one of its
//! blocks evicts the page (by id, which finds its slug), locally at once and in every other
//! process through Postgres `NOTIFY` on [`CHANGE_CHANNEL`].
//!
//! Visibility windows are applied when the entry is read, not when it is loaded, so a block
//! appears or disappears on time even while its page sits in the cache.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use contracts::links::{PublicBlock, PublicPage, PublicPageView};
use lru::LruCache;
use uuid::Uuid;

use crate::domain::page::Visibility;

/// The `NOTIFY` channel on which page changes are announced (payload: the page id).
pub const CHANGE_CHANNEL: &str = "links_page_changed";
/// Entries kept.
pub const CAPACITY: usize = 1000;
/// How long an entry is trusted without a change notice.
pub const TTL: Duration = Duration::from_secs(60);

/// A published page as loaded: the page and its enabled blocks with their windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedPage {
    pub page: PublicPage,
    /// The organization that owns the page (not shown to visitors).
    pub organization_id: Uuid,
    /// Where the page's avatar is stored (its URL is in `page`): the OpenGraph card reads it.
    pub avatar_key: Option<String>,
    pub blocks: Vec<(PublicBlock, Visibility)>,
    /// Which read of the page this is: a new number for every load from the database (see
    /// [`CachedPage::next_load`]), so what is derived from an entry (the rendered HTML) can be
    /// cached under it and goes stale exactly when the entry does.
    pub load: u64,
}

impl CachedPage {
    /// A number no earlier load in this process has had.
    #[must_use]
    pub fn next_load() -> u64 {
        static LOADS: AtomicU64 = AtomicU64::new(1);
        LOADS.fetch_add(1, Ordering::Relaxed)
    }

    /// What visitors see at `now`: the blocks inside their window, in position order.
    #[must_use]
    pub fn view_at(&self, now: DateTime<Utc>) -> PublicPageView {
        PublicPageView {
            page: self.page.clone(),
            blocks: self.blocks.iter().filter(|(_, v)| v.shown_at(now)).map(|(b, _)| b.clone()).collect(),
        }
    }
}

struct Entry {
    page: std::sync::Arc<CachedPage>,
    loaded: Instant,
}

struct Inner {
    by_slug: LruCache<String, Entry>,
    slug_of: HashMap<Uuid, String>,
}

/// The cache. Cheap to share (`Arc`); all methods take `&self`.
pub struct PublicPageCache {
    inner: Mutex<Inner>,
    ttl: Duration,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl std::fmt::Debug for PublicPageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicPageCache").field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

impl Default for PublicPageCache {
    fn default() -> Self {
        Self::new(CAPACITY, TTL)
    }
}

impl PublicPageCache {
    /// A cache of `capacity` pages trusted for `ttl`.
    #[must_use]
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        Self {
            inner: Mutex::new(Inner { by_slug: LruCache::new(capacity), slug_of: HashMap::new() }),
            ttl,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the maps inconsistent in a harmful way:
        // at worst an entry is missing, which is a miss.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The fresh entry for `slug` (lowercase), counting the hit or miss.
    pub fn get(&self, slug: &str) -> Option<std::sync::Arc<CachedPage>> {
        let mut inner = self.lock();
        let fresh = match inner.by_slug.get(slug) {
            Some(entry) if entry.loaded.elapsed() < self.ttl => Some(entry.page.clone()),
            Some(_) => {
                if let Some(stale) = inner.by_slug.pop(slug) {
                    inner.slug_of.remove(&uuid_of(&stale.page));
                }
                None
            }
            None => None,
        };
        drop(inner);
        let counter = if fresh.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        fresh
    }

    /// The fresh entry for page `id`, if it is cached.
    pub fn get_by_id(&self, id: Uuid) -> Option<std::sync::Arc<CachedPage>> {
        let slug = self.lock().slug_of.get(&id).cloned()?;
        self.get(&slug)
    }

    /// Caches a freshly loaded page under its slug.
    pub fn put(&self, page: std::sync::Arc<CachedPage>) {
        let slug = page.page.slug.to_lowercase();
        let id = uuid_of(&page);
        let mut inner = self.lock();
        if let Some(old_slug) = inner.slug_of.insert(id, slug.clone())
            && old_slug != slug
        {
            inner.by_slug.pop(&old_slug);
        }
        if let Some((evicted_slug, evicted)) =
            inner.by_slug.push(slug.clone(), Entry { page, loaded: Instant::now() })
            && evicted_slug != slug
        {
            inner.slug_of.remove(&uuid_of(&evicted.page));
        }
    }

    /// Forgets page `id` (under whatever slug it was cached).
    pub fn evict_page(&self, id: Uuid) {
        let mut inner = self.lock();
        if let Some(slug) = inner.slug_of.remove(&id) {
            inner.by_slug.pop(&slug);
        }
    }

    /// Forgets everything (after the change notices may have been missed).
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.by_slug.clear();
        inner.slug_of.clear();
    }

    /// `(hits, misses, entries)` since start-up.
    pub fn stats(&self) -> (u64, u64, usize) {
        let len = self.lock().by_slug.len();
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed), len)
    }
}

/// The handler of cross-process notices for `cache`: evict the named page; after a
/// (re)connection, forget everything (notices may have been missed meanwhile).
#[must_use]
pub fn on_signal(cache: std::sync::Arc<PublicPageCache>) -> runtime::notify::Handler {
    std::sync::Arc::new(move |signal| match signal {
        runtime::notify::Signal::Connected => cache.clear(),
        runtime::notify::Signal::Notice { payload, .. } => match payload.parse() {
            Ok(id) => cache.evict_page(id),
            Err(_) => tracing::warn!(payload, "unreadable page change notice"),
        },
    })
}

fn uuid_of(page: &CachedPage) -> Uuid {
    page.page.id.parse().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use contracts::theme::PageTheme;

    use super::*;

    fn page(slug: &str) -> std::sync::Arc<CachedPage> {
        std::sync::Arc::new(CachedPage {
            page: PublicPage {
                id: Uuid::now_v7().to_string(),
                slug: slug.to_owned(),
                title: "T".into(),
                bio: String::new(),
                theme: PageTheme::default(),
                avatar_url: None,
                updated_at: "2026-11-25T00:00:00Z".into(),
                branding: true,
            },
            organization_id: Uuid::now_v7(),
            avatar_key: None,
            blocks: vec![],
            load: CachedPage::next_load(),
        })
    }

    #[test]
    fn hits_misses_and_evicts_by_id() {
        let cache = PublicPageCache::default();
        assert!(cache.get("ana").is_none());
        let ana = page("ana");
        cache.put(ana.clone());
        assert_eq!(cache.get("ana").unwrap(), ana);
        assert_eq!(cache.get_by_id(uuid_of(&ana)).unwrap(), ana);
        cache.evict_page(uuid_of(&ana));
        assert!(cache.get("ana").is_none());
        assert_eq!(cache.stats().0, 2);
    }

    #[test]
    fn a_renamed_page_leaves_its_old_slug() {
        let cache = PublicPageCache::default();
        let old = page("old-name");
        cache.put(old.clone());
        let mut renamed = (*old).clone();
        renamed.page.slug = "new-name".into();
        cache.put(std::sync::Arc::new(renamed));
        assert!(cache.get("old-name").is_none());
        assert!(cache.get("new-name").is_some());
    }

    #[test]
    fn entries_expire_and_capacity_is_bounded() {
        let cache = PublicPageCache::new(2, Duration::ZERO);
        cache.put(page("ana"));
        assert!(cache.get("ana").is_none(), "a zero TTL never serves");
        let cache = PublicPageCache::new(2, TTL);
        let (a, b, c) = (page("aaa"), page("bbb"), page("ccc"));
        cache.put(a.clone());
        cache.put(b);
        cache.put(c);
        assert!(cache.get("aaa").is_none(), "the least recently used page was dropped");
        assert!(cache.get_by_id(uuid_of(&a)).is_none());
        assert_eq!(cache.stats().2, 2);
    }
}
