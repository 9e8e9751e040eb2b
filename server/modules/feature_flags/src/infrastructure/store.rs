//! The settings repository: what admins wrote, per flag key.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use contracts::flags::SubjectKind;
use diesel::prelude::{
    ExpressionMethods, Insertable, QueryDsl, QueryResult, Queryable, Selectable, SelectableHelper,
};
use diesel::sql_types::Text;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use crate::domain::config::{FlagConfig, Override};
use crate::infrastructure::schema::{overrides, settings};

/// The `NOTIFY` channel on which flag writes are announced (payload: the flag key).
pub const CHANGE_CHANNEL: &str = "feature_flags_changed";

/// A written flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFlag {
    pub config: FlagConfig,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<Uuid>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = settings)]
struct SettingRow {
    key: String,
    enabled: bool,
    rollout_percentage: i16,
    environments: Vec<String>,
    updated_at: DateTime<Utc>,
    updated_by: Option<Uuid>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = overrides)]
struct OverrideRow {
    flag_key: String,
    subject_kind: String,
    subject_id: Uuid,
    enabled: bool,
}

fn kind(text: &str) -> Option<SubjectKind> {
    match text {
        "user" => Some(SubjectKind::User),
        "organization" => Some(SubjectKind::Organization),
        _ => None,
    }
}

fn assemble(rows: Vec<SettingRow>, overrides: Vec<OverrideRow>) -> BTreeMap<String, StoredFlag> {
    let mut flags: BTreeMap<String, StoredFlag> = rows
        .into_iter()
        .map(|r| {
            let config = FlagConfig {
                enabled: r.enabled,
                rollout_percentage: u8::try_from(r.rollout_percentage).unwrap_or(0).min(100),
                environments: r.environments,
                overrides: Vec::new(),
            };
            (r.key, StoredFlag { config, updated_at: r.updated_at, updated_by: r.updated_by })
        })
        .collect();
    for o in overrides {
        let (Some(flag), Some(subject_kind)) = (flags.get_mut(&o.flag_key), kind(&o.subject_kind)) else {
            continue;
        };
        flag.config.overrides.push(Override { subject_kind, subject_id: o.subject_id, enabled: o.enabled });
    }
    for flag in flags.values_mut() {
        flag.config.overrides.sort();
    }
    flags
}

/// Every written flag, by key (keys the code no longer knows included). Run it in one
/// repeatable-read transaction for a consistent picture.
///
/// # Errors
/// The database's.
pub async fn load_all(conn: &mut AsyncPgConnection) -> QueryResult<BTreeMap<String, StoredFlag>> {
    let rows = settings::table.select(SettingRow::as_select()).load(conn).await?;
    let overrides = overrides::table.select(OverrideRow::as_select()).load(conn).await?;
    Ok(assemble(rows, overrides))
}

/// The written flag `key`, if any.
///
/// # Errors
/// The database's.
pub async fn load_one(conn: &mut AsyncPgConnection, key: &str) -> QueryResult<Option<StoredFlag>> {
    let rows =
        settings::table.filter(settings::key.eq(key)).select(SettingRow::as_select()).load(conn).await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let overrides = overrides::table
        .filter(overrides::flag_key.eq(key))
        .select(OverrideRow::as_select())
        .load(conn)
        .await?;
    Ok(assemble(rows, overrides).remove(key))
}

/// Serialises writers of flag `key` until the transaction ends (a never-written flag has no row
/// to lock yet).
///
/// # Errors
/// The database's.
pub async fn lock(conn: &mut AsyncPgConnection, key: &str) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('feature_flags:' || $1, 0))")
        .bind::<Text, _>(key)
        .execute(conn)
        .await
        .map(drop)
}

/// Replaces flag `key`'s setting and overrides.
///
/// # Errors
/// The database's.
pub async fn save(conn: &mut AsyncPgConnection, key: &str, flag: &StoredFlag) -> QueryResult<()> {
    let row = SettingRow {
        key: key.to_owned(),
        enabled: flag.config.enabled,
        rollout_percentage: i16::from(flag.config.rollout_percentage),
        environments: flag.config.environments.clone(),
        updated_at: flag.updated_at,
        updated_by: flag.updated_by,
    };
    diesel::insert_into(settings::table)
        .values(&row)
        .on_conflict(settings::key)
        .do_update()
        .set((
            settings::enabled.eq(excluded(settings::enabled)),
            settings::rollout_percentage.eq(excluded(settings::rollout_percentage)),
            settings::environments.eq(excluded(settings::environments)),
            settings::updated_at.eq(excluded(settings::updated_at)),
            settings::updated_by.eq(excluded(settings::updated_by)),
        ))
        .execute(conn)
        .await?;
    diesel::delete(overrides::table.filter(overrides::flag_key.eq(key))).execute(conn).await?;
    let rows: Vec<OverrideRow> = flag
        .config
        .overrides
        .iter()
        .map(|o| OverrideRow {
            flag_key: key.to_owned(),
            subject_kind: o.subject_kind.as_str().to_owned(),
            subject_id: o.subject_id,
            enabled: o.enabled,
        })
        .collect();
    if !rows.is_empty() {
        diesel::insert_into(overrides::table).values(&rows).execute(conn).await?;
    }
    Ok(())
}

/// Tells every replica (on commit) that flag `key` changed.
///
/// # Errors
/// The database's.
pub async fn announce(conn: &mut AsyncPgConnection, key: &str) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_notify($1, $2)")
        .bind::<Text, _>(CHANGE_CHANNEL)
        .bind::<Text, _>(key)
        .execute(conn)
        .await
        .map(drop)
}
