//! Feature flags: the registry of every flag the code knows — handlers name a [`Flag`], never a
//! string — and the wire types of the admin API (`/api/v1/platform/feature-flags`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Every feature flag. Adding one: a variant, its key, description and default below, and the
/// code that asks `flags.is_enabled(Flag::…, &subject)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    /// The public page's "open in your browser" hint inside in-app browsers.
    InAppBrowserHint,
    /// Exporting a page's leads as CSV.
    LeadCsvExport,
}

impl Flag {
    /// Every flag, in the order the console lists them.
    pub const ALL: [Self; 2] = [Self::InAppBrowserHint, Self::LeadCsvExport];

    /// The stable key (URLs, storage, events): lowercase words joined by hyphens.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::InAppBrowserHint => "in-app-browser-hint",
            Self::LeadCsvExport => "lead-csv-export",
        }
    }

    /// What turning it off does, for the console.
    #[must_use]
    pub const fn description(self) -> &'static str {
        match self {
            Self::InAppBrowserHint => {
                "Public pages opened inside an app's built-in browser (Instagram, TikTok, …) show a hint to open them in the real browser."
            }
            Self::LeadCsvExport => "Coaches can download a page's leads as a CSV file.",
        }
    }

    /// Whether it is on while no admin has written it.
    #[must_use]
    pub const fn default_enabled(self) -> bool {
        match self {
            Self::InAppBrowserHint | Self::LeadCsvExport => true,
        }
    }

    /// The flag with this key.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl Serialize for Flag {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = String::deserialize(deserializer)?;
        Self::from_key(&key).ok_or_else(|| serde::de::Error::custom(format!("unknown feature flag {key:?}")))
    }
}

/// A flag's key on the wire: one of the registry's keys.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Flag {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(Self::ALL.iter().map(|flag| flag.key())))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Flag {}

/// Longest environment name.
pub const ENVIRONMENT_MAX: usize = 32;

/// Checks an environment name (`production`, `staging`, `development`, …): 1–32 lowercase
/// letters, digits, `-` or `_`, starting with a letter or digit.
///
/// # Errors
/// [`Problem::NotAnEnvironment`](crate::Problem::NotAnEnvironment).
pub fn check_environment(name: &str) -> Result<(), crate::Problem> {
    let ok = !name.is_empty()
        && name.len() <= ENVIRONMENT_MAX
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok { Ok(()) } else { Err(crate::Problem::NotAnEnvironment) }
}

/// Who an override applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    User,
    Organization,
}

impl SubjectKind {
    /// The stored and wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Organization => "organization",
        }
    }
}

/// A flag forced on or off for one user or organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FlagOverride {
    pub subject_kind: SubjectKind,
    /// A user or organization id (UUID).
    pub subject_id: String,
    pub enabled: bool,
}

/// `PUT /api/v1/platform/feature-flags/{key}`: the flag's whole setting (every field required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PutFlagInput {
    /// Off: off for everyone but the overrides. On: on for `rolloutPercentage` % of subjects.
    pub enabled: bool,
    /// 0–100 (a wider integer type, so an out-of-range number is named by the rule, not by serde).
    pub rollout_percentage: i64,
    /// Where the flag may be on; empty: every environment.
    pub environments: Vec<String>,
    pub overrides: Vec<FlagOverride>,
}

/// A flag as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FlagView {
    pub key: Flag,
    pub description: String,
    /// What the code does while no admin has written the flag.
    pub default_enabled: bool,
    pub enabled: bool,
    pub rollout_percentage: u8,
    pub environments: Vec<String>,
    pub overrides: Vec<FlagOverride>,
    /// RFC 3339 UTC of the last write; `null` while the code default applies.
    pub updated_at: Option<String>,
    /// The admin who wrote it last.
    pub updated_by: Option<String>,
}

/// `GET /api/v1/platform/feature-flags`: every flag, and the environment this server runs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FlagList {
    pub environment: String,
    pub items: Vec<FlagView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_round_trip() {
        let mut keys: Vec<&str> = Flag::ALL.iter().map(|f| f.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Flag::ALL.len());
        for flag in Flag::ALL {
            assert_eq!(Flag::from_key(flag.key()), Some(flag));
            assert_eq!(serde_json::to_value(flag).unwrap(), flag.key());
            assert!(!flag.description().is_empty());
        }
        assert_eq!(Flag::from_key("nope"), None);
        assert!(serde_json::from_str::<Flag>("\"nope\"").is_err());
    }

    #[test]
    fn environment_names() {
        for good in ["production", "staging-2", "dev_eu", "a"] {
            assert!(check_environment(good).is_ok(), "{good}");
        }
        for bad in ["", "Production", "-x", "has space", &"x".repeat(33)] {
            assert!(check_environment(bad).is_err(), "{bad}");
        }
    }
}
