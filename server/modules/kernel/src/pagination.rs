//! Cursor pagination (`?cursor=&limit=` → `{items, nextCursor}`). A cursor is the position of
//! the last item shown — its sort timestamp and id — encoded opaquely, so lists stay stable while
//! rows are inserted and pages cost an index seek, not an OFFSET scan.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use contracts::Problem;
use uuid::Uuid;

use crate::DomainError;

/// Items per page when the client does not say.
pub const DEFAULT_LIMIT: u16 = 20;
/// Most items per page.
pub const MAX_LIMIT: u16 = 100;

/// The position after which the next page starts (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

impl Cursor {
    /// The opaque text form handed to clients.
    #[must_use]
    pub fn encode(&self) -> String {
        let raw = format!("{}.{}", self.at.timestamp_micros(), self.id.simple());
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// Parses a cursor handed out by [`Cursor::encode`].
    ///
    /// # Errors
    /// A validation error on the `cursor` field for anything else.
    pub fn decode(text: &str) -> Result<Self, DomainError> {
        let invalid = || DomainError::field("cursor", Problem::NotACursor);
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
        let raw = std::str::from_utf8(&bytes).map_err(|_| invalid())?;
        let (micros, id) = raw.split_once('.').ok_or_else(invalid)?;
        let at = micros.parse().ok().and_then(DateTime::from_timestamp_micros).ok_or_else(invalid)?;
        let id = Uuid::parse_str(id).map_err(|_| invalid())?;
        Ok(Self { at, id })
    }
}

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub cursor: Option<Cursor>,
    pub limit: u16,
}

impl PageRequest {
    /// Validates the raw `cursor` and `limit` query parameters.
    ///
    /// # Errors
    /// A validation error naming `cursor` and/or `limit`.
    pub fn parse(cursor: Option<&str>, limit: Option<&str>) -> Result<Self, DomainError> {
        let mut fields = contracts::Problems::new();
        let limit = match limit.filter(|l| !l.is_empty()) {
            None => DEFAULT_LIMIT,
            Some(raw) => match raw.parse::<u16>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    let max = i64::from(MAX_LIMIT);
                    fields.insert("limit".to_owned(), Problem::NumberOutOfRange { min: 1, max });
                    DEFAULT_LIMIT
                }
            },
        };
        let cursor = match cursor.filter(|c| !c.is_empty()).map(Cursor::decode).transpose() {
            Ok(cursor) => cursor,
            Err(DomainError::Validation(f)) => {
                fields.extend(f);
                None
            }
            Err(other) => return Err(other),
        };
        if fields.is_empty() { Ok(Self { cursor, limit }) } else { Err(DomainError::Validation(fields)) }
    }

    /// How many rows to fetch: one more than the page, to learn whether another page follows.
    #[must_use]
    pub fn fetch_limit(&self) -> i64 {
        i64::from(self.limit) + 1
    }
}

/// One page of results and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Paged<T> {
    /// Cuts rows fetched with [`PageRequest::fetch_limit`] down to the page and computes the next
    /// cursor from the last item shown.
    pub fn from_rows(mut rows: Vec<T>, request: &PageRequest, position: impl Fn(&T) -> Cursor) -> Self {
        let more = rows.len() > usize::from(request.limit);
        rows.truncate(usize::from(request.limit));
        let next_cursor = if more { rows.last().map(|last| position(last).encode()) } else { None };
        Self { items: rows, next_cursor }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor() -> Cursor {
        Cursor { at: DateTime::from_timestamp_micros(1_764_000_000_123_456).unwrap(), id: Uuid::now_v7() }
    }

    #[test]
    fn cursors_round_trip_and_are_opaque() {
        let c = cursor();
        let text = c.encode();
        assert!(!text.contains(&c.id.simple().to_string()));
        assert_eq!(Cursor::decode(&text).unwrap(), c);
    }

    #[test]
    fn garbage_cursors_are_validation_errors() {
        for bad in ["", "%%%", "bm90LWEtY3Vyc29y", &URL_SAFE_NO_PAD.encode("1.nope")] {
            match Cursor::decode(bad) {
                Err(DomainError::Validation(f)) => assert!(f.contains_key("cursor")),
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn limits_default_and_are_bounded() {
        assert_eq!(PageRequest::parse(None, None).unwrap().limit, 20);
        assert_eq!(PageRequest::parse(None, Some("100")).unwrap().limit, 100);
        for bad in ["0", "101", "-1", "ten"] {
            let Err(DomainError::Validation(f)) = PageRequest::parse(Some("x"), Some(bad)) else {
                panic!("limit {bad} accepted")
            };
            assert!(f.contains_key("limit") && f.contains_key("cursor"), "{f:?}");
        }
    }

    #[test]
    fn pages_know_whether_more_follow() {
        let req = PageRequest::parse(None, Some("2")).unwrap();
        let c = cursor();
        let page = Paged::from_rows(vec![1, 2, 3], &req, |_| c);
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next_cursor, Some(c.encode()));
        let last = Paged::from_rows(vec![1, 2], &req, |_| c);
        assert_eq!(last.next_cursor, None);
    }
}
