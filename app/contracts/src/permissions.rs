//! The permission vocabulary, shared by the server's authorization, the REST API's role bodies and
//! the browser's role editor:
//!
//! - a [`Permission`] is one thing a use case checks: `resource:action` or `resource:sub:action`
//!   (`links:read`, `links:leads:export`);
//! - a [`PermissionPattern`] is what a role grants: a permission, `resource:*`, `resource:sub:*`
//!   or `*`;
//! - [`CATALOG`] lists every permission the product checks, and [`BuiltinRole`] the four roles
//!   every organization has.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// Longest accepted permission or pattern, in bytes.
pub const PERMISSION_MAX_LEN: usize = 64;

/// Why a string is not a permission or a pattern. The `Display` text is written for the person
/// editing a role. On the wire it is the `rule` of a `not_a_permission` problem (`segment_count`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PermissionError {
    /// Nothing was given.
    Empty,
    /// Longer than [`PERMISSION_MAX_LEN`].
    TooLong,
    /// A character other than `a-z`, `0-9`, `_`, `:` (uppercase, spaces, HTML, lookalikes).
    InvalidCharacters,
    /// `links:`, `:read` or `links::read`.
    EmptySegment,
    /// A part starting with a digit or `_`.
    SegmentStart,
    /// Not 2–3 parts (a pattern's prefix before `:*`: not 1–2).
    SegmentCount,
    /// A `*` anywhere but alone or as the whole last part of a pattern.
    Wildcard,
}

impl fmt::Display for PermissionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "must not be empty",
            Self::TooLong => "must be at most 64 characters",
            Self::InvalidCharacters => "may only contain lowercase letters, digits, `_` and `:`",
            Self::EmptySegment => "has an empty part: write `resource:action`",
            Self::SegmentStart => "each part must start with a lowercase letter",
            Self::SegmentCount => "must have 2 or 3 parts, like `links:read` or `links:leads:read`",
            Self::Wildcard => "`*` may only stand alone or as the whole last part, like `links:*`",
        })
    }
}

impl std::error::Error for PermissionError {}

impl From<PermissionError> for crate::Problem {
    fn from(rule: PermissionError) -> Self {
        Self::NotAPermission { rule }
    }
}

/// Checks `raw` as a concrete permission. `const`, so permission literals are checked at compile
/// time by [`Permission::from_static`].
const fn check_permission(raw: &str) -> Result<(), PermissionError> {
    if raw.is_empty() {
        return Err(PermissionError::Empty);
    }
    if raw.len() > PERMISSION_MAX_LEN {
        return Err(PermissionError::TooLong);
    }
    match check_alphabet(raw.as_bytes()) {
        Ok(()) => check_segments(raw.as_bytes(), 2, 3),
        Err(e) => Err(e),
    }
}

/// Only `a-z`, `0-9`, `_` and `:`; a `*` gets its own error.
const fn check_alphabet(bytes: &[u8]) -> Result<(), PermissionError> {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'*' {
            return Err(PermissionError::Wildcard);
        }
        if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b':') {
            return Err(PermissionError::InvalidCharacters);
        }
        i += 1;
    }
    Ok(())
}

/// `min..=max` non-empty parts joined by `:`, each starting with a letter. Assumes the alphabet
/// was checked.
const fn check_segments(bytes: &[u8], min: usize, max: usize) -> Result<(), PermissionError> {
    let mut segments = 1;
    let mut at_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b':' {
            if at_start {
                return Err(PermissionError::EmptySegment);
            }
            segments += 1;
            at_start = true;
        } else if at_start && !b.is_ascii_lowercase() {
            return Err(PermissionError::SegmentStart);
        } else {
            at_start = false;
        }
        i += 1;
    }
    if at_start {
        Err(PermissionError::EmptySegment)
    } else if segments < min || segments > max {
        Err(PermissionError::SegmentCount)
    } else {
        Ok(())
    }
}

/// One concrete permission a use case checks: `resource:action` or `resource:sub:action`, each
/// part a lowercase letter followed by lowercase letters, digits or `_`. Serialized as the string.
///
/// The permissions the product checks are associated constants (`Permission::LINKS_WRITE`) and
/// are listed in [`CATALOG`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Permission(Cow<'static, str>);

impl Permission {
    /// Validates `raw` as a permission (it is not normalised: `Links:read` is rejected).
    ///
    /// # Errors
    /// The first rule `raw` breaks, as a [`PermissionError`].
    pub fn parse(raw: &str) -> Result<Self, PermissionError> {
        check_permission(raw)?;
        Ok(Self(Cow::Owned(raw.to_owned())))
    }

