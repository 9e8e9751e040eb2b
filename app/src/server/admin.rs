//! The platform admin console's operations, one implementation behind two doors: the REST
//! handlers under `/api/v1/platform/*` and the console's server functions (`crate::api::admin`).
//! Each takes what the door already established — the services, and the platform admin at the
//! keyboard where the operation acts in their name — and answers wire types or an [`ApiError`].
//!
//! Who may call them is decided by [`console_admin`]; the doors check it before calling.
//! Mutations stay in their owning contexts (iam for users, tenancy for organizations, `runtime`
//! for jobs, feature_flags for flags; the audit log is read-only); this module only maps them to
//! the console's wire types.

use contracts::audit::AuditEntryView;
use contracts::flags::{Flag, FlagList, FlagView, PutFlagInput};
use contracts::links::Page;
use contracts::platform::{
    AdminMemberView, AdminMembershipView, AdminOrganizationDetail, AdminOrganizationView, AdminUserDetail,
    AdminUserView, ConsoleAdmin, DeadJobView, ImpersonationView, PlatformOverview,
};
use contracts::{ApiError, ErrorCode, Problem};
use iam::{AuthSession, User, UserId};
use kernel::PageRequest;
use platform::domain::impersonation::StopReason;

use crate::server::{Services, platform as session, reject, wire};

/// How many dead jobs the console lists (the most recent).
pub const DEAD_JOBS_SHOWN: i64 = 200;

/// What the host found out about an `/admin/*` page request before rendering it: the platform
/// admin at the keyboard, if the caller is one (a request extension the admin shell reads).
#[derive(Debug, Clone)]
pub struct ConsoleAccess(pub Result<Option<ConsoleAdmin>, ApiError>);

impl ConsoleAccess {
    /// Finds out for the session `auth`.
    pub async fn of(services: &Services, auth: &AuthSession) -> Self {
        Self(console_admin(services, auth).await.map(|admin| admin.as_ref().map(console_view)))
    }
}

/// The platform admin at the keyboard in `auth` (during an impersonation: the admin, not the
/// user they act as); `None` for anyone else, signed in or not.
///
/// # Errors
/// `unavailable` when the database is.
pub async fn console_admin(services: &Services, auth: &AuthSession) -> Result<Option<User>, ApiError> {
    let Some(user) = session::real_user(services, auth).await? else { return Ok(None) };
    Ok(session::is_admin(services, &user).await?.then_some(user))
}

/// The console's header line for `admin`.
#[must_use]
pub fn console_view(admin: &User) -> ConsoleAdmin {
    ConsoleAdmin { id: admin.id.to_string(), email: admin.email.clone(), name: admin.name.clone() }
}

/// The answer to a caller who may not see the console, or to an id that names nothing.
#[must_use]
pub fn hidden() -> ApiError {
    reject(ApiError::new(ErrorCode::NotFound, "Not found."))
}

/// A path id that must be a UUID (anything else names nothing: `not_found`).
///
/// # Errors
/// `not_found`.
pub fn uuid_of(raw: &str) -> Result<uuid::Uuid, ApiError> {
    raw.trim().parse().map_err(|_| hidden())
}

/// `?cursor=&limit=` of the console's lists, validated.
///
/// # Errors
/// `validation` naming `cursor` and/or `limit`.
pub fn page_request(cursor: Option<&str>, limit: Option<&str>) -> Result<PageRequest, ApiError> {
    PageRequest::parse(cursor, limit).map_err(wire)
}

/// The search text of a list: trimmed, `None` when blank.
#[must_use]
pub fn search(q: Option<&str>) -> Option<&str> {
    q.map(str::trim).filter(|q| !q.is_empty())
}

/// The overview: counts of users, organizations, pages, activity and dead jobs.
///
/// # Errors
/// `unavailable` / `internal`.
pub async fn overview(services: &Services) -> Result<PlatformOverview, ApiError> {
    ::platform::application::overview::overview(&services.platform).await.map_err(wire)
}

async fn user_view(services: &Services, user: &User) -> Result<AdminUserView, ApiError> {
    Ok(AdminUserView {
        id: user.id.to_string(),
        email: user.email.clone(),
        name: user.name.clone(),
        active: user.active,
        email_verified: user.email_verified_at.is_some(),
        platform_admin: session::is_admin(services, user).await?,
        created_at: user.created_at.to_rfc3339(),
        last_login_at: user.last_login_at.map(|t| t.to_rfc3339()),
    })
}

