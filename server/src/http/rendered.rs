//! The public page's HTML, rendered once and kept ready to send: the plain body and its brotli and
//! gzip encodings, keyed by what the render depends on — the page's cache entry (a new
//! [`CachedPage::load`] number every time the page is read from the database, so an edit, which
//! evicts the entry, also retires its renders), which blocks are inside their window now, the
//! visitor's language and whether the in-app-browser hint shows.
//!
//! A cache hit is then a lookup and a copy of `Bytes`: no Leptos render and no compression per
//! request. Responses carry their own `Content-Encoding`, which the compression layer leaves alone.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Arc;

use axum::http::HeaderValue;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use contracts::Locale;
use links::cache::CachedPage;
use runtime::byte_lru::{ByteLru, Weigh};
use sha2::{Digest as _, Sha256};

/// The default budget: 32 MiB (a page weighs ~10–40 KB in its three encodings).
pub const DEFAULT_BUDGET: usize = 32 * 1024 * 1024;

/// One rendered page in the encodings a visitor may ask for.
#[derive(Debug)]
pub struct Rendered {
    pub identity: Bytes,
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
        let identity = Bytes::from(html);
        let digest = Sha256::digest(&identity);
        let etag = format!("W/\"{}\"", hex::encode(&digest[..12]));
        Self {
            br: brotli_encode(&identity),
            gzip: gzip_encode(&identity),
            etag: HeaderValue::from_str(&etag).expect("hex is a valid header value"),
            identity,
        }
    }

    /// The body in `encoding`.
    #[must_use]
    pub fn body(&self, encoding: Encoding) -> Bytes {
        match encoding {
            Encoding::Br => self.br.clone(),
            Encoding::Gzip => self.gzip.clone(),
            Encoding::Identity => self.identity.clone(),
        }
    }
}

impl Weigh for Rendered {
    fn weight(&self) -> usize {
        self.identity.len() + self.br.len() + self.gzip.len()
    }
}

fn brotli_encode(data: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(data.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        writer.write_all(data).expect("writing to a Vec cannot fail");
    }
    Bytes::from(out)
}

fn gzip_encode(data: &[u8]) -> Bytes {
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::with_capacity(data.len() / 3), flate2::Compression::default());
    encoder.write_all(data).expect("writing to a Vec cannot fail");
    Bytes::from(encoder.finish().expect("writing to a Vec cannot fail"))
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
        assert_eq!(rendered.identity, html.as_bytes());
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