    /// A permission literal, checked at compile time: only used to define constants, where a bad
    /// literal is a build error rather than a panic.
    const fn from_static(raw: &'static str) -> Self {
        match check_permission(raw) {
            Ok(()) => Self(Cow::Borrowed(raw)),
            Err(_) => panic!("invalid permission literal"),
        }
    }

    /// The permission as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first part: `links` for `links:leads:read`. The role editor groups by it.
    #[must_use]
    pub fn resource(&self) -> &str {
        self.0.split_once(':').map_or(&*self.0, |(resource, _)| resource)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Permission {
    type Err = PermissionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Permission {
    type Error = PermissionError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        check_permission(&value)?;
        Ok(Self(Cow::Owned(value)))
    }
}

impl From<Permission> for String {
    fn from(permission: Permission) -> Self {
        permission.0.into_owned()
    }
}

/// What a role grants: one [`Permission`], everything under a resource (`links:*`, which also
/// covers `links:leads:export`) or under a sub-resource (`links:leads:*`), or everything (`*`).
/// Serialized as the string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PermissionPattern(Scope);

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Scope {
    /// `*`.
    All,
    /// `prefix:*`, holding the prefix (one or two parts).
    Under(Cow<'static, str>),
    /// A concrete permission.
    Exactly(Permission),
}

impl PermissionPattern {
    /// `*`: every permission, present and future.
    pub const ALL: Self = Self(Scope::All);

    /// The pattern granting exactly `permission`.
    #[must_use]
    pub const fn exact(permission: Permission) -> Self {
        Self(Scope::Exactly(permission))
    }

    /// Validates `raw` as a pattern: `*`, `resource:*`, `resource:sub:*` or a permission.
    ///
    /// # Errors
    /// The first rule `raw` breaks, as a [`PermissionError`] (`*:read`, `links:**` and
    /// `links:*:read` are [`PermissionError::Wildcard`]).
    pub fn parse(raw: &str) -> Result<Self, PermissionError> {
        if raw == "*" {
            return Ok(Self::ALL);
        }
        let Some(prefix) = raw.strip_suffix(":*") else {
            return Permission::parse(raw).map(Self::exact);
        };
        if raw.len() > PERMISSION_MAX_LEN {
            return Err(PermissionError::TooLong);
        }
        check_alphabet(prefix.as_bytes())?;
        check_segments(prefix.as_bytes(), 1, 2)?;
        Ok(Self(Scope::Under(Cow::Owned(prefix.to_owned()))))
    }

    /// `prefix:*` for a prefix known to be valid (taken from a catalog permission or a literal).
    const fn under(prefix: Cow<'static, str>) -> Self {
        Self(Scope::Under(prefix))
    }

    /// Whether this pattern grants `permission`.
    #[must_use]
    pub fn matches(&self, permission: &Permission) -> bool {
        match &self.0 {
            Scope::All => true,
            Scope::Under(prefix) => is_within(permission.as_str(), prefix),
            Scope::Exactly(own) => own == permission,
        }
    }

    /// Whether everything `other` grants, this pattern grants too (`links:*` covers
    /// `links:leads:*` and `links:read`; nothing but `*` covers `*`). Use it to stop a role editor
    /// from granting more than they hold.
    #[must_use]
    pub fn covers(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Scope::All, _) => true,
            (_, Scope::All) | (Scope::Exactly(_), Scope::Under(_)) => false,
            (Scope::Under(own), Scope::Under(theirs)) => own == theirs || is_within(theirs, own),
            (Scope::Under(_), Scope::Exactly(permission)) => self.matches(permission),
            (Scope::Exactly(own), Scope::Exactly(theirs)) => own == theirs,
        }
    }

    /// Whether this is `*`.
    #[must_use]
    pub fn is_all(&self) -> bool {
        self.0 == Scope::All
    }

    /// Whether this pattern grants at least one permission of [`CATALOG`] (a role editor's typo
    /// like `lnks:read` grants nothing).
    #[must_use]
    pub fn grants_any_known(&self) -> bool {
        CATALOG.iter().any(|info| self.matches(&info.permission))
    }
}

/// Whether `name` lies strictly under `prefix`: `links:leads` is within `links`, `linksx` is not.
fn is_within(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).is_some_and(|rest| rest.starts_with(':'))
}

impl fmt::Display for PermissionPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Scope::All => f.write_str("*"),
            Scope::Under(prefix) => write!(f, "{prefix}:*"),
            Scope::Exactly(permission) => f.write_str(permission.as_str()),
        }
    }
}