/// Users newest first, those whose name or email contains `search` when given.
///
/// # Errors
/// `unavailable` / `internal`.
pub async fn users(
    services: &Services,
    search: Option<&str>,
    page: &PageRequest,
) -> Result<Page<AdminUserView>, ApiError> {
    let found = iam::application::admin::list_users(&services.iam, search, page).await.map_err(wire)?;
    let mut items = Vec::with_capacity(found.items.len());
    for user in &found.items {
        items.push(user_view(services, user).await?);
    }
    Ok(Page { items, next_cursor: found.next_cursor })
}

async fn user_detail(services: &Services, id: UserId) -> Result<AdminUserDetail, ApiError> {
    let user = iam::application::admin::get_user(&services.iam, id).await.map_err(wire)?;
    let memberships = tenancy::application::admin::memberships_of(&services.tenancy, id.into_uuid())
        .await
        .map_err(wire)?
        .into_iter()
        .map(|(org, role)| AdminMembershipView {
            organization_id: org.id.to_string(),
            organization_name: org.name,
            organization_slug: org.slug,
            role,
        })
        .collect();
    Ok(AdminUserDetail { user: user_view(services, &user).await?, memberships })
}

/// One user (active or not) with their organizations.
///
/// # Errors
/// `not_found`; `unavailable` / `internal`.
pub async fn user(services: &Services, id: &str) -> Result<AdminUserDetail, ApiError> {
    user_detail(services, UserId::from(uuid_of(id)?)).await
}

/// Deactivates a user on behalf of `admin`: they cannot sign in and their sessions end. Never
/// another platform admin (nor oneself).
///
/// # Errors
/// `not_found`; `forbidden` for another admin; `validation` (`userId`) for oneself.
pub async fn deactivate(services: &Services, admin: &User, id: &str) -> Result<AdminUserDetail, ApiError> {
    let id = UserId::from(uuid_of(id)?);
    let target = iam::application::admin::get_user(&services.iam, id).await.map_err(wire)?;
    if id != admin.id && session::is_admin(services, &target).await? {
        return Err(reject(ApiError::new(
            ErrorCode::Forbidden,
            "Platform admins cannot be deactivated here; remove them from PLATFORM_ADMIN_EMAILS first.",
        )));
    }
    iam::application::admin::deactivate(&services.iam, id, admin.id).await.map_err(wire)?;
    user_detail(services, id).await
}

/// Reactivates a user on behalf of `admin`.
///
/// # Errors
/// `not_found`.
pub async fn reactivate(services: &Services, admin: &User, id: &str) -> Result<AdminUserDetail, ApiError> {
    let id = UserId::from(uuid_of(id)?);
    iam::application::admin::reactivate(&services.iam, id, admin.id).await.map_err(wire)?;
    user_detail(services, id).await
}

/// An impersonation that just started, and the organization to make active (the user's first).
#[derive(Debug, Clone)]
pub struct Started {
    pub view: ImpersonationView,
    pub organization: Option<uuid::Uuid>,
}

/// `admin` starts acting as user `id` in `auth` (for at most an hour, visibly marked).
/// `admin_organization` is the admin's active organization, restored when it ends.
///
/// # Errors
/// `not_found`; `conflict` while already impersonating or for a deactivated user; `forbidden`
/// for another admin; `validation` for oneself.
pub async fn impersonate(
    services: &Services,
    auth: &mut AuthSession,
    admin: &User,
    id: &str,
    admin_organization: Option<String>,
) -> Result<Started, ApiError> {
    let target = UserId::from(uuid_of(id)?);
    let (imp, user) = session::begin(services, auth, admin, target, admin_organization).await?;
    let organization = tenancy::application::admin::memberships_of(&services.tenancy, target.into_uuid())
        .await
        .map_err(wire)?
        .first()
        .map(|(org, _)| org.id.into_uuid());
    let view = ImpersonationView {
        admin_id: admin.id.to_string(),
        admin_email: admin.email.clone(),
        user_id: user.id.to_string(),
        user_email: user.email.clone(),
        user_name: user.name.clone(),
        expires_at: imp.expires_at.to_rfc3339(),
    };
    Ok(Started { view, organization })
}

/// An impersonation that just ended: whom the admin was acting as, and the admin's organization
/// to make active again.
#[derive(Debug, Clone)]
pub struct Stopped {
    pub user_id: uuid::Uuid,
    pub organization: Option<uuid::Uuid>,
}

