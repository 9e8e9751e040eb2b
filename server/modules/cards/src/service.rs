//! Cards as the host serves them: from the byte-bounded cache when the same version was rendered
//! before, else rendered on tokio's blocking pool behind a semaphore of one permit per core — a
//! burst of crawlers costs at most one render per core at a time, and those queued behind a
//! render of the same card get its result from the cache.

use std::sync::Arc;

use bytes::Bytes;
use contracts::theme::{FontChoice, PageTheme, ThemePreset};
use sha2::{Digest as _, Sha256};
use tokio::sync::Semaphore;

use crate::cache::CardCache;
use crate::render::CardRenderer;
use crate::{Card, CardKind};

/// Bumped when the card's design changes, so every ETag changes with it.
const DESIGN_REVISION: &str = "2026-11-25.1";

/// What a card is cached under: its owner (a page id, or `site-{locale}`) and a version that
/// changes whenever anything drawn on it may have (the page's `updated_at` and the card's inputs).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CardKey {
    owner: String,
    version: String,
    /// `owner:version`, the key of the PNG cache (made once, looked up on every request).
    cache_key: String,
}

impl CardKey {
    /// The key of `card` for `owner`, whose last change was at `updated_at`.
    #[must_use]
    pub fn new(owner: &str, updated_at: &str, card: &Card) -> Self {
        let mut hash = Sha256::new();
        for part in [DESIGN_REVISION, updated_at, &card.title, &card.bio, &card.host_and_path] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        hash.update(format!("{:?}|{:?}", card.theme, card.kind).as_bytes());
        if let Some(avatar) = &card.avatar {
            hash.update(avatar);
        }
        let version = hex::encode(&hash.finalize()[..8]);
        let owner: String = owner.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        let cache_key = format!("{owner}:{version}");
        Self { owner, version, cache_key }
    }

    /// The strong ETag (quoted): `"og-{owner}-{version}"`.
    #[must_use]
    pub fn etag(&self) -> String {
        format!("\"og-{}-{}\"", self.owner, self.version)
    }
}

/// Whether a card came from the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Served {
    Cached,
    Rendered,
}

/// The host's card service. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Cards {
    renderer: CardRenderer,
    cache: Arc<CardCache>,
    permits: Arc<Semaphore>,
}

impl Cards {
    /// A service rendering with `renderer`, caching up to `budget` bytes, and rendering at most
    /// `concurrency` cards at once.
    #[must_use]
    pub fn new(renderer: CardRenderer, budget: usize, concurrency: usize) -> Self {
        Self {
            renderer,
            cache: Arc::new(CardCache::new(budget)),
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    /// A service with the shipped fonts, a 32 MiB cache and one render per core.
    ///
    /// # Errors
    /// When the embedded fonts cannot be read (a broken build).
    pub fn for_this_machine() -> anyhow::Result<Self> {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        Ok(Self::new(CardRenderer::new()?, crate::cache::DEFAULT_BUDGET, cores))
    }

    /// The renderer.
    #[must_use]
    pub fn renderer(&self) -> &CardRenderer {
        &self.renderer
    }

    /// `(entries, bytes)` in the cache.
    #[must_use]
    pub fn cache_usage(&self) -> (usize, usize) {
        self.cache.usage()
    }

    /// The PNG at `key` if it is in the cache (nothing is rendered).
    #[must_use]
    pub fn cached(&self, key: &CardKey) -> Option<Bytes> {
        self.cache.get(&key.cache_key)
    }

    /// The PNG of `card` at `key`: cached, or rendered now (and cached).
    ///
    /// # Errors
    /// When rendering fails or the blocking task panics.
    #[tracing::instrument(skip(self, card), fields(kind = ?card.kind))]
    pub async fn png(&self, key: &CardKey, card: Card) -> anyhow::Result<(Bytes, Served)> {
        let cache_key = key.cache_key.clone();
        if let Some(png) = self.cache.get(&cache_key) {
            return Ok((png, Served::Cached));
        }
        let permit = self.permits.clone().acquire_owned().await?;
        // Someone may have rendered this very card while we waited.
        if let Some(png) = self.cache.get(&cache_key) {
            return Ok((png, Served::Cached));
        }
        let renderer = self.renderer.clone();
        let cache = self.cache.clone();
        // The permit and the cache write go with the task: a client that hangs up neither frees a
        // permit early nor wastes the render.
        let png = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let started = std::time::Instant::now();
            // Cut to its length: the encoder grew it by doubling, and the cache's byte budget
            // counts lengths (spare capacity would let the cache hold up to twice its budget).
            let png = Bytes::from(renderer.render(&card)?.into_boxed_slice());
            tracing::debug!(ms = started.elapsed().as_millis(), bytes = png.len(), "rendered a card");
            cache.put(cache_key, png.clone());
            Ok::<_, anyhow::Error>(png)
        })
        .await??;
        Ok((png, Served::Rendered))
    }
}

impl Card {
    /// mibio's own card (the landing page's): the mark, the name and `tagline`, in the house
    /// colours (the mark's navy and gold).
    #[must_use]
    pub fn site(tagline: &str, host: &str) -> Self {
        let theme = PageTheme { font: Some(FontChoice::Sans), ..PageTheme::preset(ThemePreset::Ejecutivo) };
        Self {
            title: "mibio".to_owned(),
            bio: tagline.to_owned(),
            theme: theme.resolve(),
            host_and_path: host.to_owned(),
            avatar: None,
            kind: CardKind::Site,
        }
    }
}