impl FromStr for PermissionPattern {
    type Err = PermissionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for PermissionPattern {
    type Error = PermissionError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PermissionPattern> for String {
    fn from(pattern: PermissionPattern) -> Self {
        pattern.to_string()
    }
}

impl From<Permission> for PermissionPattern {
    fn from(permission: Permission) -> Self {
        Self::exact(permission)
    }
}

/// One entry of [`CATALOG`]: a permission and what it lets a member do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionInfo {
    /// The permission use cases check.
    pub permission: Permission,
    /// A short English description for the role editor.
    pub description: &'static str,
}

/// Defines each permission once: its `Permission` constant and its [`CATALOG`] entry.
macro_rules! catalog {
    ($($constant:ident = $name:literal, $description:literal;)*) => {
        impl Permission {
            $(
                #[doc = concat!("`", $name, "`: ", $description, ".")]
                pub const $constant: Self = Self::from_static($name);
            )*
        }

        /// Every permission the product checks, grouped by resource (the role editor shows one
        /// group per resource, in this order). To add one, add a line to the `catalog!` call.
        pub const CATALOG: &[PermissionInfo] = &[
            $(PermissionInfo { permission: Permission::$constant, description: $description },)*
        ];
    };
}

catalog! {
    ORG_READ = "org:read", "See the organization's name and settings";
    ORG_UPDATE = "org:update", "Rename the organization and change its settings";
    ORG_DELETE = "org:delete", "Delete the organization and everything in it";
    MEMBERS_READ = "members:read", "See who belongs to the organization";
    MEMBERS_INVITE = "members:invite", "Invite people by email";
    MEMBERS_MANAGE = "members:manage", "Change members' roles and remove members";
    ROLES_READ = "roles:read", "See the organization's roles";
    ROLES_MANAGE = "roles:manage", "Create, edit and delete custom roles";
    BILLING_READ = "billing:read", "See the plan, invoices and usage";
    BILLING_MANAGE = "billing:manage", "Change the plan and payment method";
    LINKS_READ = "links:read", "See pages, blocks and page analytics";
    LINKS_WRITE = "links:write", "Create, edit, publish and delete pages and blocks";
    LINKS_LEADS_READ = "links:leads:read", "See the leads captured by pages";
    LINKS_LEADS_EXPORT = "links:leads:export", "Download leads as CSV";
    ANALYTICS_READ = "analytics:read", "See the organization's analytics";
    AUDIT_READ = "audit:read", "See the audit log";
    FLAGS_READ = "flags:read", "See the organization's feature flags";
}

/// The roles every organization has. Their names are reserved: no custom role may take one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BuiltinRole {
    /// Everything (`*`).
    Owner,
    /// Everything but billing and deleting the organization.
    Admin,
    /// Edits pages and reads their leads.
    Editor,
    /// Reads pages.
    Viewer,
}

/// What `admin` does not get of [`CATALOG`]: billing and deleting the organization.
pub const ADMIN_WITHHELD: &[PermissionPattern] =
    &[PermissionPattern::under(Cow::Borrowed("billing")), PermissionPattern::exact(Permission::ORG_DELETE)];

const OWNER_PATTERNS: &[PermissionPattern] = &[PermissionPattern::ALL];
const EDITOR_PATTERNS: &[PermissionPattern] = &[
    PermissionPattern::exact(Permission::LINKS_READ),
    PermissionPattern::exact(Permission::LINKS_WRITE),
    PermissionPattern::exact(Permission::LINKS_LEADS_READ),
];
const VIEWER_PATTERNS: &[PermissionPattern] = &[PermissionPattern::exact(Permission::LINKS_READ)];
static ADMIN_PATTERNS: LazyLock<Vec<PermissionPattern>> =
    LazyLock::new(|| catalog_except(CATALOG, ADMIN_WITHHELD));

impl BuiltinRole {
    /// The four built-in roles, strongest first.
    pub const ALL: [Self; 4] = [Self::Owner, Self::Admin, Self::Editor, Self::Viewer];

    /// The role's name: `owner`, `admin`, `editor` or `viewer`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Editor => "editor",
            Self::Viewer => "viewer",
        }
    }

    /// The built-in role called `name` (exact, lowercase), if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.name() == name)
    }

    /// What the role grants.
    #[must_use]
    pub fn patterns(self) -> &'static [PermissionPattern] {
        match self {
            Self::Owner => OWNER_PATTERNS,
            Self::Admin => &ADMIN_PATTERNS,
            Self::Editor => EDITOR_PATTERNS,
            Self::Viewer => VIEWER_PATTERNS,
        }
    }
}