/// Ends the impersonation of `auth`: the session is the admin's again.
///
/// # Errors
/// `conflict` when the session is not impersonating anyone; `unavailable`.
pub async fn stop_impersonation(services: &Services, auth: &mut AuthSession) -> Result<Stopped, ApiError> {
    let ended = session::end(services, auth, StopReason::Stopped).await?;
    let imp = ended.ok_or_else(|| {
        reject(ApiError::new(ErrorCode::Conflict, "This session is not impersonating anyone."))
    })?;
    let organization = imp.admin_organization.and_then(|o| o.parse().ok());
    Ok(Stopped { user_id: imp.user_id, organization })
}

fn organization_view(org: &tenancy::Organization, members: i64) -> AdminOrganizationView {
    AdminOrganizationView {
        id: org.id.to_string(),
        name: org.name.clone(),
        slug: org.slug.clone(),
        created_at: org.created_at.to_rfc3339(),
        members,
        // Billing is not built yet: every organization is on the free plan.
        subscription: None,
    }
}

/// Organizations newest first with their member counts, matching `search` when given.
///
/// # Errors
/// `unavailable` / `internal`.
pub async fn organizations(
    services: &Services,
    search: Option<&str>,
    page: &PageRequest,
) -> Result<Page<AdminOrganizationView>, ApiError> {
    let found = tenancy::application::admin::list_organizations(&services.tenancy, search, page)
        .await
        .map_err(wire)?;
    Ok(Page {
        items: found.items.iter().map(|(org, members)| organization_view(org, *members)).collect(),
        next_cursor: found.next_cursor,
    })
}

/// One organization with its members (oldest first).
///
/// # Errors
/// `not_found`; `unavailable` / `internal`.
pub async fn organization(services: &Services, id: &str) -> Result<AdminOrganizationDetail, ApiError> {
    let (org, rows) =
        tenancy::application::admin::organization(&services.tenancy, uuid_of(id)?).await.map_err(wire)?;
    let ids: Vec<UserId> = rows.iter().map(|m| UserId::from(m.user_id)).collect();
    let users = iam::application::users::get_many(&services.iam, &ids).await.map_err(wire)?;
    let members = rows
        .iter()
        .map(|m| {
            let user = users.iter().find(|u| u.id.into_uuid() == m.user_id);
            AdminMemberView {
                user_id: m.user_id.to_string(),
                email: user.map(|u| u.email.clone()).unwrap_or_default(),
                name: user.map(|u| u.name.clone()).unwrap_or_default(),
                role: m.role.clone(),
                joined_at: m.created_at.to_rfc3339(),
            }
        })
        .collect::<Vec<_>>();
    Ok(AdminOrganizationDetail {
        organization: organization_view(&org, i64::try_from(members.len()).unwrap_or(i64::MAX)),
        members,
    })
}

/// The jobs that failed their last attempt, most recently failed first.
///
/// # Errors
/// `unavailable` / `internal`.
pub async fn dead_jobs(services: &Services) -> Result<Vec<DeadJobView>, ApiError> {
    let mut conn = services.platform.db.get().await.map_err(wire)?;
    let jobs = runtime::jobs::dead_jobs(&mut conn, DEAD_JOBS_SHOWN).await.map_err(wire)?;
    Ok(jobs
        .into_iter()
        .map(|j| DeadJobView {
            id: j.id.to_string(),
            name: j.name,
            attempts: j.attempts,
            last_error: j.last_error,
            payload: j.payload,
            created_at: j.created_at.to_rfc3339(),
            failed_at: j.failed_at.to_rfc3339(),
        })
        .collect())
}

/// Puts dead job `id` back in the queue with fresh attempts, on behalf of `admin`.
///
/// # Errors
/// `not_found` when no dead job has the id; `unavailable` / `internal`.
pub async fn retry_job(services: &Services, admin: &User, id: &str) -> Result<(), ApiError> {
    let id = uuid_of(id)?;
    let mut conn = services.platform.db.get().await.map_err(wire)?;
    let now = services.platform.clock.now();
    if !runtime::jobs::retry_dead(&mut conn, id, now).await.map_err(wire)? {
        return Err(reject(ApiError::new(ErrorCode::NotFound, "No dead job has this id.")));
    }
    tracing::info!(job = %id, admin = %admin.id, "dead job queued again");
    Ok(())
}

