//! Evaluating a flag for a subject. In order: outside its environments → off; the user's
//! override; the organization's override; globally off → off; else on for the subjects whose
//! bucket (a stable hash of flag key and subject id, 0–99) is below the rollout percentage.

use std::collections::HashMap;

use contracts::flags::{Flag, SubjectKind};
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use crate::domain::config::FlagConfig;

/// Whom a flag is asked about: a user, an organization, both (a member in their organization),
/// or nobody (an anonymous visitor: only 0 % and 100 % rollouts and environments apply).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Subject {
    pub user: Option<Uuid>,
    pub organization: Option<Uuid>,
}

impl Subject {
    /// Nobody in particular.
    pub const ANONYMOUS: Self = Self { user: None, organization: None };

    /// A user, outside any organization.
    #[must_use]
    pub const fn user(id: Uuid) -> Self {
        Self { user: Some(id), organization: None }
    }

    /// An organization (e.g. the owner of a public page).
    #[must_use]
    pub const fn organization(id: Uuid) -> Self {
        Self { user: None, organization: Some(id) }
    }

    /// A user acting in an organization.
    #[must_use]
    pub const fn member(user: Uuid, organization: Uuid) -> Self {
        Self { user: Some(user), organization: Some(organization) }
    }

    /// The id rollouts bucket by: the user's, else the organization's.
    #[must_use]
    pub fn rollout_id(&self) -> Option<Uuid> {
        self.user.or(self.organization)
    }
}

/// The subject's bucket for `flag_key`, 0–99: the first 8 bytes of SHA-256(`key:subject`) as a
/// big-endian integer, modulo 100. Stable across processes, releases and platforms (unlike
/// `std`'s hashers), and independent between flags.
#[must_use]
pub fn bucket(flag_key: &str, subject: Uuid) -> u8 {
    let digest = Sha256::digest(format!("{flag_key}:{subject}").as_bytes());
    let mut first = [0_u8; 8];
    first.copy_from_slice(&digest[..8]);
    u8::try_from(u64::from_be_bytes(first) % 100).unwrap_or(0)
}

/// A written flag, ready to evaluate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rule {
    pub enabled: bool,
    pub rollout_percentage: u8,
    pub environments: Vec<String>,
    pub users: HashMap<Uuid, bool>,
    pub organizations: HashMap<Uuid, bool>,
}

impl From<&FlagConfig> for Rule {
    fn from(config: &FlagConfig) -> Self {
        let of = |kind| {
            config
                .overrides
                .iter()
                .filter(|o| o.subject_kind == kind)
                .map(|o| (o.subject_id, o.enabled))
                .collect()
        };
        Self {
            enabled: config.enabled,
            rollout_percentage: config.rollout_percentage,
            environments: config.environments.clone(),
            users: of(SubjectKind::User),
            organizations: of(SubjectKind::Organization),
        }
    }
}

impl Rule {
    /// Whether the flag keyed `key` is on for `subject` in `environment`.
    #[must_use]
    pub fn evaluate(&self, key: &str, environment: &str, subject: &Subject) -> bool {
        if !self.environments.is_empty() && !self.environments.iter().any(|e| e == environment) {
            return false;
        }
        if let Some(on) = subject.user.and_then(|u| self.users.get(&u)) {
            return *on;
        }
        if let Some(on) = subject.organization.and_then(|o| self.organizations.get(&o)) {
            return *on;
        }
        if !self.enabled {
            return false;
        }
        match self.rollout_percentage {
            0 => false,
            p if p >= 100 => true,
            p => subject.rollout_id().is_some_and(|id| bucket(key, id) < p),
        }
    }
}

/// Whether `flag` is on for `subject` in `environment`, given its written rule (`None`: never
/// written, the code default applies).
#[must_use]
pub fn evaluate(flag: Flag, rule: Option<&Rule>, environment: &str, subject: &Subject) -> bool {
    rule.map_or_else(|| flag.default_enabled(), |r| r.evaluate(flag.key(), environment, subject))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(enabled: bool, rollout: u8) -> Rule {
        Rule { enabled, rollout_percentage: rollout, ..Rule::default() }
    }

    #[test]
    fn buckets_are_stable_known_values() {
        // Pinned: a change here would reshuffle every running rollout.
        let id: Uuid = "0190e3a2-0000-7000-8000-000000000001".parse().unwrap();
        let b = bucket("lead-csv-export", id);
        assert_eq!(b, bucket("lead-csv-export", id));
        let digest = Sha256::digest(format!("lead-csv-export:{id}").as_bytes());
        let expected = u64::from_be_bytes(digest[..8].try_into().unwrap()) % 100;
        assert_eq!(u64::from(b), expected);
        assert!(b < 100);
    }

    #[test]
    fn precedence() {
        let (user, org) = (Uuid::now_v7(), Uuid::now_v7());
        let member = Subject::member(user, org);
        let mut r = rule(false, 100);
        assert!(!r.evaluate("k", "production", &member), "globally off");
        r.organizations.insert(org, true);
        assert!(r.evaluate("k", "production", &member), "the organization's override beats off");
        r.users.insert(user, false);
        assert!(!r.evaluate("k", "production", &member), "the user's override beats the organization's");
        assert!(r.evaluate("k", "production", &Subject::organization(org)));
        r.environments = vec!["staging".into()];
        assert!(!r.evaluate("k", "production", &Subject::organization(org)), "outside its environments: off");
        assert!(r.evaluate("k", "staging", &Subject::organization(org)));
    }

    #[test]
    fn anonymous_subjects_get_only_the_extremes() {
        assert!(rule(true, 100).evaluate("k", "e", &Subject::ANONYMOUS));
        assert!(!rule(true, 0).evaluate("k", "e", &Subject::ANONYMOUS));
        assert!(!rule(true, 99).evaluate("k", "e", &Subject::ANONYMOUS));
    }

    #[test]
    fn unwritten_flags_use_their_default() {
        assert!(evaluate(Flag::InAppBrowserHint, None, "e", &Subject::ANONYMOUS));
        assert!(!evaluate(Flag::InAppBrowserHint, Some(&rule(false, 100)), "e", &Subject::ANONYMOUS));
    }
}
