//! The platform admin console's wire types (`/api/v1/platform/*`, the `/admin` screens).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `GET /api/v1/platform/overview`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlatformOverview {
    pub users: i64,
    pub active_users: i64,
    /// Signed up in the last 7 days.
    pub new_users_7d: i64,
    pub organizations: i64,
    pub pages: i64,
    pub published_pages: i64,
    pub leads_7d: i64,
    pub views_7d: i64,
    pub clicks_7d: i64,
    /// Jobs that failed their last attempt (see `GET jobs/dead`).
    pub dead_jobs: i64,
    /// Outbox events whose delivery failed its last attempt (see `GET events/dead`).
    pub dead_events: i64,
    /// Subscriptions by status (`active`, `past_due`, …); empty while nobody ever subscribed.
    pub subscriptions_by_status: BTreeMap<String, i64>,
}

/// A user in the admin console (`GET /api/v1/platform/users`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminUserView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub active: bool,
    pub email_verified: bool,
    pub platform_admin: bool,
    pub created_at: String,
    pub last_login_at: Option<String>,
}

/// One membership of a user, as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminMembershipView {
    pub organization_id: String,
    pub organization_name: String,
    pub organization_slug: String,
    pub role: String,
}

/// `GET /api/v1/platform/users/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminUserDetail {
    pub user: AdminUserView,
    pub memberships: Vec<AdminMembershipView>,
}

/// An organization in the console (`GET /api/v1/platform/organizations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminOrganizationView {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub created_at: String,
    pub members: i64,
    /// The subscription's status (`active`, `past_due`, …); `None` on the free plan (it never
    /// subscribed).
    pub subscription: Option<String>,
    /// The subscription's plan (`pro`, `business`); `None` on the free plan.
    #[serde(default)]
    pub plan: Option<String>,
}

/// A member, in the console's view of an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminMemberView {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub joined_at: String,
}

/// `GET /api/v1/platform/organizations/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminOrganizationDetail {
    pub organization: AdminOrganizationView,
    pub members: Vec<AdminMemberView>,
}

/// The impersonation a session is in (`impersonation` of `GET /api/auth/session`; the answer of
/// `POST /api/v1/platform/users/{id}/impersonate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ImpersonationView {
    pub admin_id: String,
    pub admin_email: String,
    pub user_id: String,
    pub user_email: String,
    pub user_name: String,
    /// RFC 3339; it stops by itself then.
    pub expires_at: String,
}

/// A job that failed its last attempt (`GET /api/v1/platform/jobs/dead`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeadJobView {
    pub id: String,
    pub name: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub payload: serde_json::Value,
    pub created_at: String,
    pub failed_at: String,
}

/// An outbox event whose delivery failed its last attempt (`GET /api/v1/platform/events/dead`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeadEventView {
    pub id: String,
    /// `entity.verb` (`page.created`).
    pub event_type: String,
    /// The context that recorded it (`links`, `iam`, …).
    pub producer: String,
    pub attempts: i32,
    /// The failures of the last attempt, `subscriber: error` joined by `; `.
    pub last_error: Option<String>,
    pub payload: serde_json::Value,
    pub occurred_at: String,
    pub failed_at: String,
}

/// `POST /api/v1/setup/platform-admin`: the first-run setup token from the server's log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ClaimSetupInput {
    pub token: String,
}

/// The platform admin using the console (the person at the keyboard, also during an
/// impersonation), as the console's header shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleAdmin {
    pub id: String,
    pub email: String,
    pub name: String,
}
