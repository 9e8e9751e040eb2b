//! The in-process snapshot every evaluation reads: the written rule of each flag the code knows.
//! Readers clone an `Arc` under a read lock held for a moment; a writer swaps in a whole new
//! snapshot, so evaluations never wait on the database or see half a change.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use contracts::flags::Flag;

use crate::domain::rollout::Rule;

/// The written rules, by flag (absent: never written, the code default applies).
pub type Snapshot = HashMap<Flag, Rule>;

/// The snapshot holder.
#[derive(Debug, Default)]
pub struct FlagCache {
    snapshot: RwLock<Arc<Snapshot>>,
}

impl FlagCache {
    /// The current snapshot.
    #[must_use]
    pub fn current(&self) -> Arc<Snapshot> {
        self.snapshot.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Replaces the whole snapshot (after a reload).
    pub fn replace(&self, snapshot: Snapshot) {
        *self.snapshot.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(snapshot);
    }

    /// Replaces one flag's rule (after a local write).
    pub fn put(&self, flag: Flag, rule: Rule) {
        let mut guard = self.snapshot.write().unwrap_or_else(PoisonError::into_inner);
        let mut next = (**guard).clone();
        next.insert(flag, rule);
        *guard = Arc::new(next);
    }
}