/// Whether the platform still waits for its first admin (the setup token works).
///
/// # Errors
/// `unavailable` / `internal`.
pub async fn setup_open(services: &Services) -> Result<bool, ApiError> {
    ::platform::application::admins::needs_setup(&services.platform).await.map_err(wire)
}

/// The signed-in `user` presents the setup token from the server's log and becomes the first
/// platform admin.
///
/// # Errors
/// `not_found` once the platform has an admin; `validation` (`token`) for a wrong or expired one.
pub async fn claim_setup(services: &Services, user: &User, token: &str) -> Result<(), ApiError> {
    ::platform::application::admins::claim_setup(&services.platform, user.id.into_uuid(), token.trim())
        .await
        .map_err(wire)?;
    tracing::warn!(user = %user.id, "first platform admin set up with the setup token");
    Ok(())
}

/// A page of the audit log, newest first, filtered by the query string's decoded `pairs`
/// (`actor`, `action`, `organization`, `from`, `to`, `cursor`, `limit`; see `audit::AuditQuery`).
/// `actor` may be a user's id or email, `organization` an organization's id or slug.
///
/// # Errors
/// `validation` naming each bad field (unknown ones too); `unavailable` / `internal`.
pub async fn audit_log<K, V>(
    services: &Services,
    pairs: impl IntoIterator<Item = (K, V)>,
) -> Result<Page<AuditEntryView>, ApiError>
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    // People and organizations may be named as the console shows them: an email, a slug.
    let mut resolved = Vec::new();
    let mut unknown = std::collections::BTreeMap::new();
    for (key, value) in pairs {
        let (key, value) = (key.as_ref().to_owned(), value.as_ref().trim().to_owned());
        let id = match key.as_str() {
            "actor" if value.contains('@') => iam::application::admin::user_by_email(&services.iam, &value)
                .await
                .map_err(wire)?
                .map(|user| user.id.into_uuid().to_string())
                .ok_or(Problem::NoUserWithEmail),
            "organization" if !value.is_empty() && value.parse::<uuid::Uuid>().is_err() => {
                tenancy::application::admin::organization_by_slug(&services.tenancy, &value)
                    .await
                    .map_err(wire)?
                    .map(|org| org.id.into_uuid().to_string())
                    .ok_or(Problem::NoOrganizationWithSlug)
            }
            _ => Ok(value),
        };
        match id {
            Ok(id) => resolved.push((key, id)),
            Err(problem) => {
                unknown.insert(key, problem);
            }
        }
    }
    let query = match audit::AuditQuery::parse(resolved) {
        Ok(query) if unknown.is_empty() => query,
        parsed => {
            let mut fields = parsed.err().unwrap_or_default();
            fields.extend(unknown);
            return Err(wire(audit::AuditError::Validation(fields)));
        }
    };
    let page = audit::application::query(&services.audit, &query).await.map_err(wire)?;
    Ok(Page { items: page.items, next_cursor: page.next_cursor })
}

/// Every feature flag the code knows, and this server's environment.
///
/// # Errors
/// `unavailable` / `internal`.
pub async fn flags(services: &Services) -> Result<FlagList, ApiError> {
    feature_flags::application::admin::list_flags(&services.flags).await.map_err(wire)
}

/// The flag with this key (the code's flags only).
///
/// # Errors
/// `not_found` for a key the code does not know.
pub fn flag_of(key: &str) -> Result<Flag, ApiError> {
    Flag::from_key(key).ok_or_else(|| wire(feature_flags::FlagsError::NotFound))
}

/// One flag.
///
/// # Errors
/// `not_found`; `unavailable` / `internal`.
pub async fn flag(services: &Services, key: &str) -> Result<FlagView, ApiError> {
    feature_flags::application::admin::get_flag(&services.flags, key).await.map_err(wire)
}

/// Replaces a flag's whole setting on behalf of `admin` (recorded as a `feature_flag.changed`
/// event, which the audit log keeps).
///
/// # Errors
/// `not_found`; `validation` naming each bad field; `unavailable` / `internal`.
pub async fn put_flag(
    services: &Services,
    admin: &User,
    key: &str,
    input: PutFlagInput,
) -> Result<FlagView, ApiError> {
    flag_of(key)?;
    feature_flags::application::admin::put_flag(&services.flags, admin.id.into_uuid(), key, input)
        .await
        .map_err(wire)
}
