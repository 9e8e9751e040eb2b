//! [`FeatureFlags`]: the context's dependencies and the typed accessor code asks.

use std::sync::Arc;

use contracts::flags::Flag;
use kernel::Clock;
use kernel::db::DbPool;

use crate::application::FlagsError;
use crate::domain::rollout::{Rule, Subject, evaluate};
use crate::infrastructure::cache::{FlagCache, Snapshot};
use crate::infrastructure::store;

/// The feature flags of this process: cheap to clone (clones share the snapshot).
#[derive(Clone)]
pub struct FeatureFlags {
    pub db: DbPool,
    pub clock: Arc<dyn Clock>,
    environment: Arc<str>,
    pub(crate) cache: Arc<FlagCache>,
}

impl std::fmt::Debug for FeatureFlags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeatureFlags").field("environment", &self.environment).finish_non_exhaustive()
    }
}

impl FeatureFlags {
    /// Flags for a process running in `environment` (`MIBIO_ENV`). Until the first
    /// [`FeatureFlags::reload`], every flag answers its code default (writes made through this
    /// value apply at once all the same).
    #[must_use]
    pub fn new(db: DbPool, clock: Arc<dyn Clock>, environment: &str) -> Self {
        Self { db, clock, environment: Arc::from(environment), cache: Arc::default() }
    }

    /// The environment this process runs in.
    #[must_use]
    pub fn environment(&self) -> &str {
        &self.environment
    }

    /// Whether `flag` is on for `subject`, from memory (no I/O).
    #[must_use]
    pub fn is_enabled(&self, flag: Flag, subject: &Subject) -> bool {
        let snapshot = self.cache.current();
        evaluate(flag, snapshot.get(&flag), &self.environment, subject)
    }

    /// Reads every written flag from the database into a fresh snapshot. Rows of flags the code
    /// no longer knows are ignored.
    ///
    /// # Errors
    /// `Unavailable`, `Internal`; the previous snapshot stays.
    pub async fn reload(&self) -> Result<(), FlagsError> {
        let mut conn = self.db.get().await?;
        let stored = conn
            .build_transaction()
            .read_only()
            .repeatable_read()
            .run::<_, diesel::result::Error, _>(async |tx| store::load_all(tx).await)
            .await?;
        let snapshot: Snapshot = stored
            .iter()
            .filter_map(|(key, flag)| Flag::from_key(key).map(|f| (f, Rule::from(&flag.config))))
            .collect();
        self.cache.replace(snapshot);
        Ok(())
    }
}
