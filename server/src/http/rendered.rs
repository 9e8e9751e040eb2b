//! The public page's HTML, rendered once and kept ready to send in its brotli and gzip encodings
//! (the plain body is decoded from gzip for the rare client that accepts neither), keyed by what
//! the render depends on — the page's cache entry (a new [`CachedPage::load`] number every time
//! the page is read from the database, so an edit, which evicts the entry, also retires its
//! renders), which blocks are inside their window now, the visitor's language and whether the
//! in-app-browser hint shows.
//!
//! A cache hit is then a lookup and a copy of `Bytes`: no Leptos render and no compression per
//! request. Responses carry their own `Content-Encoding`, which the compression layer leaves alone.
//!
//! The same goes for the validators of a page's OpenGraph card ([`CardKeys`]).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::sync::{Arc, Mutex, PoisonError};

use axum::http::HeaderValue;
use bytes::Bytes;
use cards::CardKey;
use chrono::{DateTime, Utc};
use contracts::Locale;
use links::cache::CachedPage;
use runtime::byte_lru::{ByteLru, Weigh};
use sha2::{Digest as _, Sha256};

/// The default budget: 24 MiB. A page weighs ~5–15 KB in its two encodings (a typical page: 23.5 KB
/// of HTML, 6.8 KB gzip, 6.4 KB brotli), so the budget holds some 1 900 renders: every page the
/// public page cache holds (1 000), in both languages for the popular ones. (It was 32 MiB for
/// about 900 pages while the plain HTML was kept too.)
pub const DEFAULT_BUDGET: usize = 24 * 1024 * 1024;

/// One rendered page, kept in the two encodings nearly every visitor accepts: brotli and gzip.
///
/// The plain HTML is not kept: it weighs as much as both encodings together, and only clients
/// that accept no compression (scripts, a few crawlers) want it; they get the gzip body decoded
/// (some tens of microseconds). Keeping it cost a third of the pages the budget holds.
#[derive(Debug)]
pub struct Rendered {
    pub br: Bytes,
    pub gzip: Bytes,
    /// A weak validator of the content (the same for every encoding).
    pub etag: HeaderValue,
}

impl Rendered {
    /// Encodes `html` (brotli at a fast quality, gzip at the default level: renders happen once
    /// per page load, but for every hot page once a minute).
    #[must_use]
    pub fn new(html: String) -> Self {
        // Every buffer is copied to its length before it is kept: an encoder grows its buffer by
        // doubling, and `Bytes` keeps a `Vec`'s spare capacity, which the cache's byte budget
        // would not see (kept pages would take up to twice the budget).
        let digest = Sha256::digest(html.as_bytes());
        let etag = format!("W/\"{}\"", hex::encode(&digest[..12]));
        Self {
            br: brotli_encode(html.as_bytes()),
            gzip: gzip_encode(html.as_bytes()),
            etag: HeaderValue::from_str(&etag).expect("hex is a valid header value"),
        }
    }

    /// The body in `encoding`.
    #[must_use]
    pub fn body(&self, encoding: Encoding) -> Bytes {
        match encoding {
            Encoding::Br => self.br.clone(),
            Encoding::Gzip => self.gzip.clone(),
            Encoding::Identity => self.identity(),
        }
    }

    /// The plain HTML, decoded from the gzip body.
    #[must_use]
    pub fn identity(&self) -> Bytes {
        let mut html = Vec::with_capacity(self.gzip.len() * 4);
        flate2::read::GzDecoder::new(&self.gzip[..])
            .read_to_end(&mut html)
            .expect("the gzip body was encoded by this process");
        Bytes::from(html)
    }
}

impl Weigh for Rendered {
    fn weight(&self) -> usize {
        self.br.len() + self.gzip.len()
    }
}

fn brotli_encode(data: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(data.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        writer.write_all(data).expect("writing to a Vec cannot fail");
    }
    exact(out)
}

fn gzip_encode(data: &[u8]) -> Bytes {
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::with_capacity(data.len() / 3), flate2::Compression::default());
    encoder.write_all(data).expect("writing to a Vec cannot fail");
    exact(encoder.finish().expect("writing to a Vec cannot fail"))
}

/// `bytes` in an allocation of exactly their length: copied, since shrinking a `Vec` in place may
/// keep its spare capacity (mimalloc keeps a block that is at most half too large).
fn exact(bytes: Vec<u8>) -> Bytes {
    Bytes::copy_from_slice(&bytes)
}

/// A content coding the visitor accepts, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Br,
    Gzip,
    Identity,
}

impl Encoding {
    /// The best coding `accept_encoding` allows: brotli, then gzip, else none. A coding with
    /// `q=0` is refused; `*` stands for any coding not named.
    #[must_use]
    pub fn negotiate(accept_encoding: Option<&str>) -> Self {
        let Some(header) = accept_encoding else { return Self::Identity };
        let (mut br, mut gzip, mut any) = (None, None, None);
        for item in header.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let accepted = parts.all(|p| {
                let p = p.trim();
                !p.strip_prefix("q=")
                    .or_else(|| p.strip_prefix("Q="))
                    .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
            });
            match name.to_ascii_lowercase().as_str() {
                "br" => br = Some(accepted),
                "gzip" | "x-gzip" => gzip = Some(accepted),
                "*" => any = Some(accepted),
                _ => {}
            }
        }
        let any = any.unwrap_or(false);
        if br.unwrap_or(any) {
            Self::Br
        } else if gzip.unwrap_or(any) {
            Self::Gzip
        } else {
            Self::Identity
        }
    }

    /// The `Content-Encoding` value, if any.
    #[must_use]
    pub const fn header(self) -> Option<&'static str> {
        match self {
            Self::Br => Some("br"),
            Self::Gzip => Some("gzip"),
            Self::Identity => None,
        }
    }
}

