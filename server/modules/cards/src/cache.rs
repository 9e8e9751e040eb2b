//! Rendered cards kept in memory: an LRU bounded by the bytes it holds (not by entries, since a
//! card weighs 30–300 KB), keyed by what the card was rendered from (see [`crate::CardKey`]).

use bytes::Bytes;

/// The default budget: 32 MiB (a few hundred cards).
pub const DEFAULT_BUDGET: usize = 32 * 1024 * 1024;

/// The cache of PNGs.
pub type CardCache = runtime::byte_lru::ByteLru<Bytes>;
