//! The feature_flags context: every flag is a [`Flag`] in code with a default; platform admins
//! override it globally (on/off, a percentage rollout, the environments where it may be on) and
//! per user or organization. Code asks `flags.is_enabled(Flag::…, &subject)`, answered from an
//! in-process snapshot that writes replace at once here and, through `NOTIFY`, in every other
//! replica (plus a periodic safety refresh).

pub mod application;
pub mod domain;
pub(crate) mod infrastructure;

pub use application::{FeatureFlags, FlagsError, Refresher};
pub use contracts::flags::Flag;
pub use domain::rollout::Subject;
