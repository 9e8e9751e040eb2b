//! What is wrong with one field of a request, as a code with typed parameters.
//!
//! Every validation rule of the server, the server functions and the browser's own checks answers
//! with a [`Problem`], never with a sentence. On the wire a problem is
//! `{"code": "too_long", "max": 100}` (in `ApiError.problems`); its [`Display`](fmt::Display) is
//! the English sentence the API has always put in `ApiError.fields` (`"must be at most 100
//! characters"`). People read it through the one translation table, `app::i18n::problem`, whose
//! exhaustive `match` makes a new variant a compile error until it is translated.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::blocks::BlockType;
use crate::permissions::PermissionError;

/// Field problems keyed by the field's path (`title`, `config.url`, `config.links[1].url`).
pub type Problems = BTreeMap<String, Problem>;

/// One broken rule of one field.
///
/// The set is open (new codes may be added): a client that does not know a code shows the
/// English sentence of `ApiError.fields` for the same field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum Problem {
    // Presence and length.
    /// Missing, or empty once trimmed.
    Required,
    /// At least `min` characters are needed.
    TooShort { min: usize },
    /// At most `max` characters are accepted.
    TooLong { max: usize },
    /// A control character (a tab, a bell) in a one-line text.
    ControlCharacters,
    /// A space or control character in a web address.
    Whitespace,

    // Shapes.
    /// A web address whose scheme is not `http:` or `https:` (`javascript:`, `data:`…).
    NotHttpUrl,
    /// Not an absolute web address with a host (or one with credentials in it).
    NotAUrl,
    /// Not an email address.
    NotEmail,
    /// Not an E.164 phone number.
    NotPhone,
    /// Not a `#rrggbb` colour.
    NotAColour,
    /// Text and its background too close to read (WCAG AA asks for 4.5:1).
    LowContrast { part: ContrastPart, ratio: f64 },
    /// Not a UUID.
    NotAUuid,
    /// Not an RFC 3339 instant.
    NotADateTime,
    /// Neither an RFC 3339 instant nor a date (the audit filters).
    NotATimeOrDate,
    /// Must be later than the other field.
    MustBeAfter { field: String },
    /// Not one of a closed set of values (listed in the order they read best).
    OneOf { choices: Vec<String> },
    /// A JSON object was expected.
    NotAnObject,
    /// The value could not be read as the field's type; `detail` is the parser's own words.
    Malformed { detail: String },

    // Numbers and counts.
    /// Outside `min..=max`.
    OutOfRange { min: i64, max: i64 },
    /// A duration in minutes outside `min..=max`.
    MinutesOutOfRange { min: i64, max: i64 },
    /// Not a number in `min..=max` (a query parameter).
    NumberOutOfRange { min: i64, max: i64 },
    /// Not a whole number in `min..=max` (a percentage).
    WholeNumberOutOfRange { min: i64, max: i64 },
    /// A social row without links.
    AtLeastOneLink,
    /// A social row with more than `max` links.
    TooManyLinks { max: usize },
    /// A flag limited to more than `max` environments.
    TooManyEnvironments { max: usize },
    /// A flag with more than `max` overrides.
    TooManyOverrides { max: usize },
    /// A flag override naming the subject of the override at `index` again.
    SameSubjectAs { index: usize },
    /// A role with more than `permissions` patterns or `roles` inherited roles.
    TooManyGrants { permissions: usize, roles: usize },

    // Fields and repetitions.
    /// A field the body or query may not have.
    UnknownField,
    /// A field the block's type does not have.
    NotABlockField,
    /// A value listed twice in one list.
    Duplicate,
    /// A query parameter given more than once.
    Repeated,
    /// Two exclusive fields given together.
    NotBoth { first: String, second: String },

    // Slugs and names.
    /// A character other than `a-z`, `0-9` and `-` in a slug.
    SlugCharacters,
    /// A character other than `a-z`, `0-9`, `-` and `_` in a role name.
    RoleNameCharacters,
    /// A slug or role name starting or ending with punctuation.
    EdgeCharacter,
    /// `--` in a slug.
    DoubleHyphen,
    /// A word the app keeps for itself.
    Reserved,
    /// Not an organization slug (the page slug grammar, reserved words allowed).
    NotASlug,
    /// Not an environment name (`production`, `staging`…).
    NotAnEnvironment,

    // Blocks and pages.
    /// Not a block type's wire name.
    NotABlockType,
    /// A block type whose name is reserved for a later release.
    // `rename_all_fields` says the same; the OpenAPI schema reads only this one.
    #[serde(rename_all = "camelCase")]
    ReservedBlockType { block_type: BlockType },
    /// A neighbour that is not a block of the page.
    NotABlockOfPage,
    /// No template of this id.
    UnknownTemplate,
    /// The lead form's consent box was left unticked.
    ConsentRequired,

    // Uploads.
    /// A file that is not a PNG, JPEG or WebP image (judged by its bytes: SVG, GIF, a PDF…).
    NotAnImage,
    /// A file that claims to be an image but cannot be read as one (truncated, corrupt).
    UnreadableImage,

    // Accounts.
    /// A password found in the list of common ones.
    CommonPassword,
    /// Not the signed-in user's current password.
    WrongPassword,
    /// A platform admin deactivating their own account.
    SelfDeactivation,
    /// Not the setup token this server printed at start-up.
    WrongSetupToken,
    /// No user has this email (the console's filters).
    NoUserWithEmail,
    /// No organization has this slug (the console's filters).
    NoOrganizationWithSlug,

    // Roles and permissions.
    /// Not a role of the active organization.
    NotARole,
    /// A custom role named like a built-in one.
    BuiltinRoleName { name: String },
    /// A role (inherited) that does not exist.
    UnknownRole { name: String },
    /// Roles inheriting in a circle; `path` starts and ends with the same role.
    InheritanceCycle { path: Vec<String> },
    /// A role inheriting through more than `max` levels.
    InheritsTooDeep { name: String, max: usize },
    /// A pattern that grants nothing the product checks.
    UnknownPermission { pattern: String },
    /// Not a permission or pattern; `rule` says which part of the grammar it breaks.
    NotAPermission { rule: PermissionError },

    // Audit filters, pagination, headers.
    /// Not an event type or family.
    NotAnEventType,
    /// Not a cursor this API handed out.
    NotACursor,
    /// An `Idempotency-Key` header sent more than once.
    MustBeSentOnce,
    /// An `Idempotency-Key` that is not 1 to 255 visible ASCII characters.
    NotAnIdempotencyKey,
    /// An `Idempotency-Key` used before with a different request.
    KeyReused,

    // Quotas (`402 quota_exceeded`, keyed by the meter instead of a field).
    /// The plan allows `limit` of `meter` (per period, for a periodic meter) and it is reached.
    QuotaExceeded { meter: crate::usage::UsageMeter, limit: u64 },
}

