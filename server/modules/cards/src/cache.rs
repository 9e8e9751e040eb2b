//! Rendered cards kept in memory: an LRU bounded by the bytes it holds (not by entries, since a
//! card weighs 30–300 KB), keyed by what the card was rendered from (see [`crate::CardKey`]).

use std::sync::Mutex;

use bytes::Bytes;
use lru::LruCache;

/// The default budget: 32 MiB (a few hundred cards).
pub const DEFAULT_BUDGET: usize = 32 * 1024 * 1024;

struct Inner {
    entries: LruCache<String, Bytes>,
    bytes: usize,
}

/// The cache. All methods take `&self`.
pub struct CardCache {
    inner: Mutex<Inner>,
    budget: usize,
}

impl std::fmt::Debug for CardCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (entries, bytes) = self.usage();
        f.debug_struct("CardCache").field("entries", &entries).field("bytes", &bytes).finish()
    }
}

impl CardCache {
    /// A cache holding at most `budget` bytes of PNG.
    #[must_use]
    pub fn new(budget: usize) -> Self {
        Self { inner: Mutex::new(Inner { entries: LruCache::unbounded(), bytes: 0 }), budget }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves at worst a wrong byte count, corrected as
        // entries go.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The card stored under `key`, marking it recently used.
    pub fn get(&self, key: &str) -> Option<Bytes> {
        self.lock().entries.get(key).cloned()
    }

    /// Stores `png` under `key`, evicting the least recently used cards until the budget holds.
    /// A card larger than the whole budget is not kept.
    pub fn put(&self, key: String, png: Bytes) {
        if png.len() > self.budget {
            return;
        }
        let mut inner = self.lock();
        let added = png.len();
        if let Some(old) = inner.entries.put(key, png) {
            inner.bytes = inner.bytes.saturating_sub(old.len());
        }
        inner.bytes += added;
        while inner.bytes > self.budget {
            match inner.entries.pop_lru() {
                Some((_, evicted)) => inner.bytes = inner.bytes.saturating_sub(evicted.len()),
                None => break,
            }
        }
    }

    /// `(entries, bytes)` held now.
    pub fn usage(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.entries.len(), inner.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(len: usize) -> Bytes {
        Bytes::from(vec![0_u8; len])
    }

    #[test]
    fn evicts_least_recently_used_until_under_budget() {
        let cache = CardCache::new(100);
        cache.put("a".into(), card(40));
        cache.put("b".into(), card(40));
        assert!(cache.get("a").is_some(), "touching a makes b the oldest");
        cache.put("c".into(), card(40));
        assert!(cache.get("b").is_none());
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
        assert_eq!(cache.usage(), (2, 80));
        cache.put("d".into(), card(90));
        assert_eq!(cache.usage(), (1, 90), "everything older went to make room");
        cache.put("huge".into(), card(101));
        assert!(cache.get("huge").is_none(), "larger than the budget: not kept");
        cache.put("d".into(), card(10));
        assert_eq!(cache.usage(), (1, 10), "replacing an entry counts its new size only");
    }
}
