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
    DeadEventView, DeadJobView, ImpersonationView, PlatformOverview,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::server::wire;

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

/// The services and the platform admin at the keyboard; `not_found` for anyone else.
#[cfg(feature = "ssr")]
async fn console() -> Result<(crate::server::Services, crate::server::caller::Admin), ApiError> {
    crate::server::caller::extract::<crate::server::caller::Admin>().await
}

/// A list request's page, from the screen's cursor and size.
#[cfg(feature = "ssr")]
fn page(cursor: Option<&str>, limit: Option<u16>) -> Result<kernel::PageRequest, ApiError> {
    crate::server::admin::page_request(cursor, limit.map(|l| l.to_string()).as_deref())
}

/// Makes `organization` the active one (or clears it) for the rest of this browser session.
#[cfg(feature = "ssr")]
fn set_org_cookie(services: &crate::server::Services, organization: Option<tenancy::OrganizationId>) {
    let cookie = crate::server::cookies::org_cookie(organization, services.secure_cookies);
    crate::server::append_header(http::header::SET_COOKIE, &cookie);
}

/// The admin using the console (the shell's header).
#[server(prefix = "/api/fn", endpoint = "admin_console", input = Json)]
pub async fn admin_console() -> Result<ConsoleAdmin, ApiError> {
    let (_, at) = console().await?;
    Ok(platform::application::console::console_view(&at.admin))
}

/// The platform's numbers.
#[server(prefix = "/api/fn", endpoint = "admin_overview", input = Json)]
pub async fn admin_overview() -> Result<PlatformOverview, ApiError> {
    let (services, at) = console().await?;
    platform::application::console::overview(&services.console, &at.admin).await.map_err(wire)
}

/// Users newest first, matching `q` (name or email) when given, a page at a time.
#[server(prefix = "/api/fn", endpoint = "admin_users", input = Json)]
pub async fn admin_users(
    q: Option<String>,
    cursor: Option<String>,
    limit: Option<u16>,
) -> Result<Page<AdminUserView>, ApiError> {
    let (services, at) = console().await?;
    let page = page(cursor.as_deref(), limit)?;
    let search = crate::server::admin::search(q.as_deref());
    platform::application::console::users(&services.console, &at.admin, search, &page).await.map_err(wire)
}

/// One user with their organizations.
#[server(prefix = "/api/fn", endpoint = "admin_user", input = Json)]
pub async fn admin_user(id: String) -> Result<AdminUserDetail, ApiError> {
    let (services, at) = console().await?;
    let id = crate::server::admin::id_of(&id)?;
    platform::application::console::user(&services.console, &at.admin, id).await.map_err(wire)
}

/// Deactivates a user: they cannot sign in and their sessions end.
#[server(prefix = "/api/fn", endpoint = "admin_deactivate_user", input = Json)]
pub async fn admin_deactivate_user(id: String) -> Result<AdminUserDetail, ApiError> {
    let (services, at) = console().await?;
    let id = crate::server::admin::id_of(&id)?;
    platform::application::console::deactivate(&services.console, &at.admin, id).await.map_err(wire)
}

/// Lets a deactivated user sign in again.
#[server(prefix = "/api/fn", endpoint = "admin_reactivate_user", input = Json)]
pub async fn admin_reactivate_user(id: String) -> Result<AdminUserDetail, ApiError> {
    let (services, at) = console().await?;
    let id = crate::server::admin::id_of(&id)?;
    platform::application::console::reactivate(&services.console, &at.admin, id).await.map_err(wire)
}

/// Starts acting as a user (support): this session becomes theirs, with their first
/// organization active, for at most an hour.
#[server(prefix = "/api/fn", endpoint = "admin_impersonate", input = Json)]
pub async fn admin_impersonate(id: String) -> Result<ImpersonationView, ApiError> {
    use crate::server::caller::{begin_impersonation, impersonation};
    use crate::server::cookies::{ORG_COOKIE, read};
    let (services, mut at) = console().await?;
    let target = crate::server::admin::id_of(&id)?;
    let parts = crate::server::request_parts()?;
    let previous = read(&parts.headers, ORG_COOKIE).map(ToOwned::to_owned);
    let current = impersonation(&at.session).await;
    let started = platform::application::console::impersonate(
        &services.console,
        &at.admin,
        target,
        current.as_ref(),
        previous,
    )
    .await
    .map_err(wire)?;
    begin_impersonation(&mut at.session, &started).await.map_err(|f| crate::server::reject(f.0))?;
    set_org_cookie(&services, started.organization);
    Ok(started.view)
}

/// Ends the impersonation: the session is the admin's again, with their organization active
/// again. The id of the user they were acting as.
#[server(prefix = "/api/fn", endpoint = "admin_stop_impersonation", input = Json)]
pub async fn admin_stop_impersonation() -> Result<String, ApiError> {
    use platform::domain::impersonation::StopReason;
    let (services, mut at) = console().await?;
    let ended = crate::server::caller::end_impersonation(&services, &mut at.session, StopReason::Stopped)
        .await
        .map_err(|f| crate::server::reject(f.0))?;
    let imp = ended.ok_or_else(|| {
        crate::server::reject(ApiError::new(
            contracts::ErrorCode::Conflict,
            "This session is not impersonating anyone.",
        ))
    })?;
    set_org_cookie(&services, imp.admin_organization.as_deref().and_then(|o| o.parse().ok()));
    Ok(imp.user_id.to_string())
}