/// The colour pair a [`Problem::LowContrast`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ContrastPart {
    /// The text on the surface.
    Text,
    /// The secondary text on the surface.
    Muted,
    /// The button labels on the accent colour.
    OnAccent,
}

impl ContrastPart {
    /// How the API's English names the part.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Muted => "secondary text",
            Self::OnAccent => "button labels",
        }
    }
}

impl Problem {
    /// The problem as the only one of `field`.
    #[must_use]
    pub fn at(self, field: impl Into<String>) -> Problems {
        BTreeMap::from([(field.into(), self)])
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required => f.write_str("is required"),
            Self::TooShort { min } => write!(f, "must be at least {min} characters"),
            Self::TooLong { max } => write!(f, "must be at most {max} characters"),
            Self::ControlCharacters => f.write_str("may not contain control characters"),
            Self::Whitespace => f.write_str("may not contain spaces or control characters"),
            Self::NotHttpUrl => f.write_str("must be an http:// or https:// address"),
            Self::NotAUrl => f.write_str("is not a valid web address"),
            Self::NotEmail => f.write_str("is not an email address"),
            Self::NotPhone => f.write_str("must be an international number like +5215512345678"),
            Self::NotAColour => f.write_str("must be a colour like #1e3a5f"),
            Self::LowContrast { part, ratio } => write!(
                f,
                "{} would be hard to read ({ratio:.1}:1; at least 4.5:1 is needed)",
                part.as_str()
            ),
            Self::NotAUuid => f.write_str("must be a UUID"),
            Self::NotADateTime => f.write_str("must be a date-time like 2026-12-01T09:00:00Z"),
            Self::NotATimeOrDate => {
                f.write_str("must be an RFC 3339 time (2026-11-25T10:00:00Z) or a date (2026-11-25)")
            }
            Self::MustBeAfter { field } => write!(f, "must be after {field}"),
            Self::OneOf { choices } => match choices.split_last() {
                Some((last, [])) => write!(f, "must be {last}"),
                Some((last, rest)) => write!(f, "must be {} or {last}", rest.join(", ")),
                None => f.write_str("must be one of no values"),
            },
            Self::NotAnObject => f.write_str("must be an object"),
            Self::Malformed { detail } => f.write_str(detail),
            Self::OutOfRange { min, max } => write!(f, "must be between {min} and {max}"),
            Self::MinutesOutOfRange { min, max } => write!(f, "must be between {min} and {max} minutes"),
            Self::NumberOutOfRange { min, max } => write!(f, "must be a number from {min} to {max}"),
            Self::WholeNumberOutOfRange { min, max } => {
                write!(f, "must be a whole number from {min} to {max}")
            }
            Self::AtLeastOneLink => f.write_str("must have at least one link"),
            Self::TooManyLinks { max } => write!(f, "may have at most {max} links"),
            Self::TooManyEnvironments { max } => write!(f, "at most {max} environments"),
            Self::TooManyOverrides { max } => write!(f, "at most {max} overrides"),
            Self::SameSubjectAs { index } => write!(f, "names the same subject as overrides[{index}]"),
            Self::TooManyGrants { permissions, roles } => {
                write!(f, "at most {permissions} permissions and {roles} inherited roles")
            }
            Self::UnknownField => f.write_str("is not a known field"),
            Self::NotABlockField => f.write_str("is not a field of this block type"),
            Self::Duplicate => f.write_str("is listed twice"),
            Self::Repeated => f.write_str("is given more than once"),
            Self::NotBoth { first, second } => write!(f, "give either {first} or {second}, not both"),
            Self::SlugCharacters => f.write_str("may only contain lowercase letters, digits and hyphens"),
            Self::RoleNameCharacters => f.write_str("may only contain lowercase letters, digits, `-` and `_`"),
            Self::EdgeCharacter => f.write_str("must start and end with a letter or digit"),
            Self::DoubleHyphen => f.write_str("may not contain two hyphens in a row"),
            Self::Reserved => f.write_str("is reserved"),
            Self::NotASlug => f.write_str(
                "must be 3 to 40 characters of lowercase letters, digits and single hyphens, starting and ending with a letter or digit",
            ),
            Self::NotAnEnvironment => f.write_str("must be 1 to 32 lowercase letters, digits, '-' or '_'"),
            Self::NotABlockType => f.write_str("is not a block type"),
            Self::ReservedBlockType { block_type } => {
                write!(f, "{block_type} is reserved and cannot be created yet")
            }
            Self::NotABlockOfPage => f.write_str("is not a block of this page"),
            Self::UnknownTemplate => f.write_str("is not one of our templates"),
            Self::ConsentRequired => f.write_str("must be accepted to subscribe"),
            Self::NotAnImage => f.write_str("must be a PNG, JPEG or WebP image"),
            Self::UnreadableImage => f.write_str("could not be read as an image; it may be damaged"),
            Self::CommonPassword => f.write_str("is too common; choose one that is harder to guess"),
            Self::WrongPassword => f.write_str("is not your current password"),
            Self::SelfDeactivation => f.write_str("you cannot deactivate yourself"),
            Self::WrongSetupToken => f.write_str(
                "is not the current setup token (the server prints it in its log at start-up)",
            ),
            Self::NoUserWithEmail => f.write_str("no user has this email"),
            Self::NoOrganizationWithSlug => f.write_str("no organization has this slug"),
            Self::NotARole => f.write_str("is not a role of this organization"),
            Self::BuiltinRoleName { name } => write!(f, "`{name}` is the name of a built-in role"),
            Self::UnknownRole { name } => write!(f, "there is no role named `{name}`"),
            Self::InheritanceCycle { path } => write!(f, "roles inherit in a circle: {}", path.join(" → ")),
            Self::InheritsTooDeep { name, max } => write!(f, "`{name}` inherits through more than {max} levels"),
            Self::UnknownPermission { pattern } => write!(f, "`{pattern}` matches no known permission"),
            Self::NotAPermission { rule } => rule.fmt(f),
            Self::NotAnEventType => f.write_str(
                "must be an event type such as membership.role_changed, or a family such as membership.*",
            ),
            Self::NotACursor => f.write_str("is not a cursor this API handed out"),
            Self::MustBeSentOnce => f.write_str("must be sent once"),
            Self::NotAnIdempotencyKey => f.write_str("must be 1 to 255 visible ASCII characters"),
            Self::KeyReused => f.write_str("was used with a different request"),
            Self::QuotaExceeded { meter, limit } => {
                write!(f, "the plan's limit of {limit} ({meter}) is reached; upgrade in Billing")
            }
        }
    }
}

