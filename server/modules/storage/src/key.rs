//! `ObjectKey`: the name of a stored object, checked once when it is parsed.

use std::fmt;

/// The longest key accepted, in bytes (S3 allows 1024; ours are far shorter).
const MAX_LEN: usize = 256;

/// The name of a stored object, e.g. `avatars/0190…-3f2a9c1b5d7e8f01.webp`.
///
/// It can only hold a key that is safe as a relative file path and as an S3 key alike: 1 to 256
/// characters out of `[a-z0-9/_.-]`, segments separated by single `/`s, no segment empty and none
/// starting with `.` (so no `.`, `..`, hidden files, absolute paths or trailing `/`). Adapters
/// trust it and never re-check it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey(String);

/// Why a text is not an [`ObjectKey`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidKey {
    /// Empty, or longer than 256 bytes.
    #[error("an object key has 1 to 256 characters")]
    Length,
    /// A character outside `[a-z0-9/_.-]`.
    #[error("an object key has only the characters a-z, 0-9, '/', '_', '.' and '-'")]
    Character,
    /// An empty segment (leading, trailing or doubled `/`) or one starting with `.`.
    #[error("an object key's segments are not empty and do not start with '.'")]
    Segment,
}

impl ObjectKey {
    /// Parses `text` as a key.
    ///
    /// # Errors
    ///
    /// [`InvalidKey`] says which rule of [`ObjectKey`] the text breaks.
    pub fn parse(text: &str) -> Result<Self, InvalidKey> {
        if text.is_empty() || text.len() > MAX_LEN {
            return Err(InvalidKey::Length);
        }
        let allowed = |c: char| matches!(c, 'a'..='z' | '0'..='9' | '/' | '_' | '.' | '-');
        if !text.chars().all(allowed) {
            return Err(InvalidKey::Character);
        }
        if text.split('/').any(|segment| segment.is_empty() || segment.starts_with('.')) {
            return Err(InvalidKey::Segment);
        }
        Ok(Self(text.to_owned()))
    }

    /// The key as text, e.g. for a URL path.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its segments, in order (each a safe file name).
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectKey({:?})", self.0)
    }
}

impl std::str::FromStr for ObjectKey {
    type Err = InvalidKey;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl AsRef<str> for ObjectKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
