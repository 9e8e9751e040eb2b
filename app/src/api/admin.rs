//! The platform admin console's server functions: the `/admin` screens' door to the same
//! operations the REST door (`/api/v1/platform/*`) calls, in `crate::server::admin`. Every
//! `admin_*` function first checks that the person at the keyboard is a platform admin and
//! answers `not_found` to anyone else, as the REST door does.
//!
//! Also here: the impersonation banner's question (open to everyone: `None` unless this session
//! is impersonating) and the first-run setup.

use contracts::ApiError;
use contracts::audit::AuditEntryView;
use contracts::flags::{FlagList, FlagView, PutFlagInput};
use contracts::links::Page;
use contracts::platform::{
    AdminOrganizationDetail, AdminOrganizationView, AdminUserDetail, AdminUserView, ConsoleAdmin,
    DeadJobView, ImpersonationView, PlatformOverview,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// The audit log screen's filters (each as typed; blank is no filter).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// A user id: what they did, or did while impersonating someone.
    pub actor: Option<String>,
    /// An event type (`page.updated`) or a family (`membership.*`).
    pub action: Option<String>,
    pub organization: Option<String>,
    /// A date (`2026-11-25`) or an RFC 3339 time; `to` includes its whole day.
    pub from: Option<String>,
    pub to: Option<String>,
}

impl AuditFilter {
    /// The filters in the log's query form (`name`, `value`), blank ones left out.
    #[must_use]
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("actor", &self.actor),
            ("action", &self.action),
            ("organization", &self.organization),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .into_iter()
        .filter_map(|(name, value)| {
            value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(|v| (name, v.to_owned()))
        })
        .collect()
    }
}

/// The services, the session and the platform admin at the keyboard; `not_found` for anyone else.
#[cfg(feature = "ssr")]
async fn console() -> Result<(crate::server::Services, iam::AuthSession, iam::User), ApiError> {
    let services = crate::server::services()?;
    let auth = crate::server::auth_session()?;
    let admin = crate::server::admin::console_admin(&services, &auth)
        .await?
        .ok_or_else(crate::server::admin::hidden)?;
    Ok((services, auth, admin))
}

/// A list request's page, from the screen's cursor and size.
#[cfg(feature = "ssr")]
fn page(cursor: Option<&str>, limit: Option<u16>) -> Result<kernel::PageRequest, ApiError> {
    crate::server::admin::page_request(cursor, limit.map(|l| l.to_string()).as_deref())
}

/// Makes `organization` the active one (or clears it) for the rest of this browser session.
#[cfg(feature = "ssr")]
fn set_org_cookie(services: &crate::server::Services, organization: Option<uuid::Uuid>) {
    let cookie = crate::server::cookies::org_cookie(organization, services.secure_cookies);
    crate::server::append_header(http::header::SET_COOKIE, &cookie);
}

/// The admin using the console (the shell's header).
#[server(prefix = "/api/fn", endpoint = "admin_console", input = Json)]
pub async fn admin_console() -> Result<ConsoleAdmin, ApiError> {
    let (_, _, admin) = console().await?;
    Ok(crate::server::admin::console_view(&admin))
}

/// The platform's numbers.
#[server(prefix = "/api/fn", endpoint = "admin_overview", input = Json)]
pub async fn admin_overview() -> Result<PlatformOverview, ApiError> {
    let (services, ..) = console().await?;
    crate::server::admin::overview(&services).await
}

/// Users newest first, matching `q` (name or email) when given, a page at a time.
#[server(prefix = "/api/fn", endpoint = "admin_users", input = Json)]
pub async fn admin_users(
    q: Option<String>,
    cursor: Option<String>,
    limit: Option<u16>,
) -> Result<Page<AdminUserView>, ApiError> {
    let (services, ..) = console().await?;
    let page = page(cursor.as_deref(), limit)?;
    crate::server::admin::users(&services, crate::server::admin::search(q.as_deref()), &page).await
}

/// One user with their organizations.
#[server(prefix = "/api/fn", endpoint = "admin_user", input = Json)]
pub async fn admin_user(id: String) -> Result<AdminUserDetail, ApiError> {
    let (services, ..) = console().await?;
    crate::server::admin::user(&services, &id).await
}

/// Deactivates a user: they cannot sign in and their sessions end.
#[server(prefix = "/api/fn", endpoint = "admin_deactivate_user", input = Json)]
pub async fn admin_deactivate_user(id: String) -> Result<AdminUserDetail, ApiError> {
    let (services, _, admin) = console().await?;
    crate::server::admin::deactivate(&services, &admin, &id).await
}

/// Lets a deactivated user sign in again.
#[server(prefix = "/api/fn", endpoint = "admin_reactivate_user", input = Json)]
pub async fn admin_reactivate_user(id: String) -> Result<AdminUserDetail, ApiError> {
    let (services, _, admin) = console().await?;
    crate::server::admin::reactivate(&services, &admin, &id).await
}