/// Organizations newest first, matching `q` (name or address) when given, a page at a time.
#[server(prefix = "/api/fn", endpoint = "admin_organizations", input = Json)]
pub async fn admin_organizations(
    q: Option<String>,
    cursor: Option<String>,
    limit: Option<u16>,
) -> Result<Page<AdminOrganizationView>, ApiError> {
    let (services, at) = console().await?;
    let page = page(cursor.as_deref(), limit)?;
    let search = crate::server::admin::search(q.as_deref());
    platform::application::console::organizations(&services.console, &at.admin, search, &page)
        .await
        .map_err(wire)
}

/// One organization with its members.
#[server(prefix = "/api/fn", endpoint = "admin_organization", input = Json)]
pub async fn admin_organization(id: String) -> Result<AdminOrganizationDetail, ApiError> {
    let (services, at) = console().await?;
    let id = crate::server::admin::id_of(&id)?;
    platform::application::console::organization(&services.console, &at.admin, id).await.map_err(wire)
}

/// The jobs that failed their last attempt.
#[server(prefix = "/api/fn", endpoint = "admin_dead_jobs", input = Json)]
pub async fn admin_dead_jobs() -> Result<Vec<DeadJobView>, ApiError> {
    let (services, at) = console().await?;
    platform::application::console::dead_jobs(&services.console, &at.admin).await.map_err(wire)
}

/// Puts a dead job back in the queue.
#[server(prefix = "/api/fn", endpoint = "admin_retry_job", input = Json)]
pub async fn admin_retry_job(id: String) -> Result<(), ApiError> {
    let (services, at) = console().await?;
    let id = crate::server::admin::id_of(&id)?;
    platform::application::console::retry_job(&services.console, &at.admin, id).await.map_err(wire)
}

/// The outbox events whose delivery failed its last attempt.
#[server(prefix = "/api/fn", endpoint = "admin_dead_events", input = Json)]
pub async fn admin_dead_events() -> Result<Vec<DeadEventView>, ApiError> {
    let (services, at) = console().await?;
    platform::application::console::dead_events(&services.console, &at.admin).await.map_err(wire)
}

/// Replays a dead event to the subscribers still missing it.
#[server(prefix = "/api/fn", endpoint = "admin_replay_event", input = Json)]
pub async fn admin_replay_event(id: String) -> Result<(), ApiError> {
    let (services, at) = console().await?;
    let id = crate::server::admin::id_of(&id)?;
    platform::application::console::replay_event(&services.console, &at.admin, id).await.map_err(wire)
}

/// The impersonation this session is in, for the banner every page shows; `None` for everyone
/// else (signed out included).
#[server(prefix = "/api/fn", endpoint = "impersonation", input = Json)]
pub async fn current_impersonation() -> Result<Option<ImpersonationView>, ApiError> {
    use crate::server::caller::{Caller, attempt, impersonation};
    let Ok((services, caller)) = attempt::<Caller>().await else { return Ok(None) };
    if impersonation(&caller.session).await.is_none() {
        return Ok(None);
    }
    crate::server::platform::impersonation_view(&services, &caller.session, &caller.user).await
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
    let (services, caller) = crate::server::caller::extract::<crate::server::caller::Caller>().await?;
    crate::server::admin::claim_setup(&services, &caller.user, &token).await
}

/// A page of the audit log, newest first.
#[server(prefix = "/api/fn", endpoint = "admin_audit", input = Json)]
pub async fn admin_audit(
    filter: AuditFilter,
    cursor: Option<String>,
    limit: Option<u16>,
) -> Result<Page<AuditEntryView>, ApiError> {
    let (services, at) = console().await?;
    let mut pairs = filter.pairs();
    pairs.extend(cursor.map(|c| ("cursor", c)));
    pairs.extend(limit.map(|l| ("limit", l.to_string())));
    platform::application::console::audit_log(&services.console, &at.admin, pairs).await.map_err(wire)
}

/// Every feature flag, and this server's environment.
#[server(prefix = "/api/fn", endpoint = "admin_flags", input = Json)]
pub async fn admin_flags() -> Result<FlagList, ApiError> {
    let (services, at) = console().await?;
    platform::application::console::flags(&services.console, &at.admin).await.map_err(wire)
}

/// Replaces a flag's whole setting.
#[server(prefix = "/api/fn", endpoint = "admin_put_flag", input = Json)]
pub async fn admin_put_flag(key: String, input: PutFlagInput) -> Result<FlagView, ApiError> {
    let (services, at) = console().await?;
    platform::application::console::put_flag(&services.console, &at.admin, &key, input).await.map_err(wire)
}