impl std::error::Error for Problem {}

/// Gives a rule's error type (one that converts into a [`Problem`]) the problem's sentence as its
/// `Display`, and `std::error::Error`: `contracts::display_as_problem!(SlugError);`.
#[macro_export]
macro_rules! display_as_problem {
    ($error:ty) => {
        impl ::std::fmt::Display for $error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&$crate::Problem::from(::std::clone::Clone::clone(self)), f)
            }
        }

        impl ::std::error::Error for $error {}
    };
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;
    use serde_json::json;

    use super::*;

    #[test]
    fn travels_as_a_code_with_camel_case_parameters() {
        let cases = [
            (Problem::Required, json!({"code": "required"})),
            (Problem::TooLong { max: 100 }, json!({"code": "too_long", "max": 100})),
            (
                Problem::OutOfRange { min: 1, max: 1440 },
                json!({"code": "out_of_range", "min": 1, "max": 1440}),
            ),
            (
                Problem::MustBeAfter { field: "visibleFrom".into() },
                json!({"code": "must_be_after", "field": "visibleFrom"}),
            ),
            (
                Problem::ReservedBlockType { block_type: BlockType::Embed },
                json!({"code": "reserved_block_type", "blockType": "EMBED"}),
            ),
            (
                Problem::LowContrast { part: ContrastPart::OnAccent, ratio: 1.5 },
                json!({"code": "low_contrast", "part": "onAccent", "ratio": 1.5}),
            ),
            (
                Problem::NotAPermission { rule: PermissionError::SegmentCount },
                json!({"code": "not_a_permission", "rule": "segment_count"}),
            ),
            (
                Problem::TooManyGrants { permissions: 100, roles: 20 },
                json!({"code": "too_many_grants", "permissions": 100, "roles": 20}),
            ),
        ];
        for (problem, wire) in cases {
            assert_eq!(serde_json::to_value(&problem).unwrap(), wire, "{problem:?}");
            assert_eq!(serde_json::from_value::<Problem>(wire).unwrap(), problem);
        }
    }

    #[test]
    fn reads_as_the_sentences_the_api_has_always_sent() {
        let cases = [
            (Problem::Required, "is required"),
            (Problem::TooShort { min: 3 }, "must be at least 3 characters"),
            (Problem::TooLong { max: 2048 }, "must be at most 2048 characters"),
            (Problem::MinutesOutOfRange { min: 1, max: 1440 }, "must be between 1 and 1440 minutes"),
            (Problem::OutOfRange { min: 1, max: 1_000_000_000 }, "must be between 1 and 1000000000"),
            (Problem::NumberOutOfRange { min: 1, max: 100 }, "must be a number from 1 to 100"),
            (Problem::WholeNumberOutOfRange { min: 0, max: 100 }, "must be a whole number from 0 to 100"),
            (Problem::MustBeAfter { field: "from".into() }, "must be after from"),
            (
                Problem::OneOf { choices: vec!["7d".into(), "30d".into(), "90d".into()] },
                "must be 7d, 30d or 90d",
            ),
            (Problem::OneOf { choices: vec!["a".into(), "b".into()] }, "must be a or b"),
            (
                Problem::LowContrast { part: ContrastPart::Muted, ratio: 1.234 },
                "secondary text would be hard to read (1.2:1; at least 4.5:1 is needed)",
            ),
            (
                Problem::ReservedBlockType { block_type: BlockType::Testimonial },
                "TESTIMONIAL is reserved and cannot be created yet",
            ),
            (
                Problem::InheritanceCycle { path: vec!["a".into(), "b".into(), "a".into()] },
                "roles inherit in a circle: a → b → a",
            ),
            (
                Problem::InheritsTooDeep { name: "x".into(), max: 8 },
                "`x` inherits through more than 8 levels",
            ),
            (Problem::BuiltinRoleName { name: "owner".into() }, "`owner` is the name of a built-in role"),
            (Problem::UnknownRole { name: "ghost".into() }, "there is no role named `ghost`"),
            (
                Problem::UnknownPermission { pattern: "lnks:read".into() },
                "`lnks:read` matches no known permission",
            ),
            (
                Problem::TooManyGrants { permissions: 100, roles: 20 },
                "at most 100 permissions and 20 inherited roles",
            ),
            (Problem::TooManyEnvironments { max: 10 }, "at most 10 environments"),
            (Problem::TooManyLinks { max: 12 }, "may have at most 12 links"),
            (Problem::SameSubjectAs { index: 1 }, "names the same subject as overrides[1]"),
            (
                Problem::NotBoth { first: "position".into(), second: "afterBlockId".into() },
                "give either position or afterBlockId, not both",
            ),
            (Problem::NotAPermission { rule: PermissionError::Empty }, "must not be empty"),
            (
                Problem::Malformed { detail: "invalid type: integer `42`".into() },
                "invalid type: integer `42`",
            ),
        ];
        for (problem, text) in cases {
            assert_eq!(problem.to_string(), text);
        }
    }

    #[test]
    fn one_problem_keys_its_field() {
        assert_eq!(Problem::Required.at("title"), BTreeMap::from([("title".to_owned(), Problem::Required)]));
    }
}