/// Starts acting as a user (support): this session becomes theirs, with their first
/// organization active, for at most an hour.
#[server(prefix = "/api/fn", endpoint = "admin_impersonate", input = Json)]
pub async fn admin_impersonate(id: String) -> Result<ImpersonationView, ApiError> {
    use crate::server::cookies::{ORG_COOKIE, read};
    let (services, mut auth, admin) = console().await?;
    let parts = crate::server::request_parts()?;
    let previous = read(&parts.headers, ORG_COOKIE).map(ToOwned::to_owned);
    let started = crate::server::admin::impersonate(&services, &mut auth, &admin, &id, previous).await?;
    set_org_cookie(&services, started.organization);
    Ok(started.view)
}

/// Ends the impersonation: the session is the admin's again, with their organization active
/// again. The id of the user they were acting as.
#[server(prefix = "/api/fn", endpoint = "admin_stop_impersonation", input = Json)]
pub async fn admin_stop_impersonation() -> Result<String, ApiError> {
    let (services, mut auth, _) = console().await?;
    let stopped = crate::server::admin::stop_impersonation(&services, &mut auth).await?;
    set_org_cookie(&services, stopped.organization);
    Ok(stopped.user_id.to_string())
}

/// Organizations newest first, matching `q` (name or address) when given, a page at a time.
#[server(prefix = "/api/fn", endpoint = "admin_organizations", input = Json)]
pub async fn admin_organizations(
    q: Option<String>,
    cursor: Option<String>,
    limit: Option<u16>,
) -> Result<Page<AdminOrganizationView>, ApiError> {
    let (services, ..) = console().await?;
    let page = page(cursor.as_deref(), limit)?;
    crate::server::admin::organizations(&services, crate::server::admin::search(q.as_deref()), &page).await
}

/// One organization with its members.
#[server(prefix = "/api/fn", endpoint = "admin_organization", input = Json)]
pub async fn admin_organization(id: String) -> Result<AdminOrganizationDetail, ApiError> {
    let (services, ..) = console().await?;
    crate::server::admin::organization(&services, &id).await
}

/// The jobs that failed their last attempt.
#[server(prefix = "/api/fn", endpoint = "admin_dead_jobs", input = Json)]
pub async fn admin_dead_jobs() -> Result<Vec<DeadJobView>, ApiError> {
    let (services, ..) = console().await?;
    crate::server::admin::dead_jobs(&services).await
}

/// Puts a dead job back in the queue.
#[server(prefix = "/api/fn", endpoint = "admin_retry_job", input = Json)]
pub async fn admin_retry_job(id: String) -> Result<(), ApiError> {
    let (services, _, admin) = console().await?;
    crate::server::admin::retry_job(&services, &admin, &id).await
}

/// The impersonation this session is in, for the banner every page shows; `None` for everyone
/// else (signed out included).
#[server(prefix = "/api/fn", endpoint = "impersonation", input = Json)]
pub async fn current_impersonation() -> Result<Option<ImpersonationView>, ApiError> {
    let auth = crate::server::auth_session()?;
    if crate::server::platform::impersonation(&auth).await.is_none() {
        return Ok(None);
    }
    let services = crate::server::services()?;
    let Ok(user) = crate::api::auth::current_user().await else { return Ok(None) };
    crate::server::platform::impersonation_view(&services, &auth, &user).await
}

/// Whether the caller is signed in, while the platform waits for its first admin; `not_found`
/// once it has one.
#[server(prefix = "/api/fn", endpoint = "platform_setup", input = Json)]
pub async fn platform_setup() -> Result<bool, ApiError> {
    let services = crate::server::services()?;
    if !crate::server::admin::setup_open(&services).await? {
        return Err(crate::server::admin::hidden());
    }
    Ok(crate::server::auth_session()?.user.is_some())
}

/// The signed-in caller presents the setup token from the server's log and becomes the first
/// platform admin.
#[server(prefix = "/api/fn", endpoint = "claim_platform_setup", input = Json)]
pub async fn claim_platform_setup(token: String) -> Result<(), ApiError> {
    let services = crate::server::services()?;
    let user = crate::api::auth::current_user().await?;
    crate::server::admin::claim_setup(&services, &user, &token).await
}

/// A page of the audit log, newest first.
#[server(prefix = "/api/fn", endpoint = "admin_audit", input = Json)]
pub async fn admin_audit(
    filter: AuditFilter,
    cursor: Option<String>,
    limit: Option<u16>,
) -> Result<Page<AuditEntryView>, ApiError> {
    let (services, ..) = console().await?;
    let mut pairs = filter.pairs();
    pairs.extend(cursor.map(|c| ("cursor", c)));
    pairs.extend(limit.map(|l| ("limit", l.to_string())));
    crate::server::admin::audit_log(&services, pairs).await
}

/// Every feature flag, and this server's environment.
#[server(prefix = "/api/fn", endpoint = "admin_flags", input = Json)]
pub async fn admin_flags() -> Result<FlagList, ApiError> {
    let (services, ..) = console().await?;
    crate::server::admin::flags(&services).await
}

/// Replaces a flag's whole setting.
#[server(prefix = "/api/fn", endpoint = "admin_put_flag", input = Json)]
pub async fn admin_put_flag(key: String, input: PutFlagInput) -> Result<FlagView, ApiError> {
    let (services, _, admin) = console().await?;
    crate::server::admin::put_flag(&services, &admin, &key, input).await
}