/// The cache of rendered pages. Cheap to share (`Arc`).
#[derive(Debug)]
pub struct RenderedPages {
    cache: ByteLru<Arc<Rendered>>,
}

impl Default for RenderedPages {
    fn default() -> Self {
        Self::new(DEFAULT_BUDGET)
    }
}

impl RenderedPages {
    /// A cache holding at most `budget` bytes of HTML.
    #[must_use]
    pub fn new(budget: usize) -> Self {
        Self { cache: ByteLru::new(budget) }
    }

    /// The key of `page` as a visitor sees it at `now` in `locale`, with or without the in-app
    /// browser hint.
    #[must_use]
    pub fn key(page: &CachedPage, now: DateTime<Utc>, locale: Locale, in_app: bool) -> String {
        let mut key = String::with_capacity(64 + page.blocks.len());
        let _ = write!(key, "{}:{}:{}:{}:", page.page.id, page.load, locale.tag(), u8::from(in_app));
        key.extend(page.blocks.iter().map(|(_, window)| if window.shown_at(now) { '1' } else { '0' }));
        key
    }

    /// The render stored under `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<Arc<Rendered>> {
        self.cache.get(key)
    }

    /// Keeps `rendered` under `key`.
    pub fn put(&self, key: String, rendered: Arc<Rendered>) {
        self.cache.put(key, rendered);
    }

    /// `(entries, bytes)` held now.
    #[must_use]
    pub fn usage(&self) -> (usize, usize) {
        self.cache.usage()
    }
}

/// A page's OpenGraph card as its validators name it: the card's key (a SHA-256 over everything
/// drawn on it) and its `ETag`.
#[derive(Debug)]
pub struct CardValidator {
    pub key: CardKey,
    pub etag: HeaderValue,
}

/// The card validators of pages, per page cache entry ([`CachedPage::load`]): worked out once per
/// load of the page rather than on every request for its card. An entry goes stale with its load.
#[derive(Debug, Default)]
pub struct CardKeys {
    keys: Mutex<HashMap<u64, Arc<CardValidator>>>,
}

/// The most validators kept; past it they are all dropped and worked out again as asked (the
/// public page cache holds 1 000 pages, so this happens after a few refreshes of all of them).
const CARD_KEYS: usize = 4096;

impl CardKeys {
    /// The validator of the card of `load`, made by `key` the first time.
    pub fn get_or_insert_with(&self, load: u64, key: impl FnOnce() -> CardKey) -> Arc<CardValidator> {
        if let Some(found) = self.lock().get(&load) {
            return found.clone();
        }
        let key = key();
        let etag = HeaderValue::from_str(&key.etag()).unwrap_or_else(|_| HeaderValue::from_static("\"og\""));
        let made = Arc::new(CardValidator { key, etag });
        let mut keys = self.lock();
        if keys.len() >= CARD_KEYS {
            keys.clear();
        }
        keys.insert(load, made.clone());
        made
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<CardValidator>>> {
        self.keys.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    #[test]
    fn negotiates_the_best_accepted_coding() {
        let cases = [
            (None, Encoding::Identity),
            (Some(""), Encoding::Identity),
            (Some("gzip"), Encoding::Gzip),
            (Some("gzip, deflate, br, zstd"), Encoding::Br),
            (Some("br;q=0, gzip"), Encoding::Gzip),
            (Some("BR;Q=0.5, GZIP;q=1"), Encoding::Br),
            (Some("*"), Encoding::Br),
            (Some("*;q=0, gzip"), Encoding::Gzip),
            (Some("gzip;q=0"), Encoding::Identity),
            (Some("identity, deflate"), Encoding::Identity),
            (Some("x-gzip"), Encoding::Gzip),
        ];
        for (header, expected) in cases {
            assert_eq!(Encoding::negotiate(header), expected, "{header:?}");
        }
    }

    #[test]
    fn every_encoding_decodes_to_the_same_html() {
        let html = "<!doctype html><p>Hola, ñandú 👋</p>".repeat(50);
        let rendered = Rendered::new(html.clone());
        assert_eq!(rendered.body(Encoding::Identity), html.as_bytes());
        let mut gunzipped = String::new();
        flate2::read::GzDecoder::new(&rendered.gzip[..]).read_to_string(&mut gunzipped).unwrap();
        assert_eq!(gunzipped, html);
        let mut unbrotli = String::new();
        brotli::Decompressor::new(&rendered.br[..], 4096).read_to_string(&mut unbrotli).unwrap();
        assert_eq!(unbrotli, html);
        assert!(rendered.br.len() < html.len() / 4 && rendered.gzip.len() < html.len() / 4);
        assert!(rendered.etag.to_str().unwrap().starts_with("W/\""));
        assert_ne!(
            Rendered::new(format!("{html}.")).etag,
            rendered.etag,
            "the validator follows the content"
        );
    }
}
