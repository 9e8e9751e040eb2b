//! The feature_flags use cases: evaluating ([`FeatureFlags::is_enabled`]), keeping the snapshot
//! fresh ([`FeatureFlags::reload`], [`Refresher`]) and the platform admin's reads and writes
//! ([`admin`]).

pub mod admin;
mod ctx;
mod error;
mod refresh;

pub use ctx::FeatureFlags;
pub use error::FlagsError;
pub use refresh::{REFRESH_EVERY, Refresher};
