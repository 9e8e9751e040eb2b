//! A flag's setting as admins write it, parsed from the wire and checked field by field.

use std::collections::BTreeMap;

use contracts::flags::{Flag, FlagOverride, PutFlagInput, SubjectKind, check_environment};
use contracts::{Problem, Problems};
use serde::Serialize;
use uuid::Uuid;

/// Most environments a flag may list.
pub const MAX_ENVIRONMENTS: usize = 20;
/// Most overrides a flag may carry (they live in every replica's memory).
pub const MAX_OVERRIDES: usize = 1000;

/// One subject's forced value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Override {
    pub subject_kind: SubjectKind,
    pub subject_id: Uuid,
    pub enabled: bool,
}

/// A flag's whole setting (overrides sorted by subject).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlagConfig {
    pub enabled: bool,
    pub rollout_percentage: u8,
    pub environments: Vec<String>,
    pub overrides: Vec<Override>,
}

impl FlagConfig {
    /// What an unwritten flag does: its default, for everyone, everywhere.
    #[must_use]
    pub fn default_for(flag: Flag) -> Self {
        Self {
            enabled: flag.default_enabled(),
            rollout_percentage: 100,
            environments: Vec::new(),
            overrides: Vec::new(),
        }
    }

    /// Parses a `PUT` body.
    ///
    /// # Errors
    /// Every bad field, named by its JSON path (`rolloutPercentage`, `environments[1]`,
    /// `overrides[0].subjectId`).
    pub fn parse(input: PutFlagInput) -> Result<Self, Problems> {
        let mut errors = Problems::new();
        let rollout_percentage = u8::try_from(input.rollout_percentage).ok().filter(|p| *p <= 100);
        if rollout_percentage.is_none() {
            errors
                .insert("rolloutPercentage".to_owned(), Problem::WholeNumberOutOfRange { min: 0, max: 100 });
        }
        if input.environments.len() > MAX_ENVIRONMENTS {
            errors.insert("environments".to_owned(), Problem::TooManyEnvironments { max: MAX_ENVIRONMENTS });
        }
        for (i, env) in input.environments.iter().enumerate() {
            if let Err(problem) = check_environment(env) {
                errors.insert(format!("environments[{i}]"), problem);
            } else if input.environments[..i].contains(env) {
                errors.insert(format!("environments[{i}]"), Problem::Duplicate);
            }
        }
        if input.overrides.len() > MAX_OVERRIDES {
            errors.insert("overrides".to_owned(), Problem::TooManyOverrides { max: MAX_OVERRIDES });
        }
        let overrides = overrides(&input.overrides, &mut errors);
        match rollout_percentage {
            Some(rollout_percentage) if errors.is_empty() => Ok(Self {
                enabled: input.enabled,
                rollout_percentage,
                environments: input.environments,
                overrides,
            }),
            _ => Err(errors),
        }
    }
}

fn overrides(input: &[FlagOverride], errors: &mut Problems) -> Vec<Override> {
    let mut seen: BTreeMap<(SubjectKind, Uuid), usize> = BTreeMap::new();
    let mut parsed = Vec::with_capacity(input.len());
    for (i, o) in input.iter().enumerate() {
        let Ok(subject_id) = o.subject_id.trim().parse::<Uuid>() else {
            errors.insert(format!("overrides[{i}].subjectId"), Problem::NotAUuid);
            continue;
        };
        if let Some(first) = seen.insert((o.subject_kind, subject_id), i) {
            errors.insert(format!("overrides[{i}]"), Problem::SameSubjectAs { index: first });
            continue;
        }
        parsed.push(Override { subject_kind: o.subject_kind, subject_id, enabled: o.enabled });
    }
    parsed.sort();
    parsed
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;

    use super::*;

    fn input(rollout: i64, environments: &[&str], overrides: Vec<FlagOverride>) -> PutFlagInput {
        PutFlagInput {
            enabled: true,
            rollout_percentage: rollout,
            environments: environments.iter().map(|e| (*e).to_owned()).collect(),
            overrides,
        }
    }

    fn over(kind: SubjectKind, id: &str) -> FlagOverride {
        FlagOverride { subject_kind: kind, subject_id: id.to_owned(), enabled: false }
    }

    #[test]
    fn parses_a_good_setting_with_sorted_overrides() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let config = FlagConfig::parse(input(
            25,
            &["production"],
            vec![over(SubjectKind::Organization, &a.to_string()), over(SubjectKind::User, &b.to_string())],
        ))
        .unwrap();
        assert_eq!(config.rollout_percentage, 25);
        assert_eq!(
            config.overrides[0],
            Override { subject_kind: SubjectKind::User, subject_id: b, enabled: false }
        );
    }

    #[test]
    fn names_every_bad_field() {
        let id = Uuid::now_v7().to_string();
        let errors = FlagConfig::parse(input(
            101,
            &["production", "Prod", "production"],
            vec![over(SubjectKind::User, "bob"), over(SubjectKind::User, &id), over(SubjectKind::User, &id)],
        ))
        .unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "environments[1]",
                "environments[2]",
                "overrides[0].subjectId",
                "overrides[2]",
                "rolloutPercentage"
            ]
        );
        assert_eq!(errors["overrides[2]"].to_string(), "names the same subject as overrides[1]");
        assert!(FlagConfig::parse(input(-1, &[], vec![])).unwrap_err().contains_key("rolloutPercentage"));
        let same_id_other_kind = vec![over(SubjectKind::User, &id), over(SubjectKind::Organization, &id)];
        assert!(FlagConfig::parse(input(0, &[], same_id_other_kind)).is_ok());
    }
}
