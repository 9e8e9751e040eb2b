//! What a reader of the audit log may ask: entries of an actor, of an action (or a family of
//! actions), of an organization, in a time range; newest first, a page at a time.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use contracts::{Problem, Problems};
use kernel::pagination::{Cursor, DEFAULT_LIMIT, PageRequest};
use uuid::Uuid;

/// Longest `action` filter.
const ACTION_MAX: usize = 100;

/// The `action` filter: one event type, or a family (`membership.*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionFilter {
    Exact(String),
    /// The prefix the family's types start with, dot included (`membership.`).
    Family(String),
}

impl ActionFilter {
    /// Parses `membership.role_changed` or `membership.*`.
    ///
    /// # Errors
    /// [`Problem::NotAnEventType`].
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let (name, family) = match raw.strip_suffix(".*") {
            Some(prefix) => (prefix, true),
            None => (raw, false),
        };
        let word = |w: &str| {
            !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        if raw.len() > ACTION_MAX || !name.split('.').all(word) {
            return Err(Problem::NotAnEventType);
        }
        Ok(if family { Self::Family(format!("{name}.")) } else { Self::Exact(name.to_owned()) })
    }
}

/// A validated query of the audit log. `from` is inclusive, `to` exclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    /// Entries where this user acted — or impersonated the one who did.
    pub actor: Option<Uuid>,
    pub action: Option<ActionFilter>,
    pub organization: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Where the page starts (after the last entry of the previous one).
    pub cursor: Option<Cursor>,
    pub limit: u16,
}

impl Default for AuditQuery {
    fn default() -> Self {
        Self {
            actor: None,
            action: None,
            organization: None,
            from: None,
            to: None,
            cursor: None,
            limit: DEFAULT_LIMIT,
        }
    }
}

/// The query's fields, as named on the wire.
const FIELDS: [&str; 7] = ["actor", "action", "organization", "from", "to", "cursor", "limit"];

impl AuditQuery {
    /// Parses a query string's decoded pairs (`?actor=&action=&organization=&from=&to=&cursor=&limit=`).
    /// Empty values count as absent. Times are RFC 3339 (`2026-11-25T10:00:00Z`) or dates
    /// (`2026-11-25`: from its midnight UTC; as `to`, up to the end of that day).
    ///
    /// # Errors
    /// A map naming every bad field: an unknown or repeated field, a malformed value, `to` not
    /// after `from`.
    pub fn parse<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Result<Self, Problems>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut errors = Problems::new();
        let mut given: BTreeMap<&'static str, String> = BTreeMap::new();
        for (key, value) in pairs {
            let (key, value) = (key.as_ref(), value.as_ref().trim());
            match FIELDS.iter().find(|f| **f == key) {
                None => {
                    errors.insert(key.to_owned(), Problem::UnknownField);
                }
                Some(field) if given.contains_key(field) => {
                    errors.insert(key.to_owned(), Problem::Repeated);
                }
                Some(field) => {
                    given.insert(field, value.to_owned());
                }
            }
        }
        let get = |field: &str| given.get(field).map(String::as_str).filter(|v| !v.is_empty());
        let mut field = |name: &str, problem: Problem| {
            errors.entry(name.to_owned()).or_insert(problem);
        };
        let mut id = |name: &str| {
            let raw = get(name)?;
            raw.parse::<Uuid>().map_err(|_| field(name, Problem::NotAUuid)).ok()
        };
        let (actor, organization) = (id("actor"), id("organization"));
        let action =
            get("action").and_then(|raw| ActionFilter::parse(raw).map_err(|p| field("action", p)).ok());
        let time_problem = Problem::NotATimeOrDate;
        let from = get("from")
            .and_then(|raw| instant(raw, false).ok_or_else(|| field("from", time_problem.clone())).ok());
        let to = get("to").and_then(|raw| instant(raw, true).ok_or_else(|| field("to", time_problem)).ok());
        if let (Some(from), Some(to)) = (from, to)
            && to <= from
        {
            field("to", Problem::MustBeAfter { field: "from".into() });
        }
        let page = match PageRequest::parse(get("cursor"), get("limit")) {
            Ok(page) => Some(page),
            Err(kernel::DomainError::Validation(fields)) => {
                errors.extend(fields);
                None
            }
            Err(_) => {
                errors.insert("cursor".to_owned(), Problem::NotACursor);
                None
            }
        };
        match page {
            Some(page) if errors.is_empty() => {
                Ok(Self { actor, action, organization, from, to, cursor: page.cursor, limit: page.limit })
            }
            _ => Err(errors),
        }
    }

    /// The page part of the query.
    #[must_use]
    pub const fn page(&self) -> PageRequest {
        PageRequest { cursor: self.cursor, limit: self.limit }
    }
}

