//! Cards as the host serves them: from the byte-bounded cache when the same version was rendered
//! before, else rendered by a small pool of render threads of its own (one per core, started with
//! the service) behind a semaphore of one permit per thread — a burst of crawlers costs at most one
//! render per core at a time, and those queued behind a render of the same card get its result
//! from the cache.
//!
//! Why threads of its own rather than tokio's blocking pool: a render allocates a few MB (the
//! 1200×630 pixmap, resvg's layers, the PNG) and a per-thread allocator (mimalloc) keeps what a
//! thread freed for that thread. On the blocking pool, whose threads come and go, every thread that
//! ever rendered held its own few MB until it exited; a fixed set of render threads reuses the same
//! memory, and the host can hand them an allocator trim to run when they go idle
//! ([`Cards::with_trim`]).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use bytes::Bytes;
use contracts::theme::{FontChoice, PageTheme, ThemePreset};
use sha2::{Digest as _, Sha256};
use tokio::sync::{Semaphore, oneshot};

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
    pool: Arc<RenderPool>,
}

/// What a render thread runs.
type Job = Box<dyn FnOnce() + Send>;

/// The render threads and their queue. A job is only queued by the holder of a permit, so the queue
/// never holds more jobs than there are threads. The threads end when the last [`Cards`] clone is
/// dropped (their queue closes).
struct RenderPool {
    jobs: mpsc::Sender<Job>,
    /// Jobs queued or running.
    pending: Arc<AtomicUsize>,
    /// Run on a render thread after a render when no other is queued or running
    /// (see [`Cards::with_trim`]).
    trim: Arc<OnceLock<fn()>>,
}

impl std::fmt::Debug for RenderPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderPool").field("pending", &self.pending.load(Ordering::Relaxed)).finish()
    }
}

impl RenderPool {
    fn start(threads: usize) -> anyhow::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let pending = Arc::new(AtomicUsize::new(0));
        let trim = Arc::new(OnceLock::<fn()>::new());
        for n in 0..threads {
            let (queue, pending, trim) = (queue.clone(), pending.clone(), trim.clone());
            std::thread::Builder::new().name(format!("card-render-{n}")).spawn(move || {
                loop {
                    // One thread waits on the queue at a time; the others wait for the lock.
                    let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    let Ok(job) = job else { return };
                    // A render that panics fails its request (its reply is dropped), not the thread.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    if pending.fetch_sub(1, Ordering::AcqRel) == 1
                        && let Some(trim) = trim.get()
                    {
                        trim();
                    }
                }
            })?;
        }
        Ok(Self { jobs, pending, trim })
    }

    /// Runs `job` on a render thread.
    fn run(&self, job: Job) -> anyhow::Result<()> {
        self.pending.fetch_add(1, Ordering::AcqRel);
        if self.jobs.send(job).is_err() {
            self.pending.fetch_sub(1, Ordering::AcqRel);
            anyhow::bail!("the card render threads are gone");
        }
        Ok(())
    }
}

impl Cards {
    /// A service rendering with `renderer` on `threads` render threads of its own (started now),
    /// caching up to `budget` bytes.
    ///
    /// # Errors
    /// When a thread cannot be started.
    pub fn new(renderer: CardRenderer, budget: usize, threads: usize) -> anyhow::Result<Self> {
        let threads = threads.max(1);
        Ok(Self {
            renderer,
            cache: Arc::new(CardCache::new(budget)),
            permits: Arc::new(Semaphore::new(threads)),
            pool: Arc::new(RenderPool::start(threads)?),
        })
    }

    /// A service with the shipped fonts, a 32 MiB cache and one render thread per core.
    ///
    /// # Errors
    /// When the embedded fonts cannot be read (a broken build), or a thread cannot be started.
    pub fn for_this_machine() -> anyhow::Result<Self> {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        Self::new(CardRenderer::new()?, crate::cache::DEFAULT_BUDGET, cores)
    }

    /// Has the render threads call `trim` whenever they finish a render and no other is queued or
    /// running: the host passes its allocator's "return freed memory now" (mimalloc's
    /// `mi_collect`), so what a burst of renders used goes back to the OS when the burst ends
    /// rather than whenever the allocator next looks. Set once; later calls are ignored.
    #[must_use]
    pub fn with_trim(self, trim: fn()) -> Self {
        let _ = self.pool.trim.set(trim);
        self
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
    /// When rendering fails or panics.
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
        let (done, rendered) = oneshot::channel();
        // The permit and the cache write go with the job: a client that hangs up neither frees a
        // permit early nor wastes the render.
        self.pool.run(Box::new(move || {
            let _permit = permit;
            let started = std::time::Instant::now();
            let png = renderer.render(&card).map(|png| {
                // Copied into an allocation of its length: the encoder grew its buffer by doubling,
                // and shrinking it in place may keep the spare capacity (mimalloc keeps a block
                // that is at most half too large), which the cache's byte budget would not see.
                let png = Bytes::copy_from_slice(&png);
                tracing::debug!(ms = started.elapsed().as_millis(), bytes = png.len(), "rendered a card");
                cache.put(cache_key, png.clone());
                png
            });
            let _ = done.send(png);
        }))?;
        let png = rendered.await.map_err(|_| anyhow::anyhow!("a card render panicked"))??;
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    static TRIMS: AtomicUsize = AtomicUsize::new(0);

    fn count_trim() {
        TRIMS.fetch_add(1, Ordering::Relaxed);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn renders_on_the_pool_once_per_card_and_trims_when_idle() {
        let cards = Cards::new(CardRenderer::new().expect("fonts"), 8 * 1024 * 1024, 2)
            .expect("threads start")
            .with_trim(count_trim);
        let card = Card::site("Tu página de enlaces", "mibio.example");
        let key = CardKey::new("site-es", "", &card);
        let (first, second) = tokio::join!(cards.png(&key, card.clone()), cards.png(&key, card.clone()));
        let (first, second) = (first.expect("renders"), second.expect("renders"));
        assert!(first.0.starts_with(b"\x89PNG") && first.0 == second.0);
        let rendered = [first.1, second.1].iter().filter(|s| **s == Served::Rendered).count();
        assert!(rendered >= 1, "rendered at least once");
        let (third, served) = cards.png(&key, card).await.expect("cached");
        assert_eq!((third, served), (first.0, Served::Cached));
        assert_eq!(cards.cache_usage().0, 1);
        // The trim runs after the reply is sent: give the render thread a moment.
        for _ in 0..100 {
            if TRIMS.load(Ordering::Relaxed) >= 1 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(TRIMS.load(Ordering::Relaxed) >= 1, "the pool trimmed when its queue emptied");
    }
}
