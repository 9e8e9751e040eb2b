//! An in-memory LRU bounded by the bytes it holds rather than by its entry count, for values whose
//! sizes differ by orders of magnitude (rendered OpenGraph cards, rendered public pages).

use std::sync::Mutex;

use bytes::Bytes;
use lru::LruCache;

/// What a cached value costs the budget.
pub trait Weigh {
    /// The bytes this value holds.
    fn weight(&self) -> usize;
}

impl Weigh for Bytes {
    fn weight(&self) -> usize {
        self.len()
    }
}

impl<T: Weigh> Weigh for std::sync::Arc<T> {
    fn weight(&self) -> usize {
        (**self).weight()
    }
}

/// What an entry costs besides its value's bytes and its key's: the list node (key, value, two
/// links), its hash slot and the allocations' headers, rounded up. The budget counts it so that a
/// cache of many small values stays within it too.
pub const ENTRY_OVERHEAD: usize = 128;

/// What `key` and `value` cost the budget.
fn cost<V: Weigh>(key: &str, value: &V) -> usize {
    value.weight() + key.len() + ENTRY_OVERHEAD
}

struct Inner<V> {
    entries: LruCache<String, V>,
    bytes: usize,
}

/// The cache, keyed by strings. All methods take `&self`; values are cloned out (make them cheap
/// to clone: `Bytes`, `Arc`).
pub struct ByteLru<V> {
    inner: Mutex<Inner<V>>,
    budget: usize,
}

impl<V> std::fmt::Debug for ByteLru<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (entries, bytes) = self.usage();
        f.debug_struct("ByteLru").field("entries", &entries).field("bytes", &bytes).finish()
    }
}

impl<V: Weigh + Clone> ByteLru<V> {
    /// A cache holding at most `budget` bytes.
    #[must_use]
    pub fn new(budget: usize) -> Self {
        Self { inner: Mutex::new(Inner { entries: LruCache::unbounded(), bytes: 0 }), budget }
    }

    /// The value stored under `key`, marking it recently used.
    pub fn get(&self, key: &str) -> Option<V> {
        self.lock().entries.get(key).cloned()
    }

    /// Stores `value` under `key`, evicting the least recently used values until the budget
    /// holds. A value larger than the whole budget is not kept. An entry costs its value's
    /// [`Weigh::weight`], its key's length and [`ENTRY_OVERHEAD`].
    pub fn put(&self, key: String, value: V) {
        let added = cost(&key, &value);
        if added > self.budget {
            return;
        }
        let mut inner = self.lock();
        let removed = inner.entries.pop(&key).map(|old| cost(&key, &old));
        inner.entries.put(key, value);
        inner.bytes = inner.bytes.saturating_sub(removed.unwrap_or(0)) + added;
        while inner.bytes > self.budget {
            match inner.entries.pop_lru() {
                Some((key, evicted)) => inner.bytes = inner.bytes.saturating_sub(cost(&key, &evicted)),
                None => break,
            }
        }
    }
}

impl<V> ByteLru<V> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<V>> {
        // A panic while holding the lock leaves at worst a wrong byte count, corrected as
        // entries go.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `(entries, bytes)` held now (bytes as the budget counts them: see [`ByteLru::put`]).
    pub fn usage(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.entries.len(), inner.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(len: usize) -> Bytes {
        Bytes::from(vec![0_u8; len])
    }

    #[test]
    fn evicts_least_recently_used_until_under_budget() {
        // Keys of one byte: an entry of `n` bytes costs `n + 1 + ENTRY_OVERHEAD`.
        let entry = |n: usize| n + 1 + ENTRY_OVERHEAD;
        let cache = ByteLru::new(2 * entry(40) + 30);
        cache.put("a".into(), value(40));
        cache.put("b".into(), value(40));
        assert!(cache.get("a").is_some(), "touching a makes b the oldest");
        cache.put("c".into(), value(40));
        assert!(cache.get("b").is_none());
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
        assert_eq!(cache.usage(), (2, 2 * entry(40)));
        cache.put("d".into(), value(90));
        assert_eq!(cache.usage(), (1, entry(90)), "everything older went to make room");
        cache.put("huge".into(), value(2 * entry(40)));
        assert!(cache.get("huge").is_none(), "larger than the budget: not kept");
        cache.put("d".into(), value(10));
        assert_eq!(cache.usage(), (1, entry(10)), "replacing an entry counts its new size only");
    }

    #[test]
    fn many_small_entries_count_their_keys_and_overhead() {
        let cache = ByteLru::new(10 * (ENTRY_OVERHEAD + 2));
        for n in 0..100 {
            cache.put(format!("{n:02}"), value(0));
        }
        assert_eq!(cache.usage(), (10, 10 * (ENTRY_OVERHEAD + 2)));
    }
}