/// An RFC 3339 time, or a date's midnight UTC (the next day's, for the end of a range). A `+` of
/// an offset that arrived unescaped in a query string (decoded as a space) is taken as `+`.
fn instant(raw: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
    let rfc3339 = |s: &str| DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc));
    if let Some(t) = rfc3339(raw).or_else(|| rfc3339(&raw.replace(' ', "+"))) {
        return Some(t);
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    let date = if end_of_day { date.succ_opt()? } else { date };
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;
    use pretty_assertions::assert_eq;

    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<AuditQuery, Problems> {
        AuditQuery::parse(pairs.iter().copied())
    }

    #[test]
    fn an_empty_query_is_the_first_page_of_everything() {
        assert_eq!(parse(&[]).unwrap(), AuditQuery::default());
        assert_eq!(parse(&[("actor", ""), ("limit", "")]).unwrap(), AuditQuery::default());
    }

    #[test]
    fn reads_every_field() {
        let actor = Uuid::now_v7();
        let cursor = Cursor { at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(), id: Uuid::now_v7() };
        let q = parse(&[
            ("actor", &actor.to_string()),
            ("action", "membership.*"),
            ("organization", &actor.to_string()),
            ("from", "2026-11-01"),
            ("to", "2026-11-25"),
            ("cursor", &cursor.encode()),
            ("limit", "5"),
        ])
        .unwrap();
        assert_eq!(q.actor, Some(actor));
        assert_eq!(q.action, Some(ActionFilter::Family("membership.".into())));
        assert_eq!(q.from, Some(Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()));
        assert_eq!(
            q.to,
            Some(Utc.with_ymd_and_hms(2026, 11, 26, 0, 0, 0).unwrap()),
            "to a date: its whole day"
        );
        assert_eq!((q.cursor, q.limit), (Some(cursor), 5));
        let q = parse(&[("from", "2026-11-25T10:00:00 01:00"), ("action", "role.created")]).unwrap();
        assert_eq!(q.from, Some(Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()));
        assert_eq!(q.action, Some(ActionFilter::Exact("role.created".into())));
    }

    #[test]
    fn names_every_bad_field() {
        let errors = parse(&[
            ("actor", "bob"),
            ("action", "DROP TABLE"),
            ("organization", "1"),
            ("from", "yesterday"),
            ("limit", "1000"),
            ("cursor", "zzz"),
            ("sort", "asc"),
        ])
        .unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["action", "actor", "cursor", "from", "limit", "organization", "sort"]);
        assert_eq!(errors["sort"].to_string(), "is not a known field");
        let errors = parse(&[("from", "2026-11-25"), ("to", "2026-11-24")]).unwrap_err();
        assert_eq!(errors["to"].to_string(), "must be after from");
        let errors = parse(&[("actor", ""), ("actor", "")]).unwrap_err();
        assert_eq!(errors["actor"].to_string(), "is given more than once");
        for bad in ["membership.", ".x", "a..b", "a.*.b", "*", "Role.created"] {
            assert!(ActionFilter::parse(bad).is_err(), "{bad}");
        }
    }
}