impl fmt::Display for BuiltinRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The catalog minus `withheld`, as patterns: `resource:*` for a resource that keeps every
/// permission (so it also covers permissions added later), else the kept permissions one by one.
fn catalog_except(
    catalog: &'static [PermissionInfo],
    withheld: &[PermissionPattern],
) -> Vec<PermissionPattern> {
    let mut patterns = Vec::new();
    for group in catalog.chunk_by(|a, b| a.permission.resource() == b.permission.resource()) {
        let kept: Vec<&'static Permission> = group
            .iter()
            .map(|info| &info.permission)
            .filter(|permission| !withheld.iter().any(|w| w.matches(permission)))
            .collect();
        match (kept.len() == group.len(), kept.first().copied()) {
            (true, Some(first)) => patterns.push(PermissionPattern::under(Cow::Borrowed(first.resource()))),
            _ => patterns.extend(kept.into_iter().cloned().map(PermissionPattern::exact)),
        }
    }
    patterns
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn perm(raw: &str) -> Permission {
        Permission::parse(raw).unwrap()
    }

    fn pattern(raw: &str) -> PermissionPattern {
        PermissionPattern::parse(raw).unwrap()
    }

    #[test]
    fn accepts_good_permissions() {
        for ok in ["links:read", "links:leads:read", "a:b", "org2:do_it", "x_1:y_2:z_3"] {
            assert_eq!(perm(ok).as_str(), ok);
            assert_eq!(ok.parse::<Permission>().map(String::from).as_deref(), Ok(ok));
        }
        assert_eq!(perm("links:leads:export").resource(), "links");
    }

    #[test]
    fn rejects_hostile_permissions_with_the_rule_they_break() {
        use PermissionError as E;
        let cases: &[(&str, E)] = &[
            ("", E::Empty),
            (&"a:".repeat(40), E::TooLong),
            ("LINKS:read", E::InvalidCharacters),
            ("links:Read", E::InvalidCharacters),
            (" links:read", E::InvalidCharacters),
            ("links:read\n", E::InvalidCharacters),
            ("links-x:read", E::InvalidCharacters),
            ("<script>alert(1)</script>:read", E::InvalidCharacters),
            ("links:<b>read</b>", E::InvalidCharacters),
            ("links:re\u{0430}d", E::InvalidCharacters), // Cyrillic а
            ("l\u{0456}nks:read", E::InvalidCharacters), // Cyrillic і
            ("links\u{FF1A}read", E::InvalidCharacters), // fullwidth colon
            ("links:read\u{200B}", E::InvalidCharacters), // zero-width space
            ("links:read\0", E::InvalidCharacters),
            ("links", E::SegmentCount),
            ("a:b:c:d", E::SegmentCount),
            ("links:", E::EmptySegment),
            (":read", E::EmptySegment),
            ("links::read", E::EmptySegment),
            ("1links:read", E::SegmentStart),
            ("links:_read", E::SegmentStart),
            ("links:*", E::Wildcard),
            ("*", E::Wildcard),
        ];
        for (raw, error) in cases {
            assert_eq!(Permission::parse(raw), Err(*error), "{raw:?}");
        }
    }

    #[test]
    fn parses_patterns_and_rejects_junk() {
        use PermissionError as E;
        for ok in ["*", "links:*", "links:leads:*", "links:read", "links:leads:export"] {
            assert_eq!(pattern(ok).to_string(), ok);
        }
        let cases: &[(&str, E)] = &[
            ("*:read", E::Wildcard),
            ("links:**", E::Wildcard),
            ("links:*:read", E::Wildcard),
            ("links:*:*", E::Wildcard),
            ("**", E::Wildcard),
            ("links*", E::Wildcard),
            ("links:", E::EmptySegment),
            (":*", E::EmptySegment),
            ("LINKS:read", E::InvalidCharacters),
            ("LINKS:*", E::InvalidCharacters),
            (" *", E::InvalidCharacters),
            ("<img src=x>:*", E::InvalidCharacters),
            ("a:b:c:*", E::SegmentCount),
            ("links", E::SegmentCount),
            (&format!("{}:*", "a".repeat(63)), E::TooLong),
        ];
        for (raw, error) in cases {
            assert_eq!(PermissionPattern::parse(raw), Err(*error), "{raw:?}");
        }
    }

    #[test]
    fn wildcards_match_what_they_should() {
        let table: &[(&str, &str, bool)] = &[
            ("*", "links:read", true),
            ("*", "billing:manage", true),
            ("links:*", "links:read", true),
            ("links:*", "links:leads:export", true),
            ("links:*", "analytics:read", false),
            ("links:*", "linksx:read", false),
            ("links:leads:*", "links:leads:read", true),
            ("links:leads:*", "links:leads:export", true),
            ("links:leads:*", "links:read", false),
            ("links:leads:*", "links:leadsx:read", false),
            ("links:read", "links:read", true),
            ("links:read", "links:write", false),
            ("links:read", "links:read:more", false),
            ("billing:*", "billing:manage", true),
        ];
        for (p, q, expected) in table {
            assert_eq!(pattern(p).matches(&perm(q)), *expected, "{p} ~ {q}");
        }
    }

    #[test]
    fn covers_is_pattern_inclusion() {
        let table: &[(&str, &str, bool)] = &[
            ("*", "*", true),
            ("*", "links:*", true),
            ("links:*", "*", false),
            ("links:*", "links:*", true),
            ("links:*", "links:leads:*", true),
            ("links:leads:*", "links:*", false),
            ("links:*", "links:leads:read", true),
            ("links:read", "links:*", false),
            ("links:read", "links:read", true),
            ("links:*", "linksx:*", false),
        ];
        for (a, b, expected) in table {
            assert_eq!(pattern(a).covers(&pattern(b)), *expected, "{a} ⊇ {b}");
        }
    }

    #[test]
    fn serde_round_trips_as_strings() {
        let p = perm("links:leads:export");
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, "\"links:leads:export\"");
        assert_eq!(serde_json::from_str::<Permission>(&json).unwrap(), p);
        assert_eq!(serde_json::to_string(&Permission::LINKS_READ).unwrap(), "\"links:read\"");
        assert_eq!(serde_json::from_str::<Permission>("\"links:read\"").unwrap(), Permission::LINKS_READ);

        let patterns: Vec<PermissionPattern> =
            serde_json::from_str(r#"["*","links:*","links:leads:*","org:read"]"#).unwrap();
        let back = serde_json::to_string(&patterns).unwrap();
        assert_eq!(back, r#"["*","links:*","links:leads:*","org:read"]"#);

        for bad in [r#""*:read""#, r#""links:""#, r#""LINKS:read""#, r#""links:**""#, "42", "null"] {
            assert!(serde_json::from_str::<PermissionPattern>(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Permission>(r#""links:*""#).is_err());
        assert_eq!(serde_json::to_string(&BuiltinRole::Editor).unwrap(), "\"editor\"");
    }

    #[test]
    fn catalog_entries_parse_are_unique_and_grouped() {
        let mut seen = HashSet::new();
        let mut resources_done = HashSet::new();
        let mut current = "";
        for info in CATALOG {
            assert_eq!(Permission::parse(info.permission.as_str()), Ok(info.permission.clone()));
            assert!(seen.insert(info.permission.as_str()), "duplicate {}", info.permission);
            assert!(!info.description.is_empty());
            let resource = info.permission.resource();
            if resource != current {
                assert!(resources_done.insert(resource), "{resource} is not grouped");
                current = resource;
            }
        }
        assert!(CATALOG.len() >= 17);
    }

    #[test]
    fn builtin_roles_grant_what_the_contract_says() {
        let names: Vec<&str> = BuiltinRole::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(names, ["owner", "admin", "editor", "viewer"]);
        for role in BuiltinRole::ALL {
            assert_eq!(BuiltinRole::from_name(role.name()), Some(role));
        }
        assert_eq!(BuiltinRole::from_name("Owner"), None);
        assert_eq!(BuiltinRole::Owner.patterns(), [PermissionPattern::ALL]);
        let strings = |role: BuiltinRole| role.patterns().iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(strings(BuiltinRole::Editor), ["links:read", "links:write", "links:leads:read"]);
        assert_eq!(strings(BuiltinRole::Viewer), ["links:read"]);
        assert_eq!(
            strings(BuiltinRole::Admin),
            [
                "org:read",
                "org:update",
                "members:*",
                "roles:*",
                "links:*",
                "analytics:*",
                "audit:*",
                "flags:*"
            ]
        );
    }

    #[test]
    fn admin_is_the_catalog_minus_billing_and_org_deletion() {
        let admin = BuiltinRole::Admin.patterns();
        for info in CATALOG {
            let withheld =
                info.permission.resource() == "billing" || info.permission == Permission::ORG_DELETE;
            let granted = admin.iter().any(|p| p.matches(&info.permission));
            assert_eq!(granted, !withheld, "admin and {}", info.permission);
        }
    }
}
