//! The platform admin's use cases: list the flags, read one, write one. Only platform admins
//! reach them: the adapters call them behind their admin check. Reads come from the database,
//! not the snapshot, so the console shows what is stored.

use std::collections::BTreeMap;

use chrono::{SecondsFormat, SubsecRound as _};
use contracts::flags::{Flag, FlagList, FlagOverride, FlagView, PutFlagInput};
use diesel_async::AsyncConnection as _;
use runtime::outbox;
use uuid::Uuid;

use crate::application::{FeatureFlags, FlagsError};
use crate::domain::config::FlagConfig;
use crate::domain::events::FeatureFlagChanged;
use crate::domain::rollout::Rule;
use crate::infrastructure::store::{self, StoredFlag};

/// The console's view of `flag`, written (`stored`) or at its code default.
#[must_use]
pub fn view(flag: Flag, stored: Option<&StoredFlag>) -> FlagView {
    let default = FlagConfig::default_for(flag);
    let config = stored.map_or(&default, |s| &s.config);
    FlagView {
        key: flag,
        description: flag.description().to_owned(),
        default_enabled: flag.default_enabled(),
        enabled: config.enabled,
        rollout_percentage: config.rollout_percentage,
        environments: config.environments.clone(),
        overrides: config
            .overrides
            .iter()
            .map(|o| FlagOverride {
                subject_kind: o.subject_kind,
                subject_id: o.subject_id.to_string(),
                enabled: o.enabled,
            })
            .collect(),
        updated_at: stored.map(|s| s.updated_at.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        updated_by: stored.and_then(|s| s.updated_by).map(|u| u.to_string()),
    }
}

fn flag_of(key: &str) -> Result<Flag, FlagsError> {
    Flag::from_key(key).ok_or(FlagsError::NotFound)
}

/// Every flag the code knows, in [`Flag::ALL`] order, and this server's environment.
///
/// # Errors
/// `Unavailable`, `Internal`.
pub async fn list_flags(ctx: &FeatureFlags) -> Result<FlagList, FlagsError> {
    let mut conn = ctx.db.get().await?;
    let stored: BTreeMap<String, StoredFlag> = store::load_all(&mut conn).await?;
    Ok(FlagList {
        environment: ctx.environment().to_owned(),
        items: Flag::ALL.into_iter().map(|f| view(f, stored.get(f.key()))).collect(),
    })
}

/// The flag with this key.
///
/// # Errors
/// `NotFound` (no such flag in the code), `Unavailable`, `Internal`.
pub async fn get_flag(ctx: &FeatureFlags, key: &str) -> Result<FlagView, FlagsError> {
    let flag = flag_of(key)?;
    let mut conn = ctx.db.get().await?;
    let stored = store::load_one(&mut conn, flag.key()).await?;
    Ok(view(flag, stored.as_ref()))
}

/// Replaces the setting of the flag with this key, as `admin`. In one transaction: the setting,
/// a `feature_flag.changed` event (before and after) and the change notice to other replicas;
/// this process's snapshot takes the change at once.
///
/// # Errors
/// `NotFound` (no such flag in the code), `Validation` naming each bad field, `Unavailable`,
/// `Internal`.
#[tracing::instrument(skip(ctx, input))]
pub async fn put_flag(
    ctx: &FeatureFlags,
    admin: Uuid,
    key: &str,
    input: PutFlagInput,
) -> Result<FlagView, FlagsError> {
    let flag = flag_of(key)?;
    let config = FlagConfig::parse(input).map_err(FlagsError::Validation)?;
    // Postgres keeps microseconds: the answer shows what is stored.
    let now = ctx.clock.now().trunc_subsecs(6);
    let after = StoredFlag { config, updated_at: now, updated_by: Some(admin) };
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, FlagsError, _>(async |tx| {
        store::lock(tx, flag.key()).await?;
        let before = store::load_one(tx, flag.key()).await?;
        store::save(tx, flag.key(), &after).await?;
        let event = FeatureFlagChanged {
            flag_key: flag.key().to_owned(),
            before: before.map(|b| b.config),
            after: after.config.clone(),
            actor_id: admin,
        };
        outbox::record(tx, &event, now).await?;
        store::announce(tx, flag.key()).await?;
        Ok(())
    })
    .await?;
    ctx.cache.put(flag, Rule::from(&after.config));
    tracing::info!(
        flag = flag.key(),
        enabled = after.config.enabled,
        rollout = after.config.rollout_percentage,
        "feature flag written"
    );
    Ok(view(flag, Some(&after)))
}
