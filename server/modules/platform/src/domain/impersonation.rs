//! Impersonation: a platform admin signed in as a user, for support.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How long an impersonation lasts at most.
pub const MAX_DURATION: TimeDelta = TimeDelta::hours(1);

/// An impersonation in progress, kept in the session it runs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Impersonation {
    /// The admin, who is really at the keyboard.
    pub admin_id: Uuid,
    /// The user the admin acts as.
    pub user_id: Uuid,
    pub started_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The admin's active organization before, restored when it stops.
    pub admin_organization: Option<String>,
}

impl Impersonation {
    /// An impersonation starting `now`, lasting [`MAX_DURATION`].
    #[must_use]
    pub fn begin(
        admin_id: Uuid,
        user_id: Uuid,
        now: DateTime<Utc>,
        admin_organization: Option<String>,
    ) -> Self {
        Self { admin_id, user_id, started_at: now, expires_at: now + MAX_DURATION, admin_organization }
    }

    /// Whether it has run out at `now`.
    #[must_use]
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires_at
    }
}

/// Why an impersonation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The admin pressed "stop".
    Stopped,
    /// Its hour ran out.
    Expired,
    /// The admin signed out.
    SignedOut,
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    #[test]
    fn lasts_one_hour() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap();
        let i = Impersonation::begin(Uuid::now_v7(), Uuid::now_v7(), now, None);
        assert!(!i.expired(now + TimeDelta::minutes(59)));
        assert!(i.expired(now + TimeDelta::hours(1)));
    }
}
