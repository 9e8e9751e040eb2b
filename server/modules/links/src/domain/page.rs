//! Pages, blocks and leads: ids and the rules on their fields.

use chrono::{DateTime, Utc};
use contracts::Problem;
use contracts::blocks::{BlockConfig, check_text};
use contracts::links::{PAGE_BIO_MAX, PAGE_TITLE_MAX};

kernel::define_id!(
    /// A page (`/{slug}`).
    PageId
);
kernel::define_id!(
    /// A block of a page.
    BlockId
);
kernel::define_id!(
    /// A captured lead.
    LeadId
);

/// Checks a page title: 1–80 characters once trimmed, no control characters.
///
/// # Errors
/// The problem, for the `title` field.
pub fn check_title(title: &str) -> Result<String, Problem> {
    check_text(title, PAGE_TITLE_MAX, false)?;
    Ok(title.trim().to_owned())
}

/// Checks a bio: at most 300 characters, may be empty, line breaks allowed.
///
/// # Errors
/// The problem, for the `bio` field.
pub fn check_bio(bio: &str) -> Result<String, Problem> {
    let bio = bio.trim();
    if bio.is_empty() {
        return Ok(String::new());
    }
    check_text(bio, PAGE_BIO_MAX, true)?;
    Ok(bio.to_owned())
}

/// When a block is shown: enabled, and inside its window (`from` inclusive, `until` exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visibility {
    pub enabled: bool,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

impl Visibility {
    /// Whether visitors see the block at `now`.
    #[must_use]
    pub fn shown_at(&self, now: DateTime<Utc>) -> bool {
        self.enabled && self.from.is_none_or(|from| from <= now) && self.until.is_none_or(|until| now < until)
    }
}

/// Parses an RFC 3339 instant (any offset) into UTC.
///
/// # Errors
/// [`Problem::NotADateTime`].
pub fn parse_instant(raw: &str) -> Result<DateTime<Utc>, Problem> {
    DateTime::parse_from_rfc3339(raw.trim()).map(|t| t.with_timezone(&Utc)).map_err(|_| Problem::NotADateTime)
}

/// A page (`/{slug}`) of an organization.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub id: PageId,
    pub organization_id: kernel::OrganizationId,
    pub slug: String,
    pub title: String,
    pub bio: String,
    pub theme: contracts::theme::PageTheme,
    pub avatar_key: Option<String>,
    pub published: bool,
    /// The owner asked to hide the "Made with mibio" footer (a paid feature).
    pub hide_branding: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A captured lead, as its page's owners list and export it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub id: LeadId,
    /// The lead-form block that captured it.
    pub block_id: BlockId,
    pub email: String,
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Captured over the plan's monthly lead cap (stored all the same; see `leads::capture`).
    pub over_quota: bool,
}

/// A block as stored: its typed config plus where and when it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub id: BlockId,
    pub page_id: PageId,
    pub config: BlockConfig,
    pub position: i32,
    pub visibility: Visibility,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_include_their_start_and_exclude_their_end() {
        let at = |s: &str| parse_instant(s).unwrap();
        let v = Visibility {
            enabled: true,
            from: Some(at("2026-12-01T00:00:00Z")),
            until: Some(at("2026-12-02T00:00:00-03:00")),
        };
        assert!(!v.shown_at(at("2026-11-30T23:59:59Z")));
        assert!(v.shown_at(at("2026-12-01T00:00:00Z")));
        assert!(v.shown_at(at("2026-12-02T02:59:59Z")));
        assert!(!v.shown_at(at("2026-12-02T03:00:00Z")));
        assert!(!Visibility { enabled: false, from: None, until: None }.shown_at(at("2026-12-01T00:00:00Z")));
        assert!(parse_instant("tomorrow").is_err());
    }

    #[test]
    fn titles_and_bios_are_bounded() {
        assert_eq!(check_title("  Ana  "), Ok("Ana".to_owned()));
        assert!(check_title(" ").is_err());
        assert!(check_title(&"a".repeat(81)).is_err());
        assert_eq!(check_bio("  "), Ok(String::new()));
        assert!(check_bio("line one\nline two").is_ok());
        assert!(check_bio(&"b".repeat(301)).is_err());
    }
}
