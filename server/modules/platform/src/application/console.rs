//! The platform admin console's use cases, one implementation behind two doors: the REST routes
//! under `/api/v1/platform/*` and the console's server functions. Every one takes a
//! [`PlatformAdmin`] — the proof, which only [`admins::prove`](super::admins::prove) makes, that
//! the person at the keyboard is a platform admin — so no door can call them for anyone else.
//!
//! Mutations stay in their owning contexts (iam for users, tenancy for organizations, `runtime`
//! for dead jobs and events (see `dead_letters`), feature_flags for flags; the audit log is
//! read-only); this module combines them and answers the console's wire types.

use std::collections::BTreeMap;

use audit::AuditCtx;
use contracts::audit::AuditEntryView;
use contracts::flags::{Flag, FlagList, FlagView, PutFlagInput};
use contracts::links::Page;
use contracts::platform::{
    AdminMemberView, AdminMembershipView, AdminOrganizationDetail, AdminOrganizationView, AdminUserDetail,
    AdminUserView, ConsoleAdmin, ImpersonationView, PlatformOverview,
};
use contracts::{ErrorCode, Problem};
use feature_flags::FeatureFlags;
use iam::{IamCtx, SessionUser, User, UserId};
use kernel::{DomainError, DomainResult, PageRequest};
use tenancy::{OrganizationId, TenancyCtx};

use crate::application::admins::{PlatformAdmin, is_admin};
use crate::application::{Person, PlatformCtx, impersonation};
use crate::domain::impersonation::{Impersonation, StopReason};

mod dead_letters;

pub use dead_letters::{DEAD_EVENTS_SHOWN, DEAD_JOBS_SHOWN, dead_events, dead_jobs, replay_event, retry_job};

/// What the console's use cases need: the platform's own dependencies and the contexts whose
/// records the console reads and changes.
#[derive(Clone, Debug)]
pub struct ConsoleCtx {
    pub platform: PlatformCtx,
    pub iam: IamCtx,
    pub tenancy: TenancyCtx,
    pub audit: AuditCtx,
    pub flags: FeatureFlags,
    pub billing: billing::BillingCtx,
}

/// The console's header line for `admin`.
#[must_use]
pub fn console_view(admin: &PlatformAdmin) -> ConsoleAdmin {
    let user = admin.user();
    ConsoleAdmin { id: user.id.to_string(), email: user.email.clone(), name: user.name.clone() }
}

/// The overview: counts of users, organizations, pages, activity, dead jobs and dead events.
///
/// # Errors
/// Database failures.
pub async fn overview(ctx: &ConsoleCtx, _admin: &PlatformAdmin) -> DomainResult<PlatformOverview> {
    let mut overview = crate::application::overview::overview(&ctx.platform).await?;
    overview.subscriptions_by_status =
        billing::application::subscriptions_by_status(&ctx.billing).await.map_err(DomainError::from)?;
    Ok(overview)
}

async fn user_view(ctx: &ConsoleCtx, user: &User) -> DomainResult<AdminUserView> {
    Ok(AdminUserView {
        id: user.id.to_string(),
        email: user.email.clone(),
        name: user.name.clone(),
        active: user.active,
        email_verified: user.email_verified_at.is_some(),
        platform_admin: is_admin(&ctx.platform, Person::of(user)).await?,
        created_at: user.created_at.to_rfc3339(),
        last_login_at: user.last_login_at.map(|t| t.to_rfc3339()),
    })
}

/// Users newest first, those whose name or email contains `search` when given.
///
/// # Errors
/// Database failures.
pub async fn users(
    ctx: &ConsoleCtx,
    _admin: &PlatformAdmin,
    search: Option<&str>,
    page: &PageRequest,
) -> DomainResult<Page<AdminUserView>> {
    let found = iam::application::admin::list_users(&ctx.iam, search, page).await?;
    let mut items = Vec::with_capacity(found.items.len());
    for user in &found.items {
        items.push(user_view(ctx, user).await?);
    }
    Ok(Page { items, next_cursor: found.next_cursor })
}

async fn user_detail(ctx: &ConsoleCtx, id: UserId) -> DomainResult<AdminUserDetail> {
    let user = iam::application::admin::get_user(&ctx.iam, id).await?;
    let memberships = tenancy::application::admin::memberships_of(&ctx.tenancy, id)
        .await?
        .into_iter()
        .map(|(org, role)| AdminMembershipView {
            organization_id: org.id.to_string(),
            organization_name: org.name,
            organization_slug: org.slug,
            role,
        })
        .collect();
    Ok(AdminUserDetail { user: user_view(ctx, &user).await?, memberships })
}

/// One user (active or not) with their organizations.
///
/// # Errors
/// `NotFound`; database failures.
pub async fn user(ctx: &ConsoleCtx, _admin: &PlatformAdmin, id: UserId) -> DomainResult<AdminUserDetail> {
    user_detail(ctx, id).await
}

/// Deactivates a user on behalf of `admin`: they cannot sign in and their sessions end. Never
/// another platform admin (nor oneself).
///
/// # Errors
/// `NotFound`; `forbidden` for another admin; a validation error (`userId`) for oneself.
pub async fn deactivate(
    ctx: &ConsoleCtx,
    admin: &PlatformAdmin,
    id: UserId,
) -> DomainResult<AdminUserDetail> {
    let target = iam::application::admin::get_user(&ctx.iam, id).await?;
    if id != admin.id() && is_admin(&ctx.platform, Person::of(&target)).await? {
        return Err(DomainError::rejected(
            ErrorCode::Forbidden,
            "Platform admins cannot be deactivated here; remove them from PLATFORM_ADMIN_EMAILS first.",
        ));
    }
    iam::application::admin::deactivate(&ctx.iam, id, admin.id()).await?;
    user_detail(ctx, id).await
}

/// Reactivates a user on behalf of `admin`.
///
/// # Errors
/// `NotFound`.
pub async fn reactivate(
    ctx: &ConsoleCtx,
    admin: &PlatformAdmin,
    id: UserId,
) -> DomainResult<AdminUserDetail> {
    iam::application::admin::reactivate(&ctx.iam, id, admin.id()).await?;
    user_detail(ctx, id).await
}

/// An impersonation that may begin: what the session must remember, whom it signs in as, what
/// the console shows, and the organization to make active (the user's first).
#[derive(Debug, Clone)]
pub struct Started {
    pub impersonation: Impersonation,
    pub session_user: SessionUser,
    pub view: ImpersonationView,
    pub organization: Option<OrganizationId>,
}

/// `admin` starts acting as user `target` (for at most an hour, visibly marked). `current` is
/// the impersonation the session is already in, if any; `admin_organization` is the admin's
/// active organization, restored when it ends. The door then signs its session in as
/// [`Started::session_user`] and keeps [`Started::impersonation`] in it.
///
/// # Errors
/// `NotFound`; `conflict` while already impersonating or for a deactivated user; `forbidden`
/// for another admin; `bad_request` for oneself.
pub async fn impersonate(
    ctx: &ConsoleCtx,
    admin: &PlatformAdmin,
    target: UserId,
    current: Option<&Impersonation>,
    admin_organization: Option<String>,
) -> DomainResult<Started> {
    if current.is_some() {
        return Err(DomainError::rejected(ErrorCode::Conflict, "Stop the current impersonation first."));
    }
    let user = iam::application::admin::get_user(&ctx.iam, target).await?;
    let impersonation =
        impersonation::start(&ctx.platform, admin.id().into_uuid(), Person::of(&user), admin_organization)
            .await?;
    let session_user = iam::application::admin::session_user(&ctx.iam, target).await?;
    let organization = tenancy::application::admin::memberships_of(&ctx.tenancy, target)
        .await?
        .first()
        .map(|(org, _)| org.id);
    let view = impersonation_view(admin.user(), &user, &impersonation);
    Ok(Started { impersonation, session_user, view, organization })
}

/// What the session view says about `impersonation` of `user` by `admin`.
#[must_use]
pub fn impersonation_view(admin: &User, user: &User, impersonation: &Impersonation) -> ImpersonationView {
    ImpersonationView {
        admin_id: admin.id.to_string(),
        admin_email: admin.email.clone(),
        user_id: user.id.to_string(),
        user_email: user.email.clone(),
        user_name: user.name.clone(),
        expires_at: impersonation.expires_at.to_rfc3339(),
    }
}

/// Whom a session that ends `impersonation` belongs to afterwards.
#[derive(Debug, Clone)]
pub enum AfterImpersonation {
    /// The admin, signed in again.
    Admin(SessionUser),
    /// Nobody: the session signs out (the admin signed out, or was deactivated meanwhile).
    SignedOut,
}

/// Ends `impersonation` for `reason` (recorded for the audit log), and says whom the session
/// belongs to afterwards. Needs no proof: the session ending it holds the impersonation, and an
/// expired one must end whoever is at the keyboard.
///
/// # Errors
/// Database failures.
pub async fn end_impersonation(
    ctx: &ConsoleCtx,
    impersonation: &Impersonation,
    reason: StopReason,
) -> DomainResult<AfterImpersonation> {
    impersonation::stop(&ctx.platform, impersonation, reason).await?;
    if reason == StopReason::SignedOut {
        return Ok(AfterImpersonation::SignedOut);
    }
    match iam::application::admin::session_user(&ctx.iam, UserId::from(impersonation.admin_id)).await {
        Ok(admin) => Ok(AfterImpersonation::Admin(admin)),
        // The admin was deactivated meanwhile: nobody is signed in any more.
        Err(iam::IamError::NotFound) => Ok(AfterImpersonation::SignedOut),
        Err(err) => Err(err.into()),
    }
}

/// An organization as the console shows it, with its subscription (none on the free plan).
fn organization_view(
    org: &tenancy::Organization,
    members: i64,
    subscription: Option<&contracts::billing::SubscriptionView>,
) -> AdminOrganizationView {
    AdminOrganizationView {
        id: org.id.to_string(),
        name: org.name.clone(),
        slug: org.slug.clone(),
        created_at: org.created_at.to_rfc3339(),
        members,
        subscription: subscription.map(|s| s.status.key().to_owned()),
        plan: subscription.map(|s| s.plan_id.key().to_owned()),
    }
}

/// Organizations newest first with their member counts, matching `search` when given.
///
/// # Errors
/// Database failures.
pub async fn organizations(
    ctx: &ConsoleCtx,
    _admin: &PlatformAdmin,
    search: Option<&str>,
    page: &PageRequest,
) -> DomainResult<Page<AdminOrganizationView>> {
    let found = tenancy::application::admin::list_organizations(&ctx.tenancy, search, page).await?;
    let ids: Vec<OrganizationId> = found.items.iter().map(|(org, _)| org.id).collect();
    let subscriptions =
        billing::application::subscriptions_of(&ctx.billing, &ids).await.map_err(DomainError::from)?;
    Ok(Page {
        items: found
            .items
            .iter()
            .map(|(org, members)| organization_view(org, *members, subscriptions.get(&org.id)))
            .collect(),
        next_cursor: found.next_cursor,
    })
}

/// One organization with its members (oldest first).
///
/// # Errors
/// `NotFound`; database failures.
pub async fn organization(
    ctx: &ConsoleCtx,
    _admin: &PlatformAdmin,
    id: OrganizationId,
) -> DomainResult<AdminOrganizationDetail> {
    let (org, joined) = tenancy::application::admin::organization(&ctx.tenancy, id).await?;
    let subscription =
        billing::application::subscription_of(&ctx.billing, org.id).await.map_err(DomainError::from)?;
    let ids: Vec<UserId> = joined.iter().map(|m| m.user_id).collect();
    let users = iam::application::users::get_many(&ctx.iam, &ids).await?;
    let members = joined
        .iter()
        .map(|m| {
            let user = users.iter().find(|u| u.id == m.user_id);
            AdminMemberView {
                user_id: m.user_id.to_string(),
                email: user.map(|u| u.email.clone()).unwrap_or_default(),
                name: user.map(|u| u.name.clone()).unwrap_or_default(),
                role: m.role.clone(),
                joined_at: m.joined_at.to_rfc3339(),
            }
        })
        .collect::<Vec<_>>();
    Ok(AdminOrganizationDetail {
        organization: organization_view(
            &org,
            i64::try_from(members.len()).unwrap_or(i64::MAX),
            subscription.as_ref(),
        ),
        members,
    })
}

/// A page of the audit log, newest first, filtered by the query string's decoded `pairs`
/// (`actor`, `action`, `organization`, `from`, `to`, `cursor`, `limit`; see `audit::AuditQuery`).
/// `actor` may be a user's id or email, `organization` an organization's id or slug.
///
/// # Errors
/// A validation error naming each bad field (unknown ones too); database failures.
pub async fn audit_log<K, V>(
    ctx: &ConsoleCtx,
    _admin: &PlatformAdmin,
    pairs: impl IntoIterator<Item = (K, V)>,
) -> DomainResult<Page<AuditEntryView>>
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    // People and organizations may be named as the console shows them: an email, a slug.
    let mut resolved = Vec::new();
    let mut unknown = BTreeMap::new();
    for (key, value) in pairs {
        let (key, value) = (key.as_ref().to_owned(), value.as_ref().trim().to_owned());
        let id = match key.as_str() {
            "actor" if value.contains('@') => iam::application::admin::user_by_email(&ctx.iam, &value)
                .await?
                .map(|user| user.id.to_string())
                .ok_or(Problem::NoUserWithEmail),
            "organization" if !value.is_empty() && value.parse::<uuid::Uuid>().is_err() => {
                tenancy::application::admin::organization_by_slug(&ctx.tenancy, &value)
                    .await?
                    .map(|org| org.id.to_string())
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
            return Err(audit::AuditError::Validation(fields).into());
        }
    };
    let page = audit::application::query(&ctx.audit, &query).await?;
    Ok(Page { items: page.items, next_cursor: page.next_cursor })
}

/// Every feature flag the code knows, and this server's environment.
///
/// # Errors
/// Database failures.
pub async fn flags(ctx: &ConsoleCtx, _admin: &PlatformAdmin) -> DomainResult<FlagList> {
    Ok(feature_flags::application::admin::list_flags(&ctx.flags).await?)
}

/// One flag (the code's flags only).
///
/// # Errors
/// `NotFound` for a key the code does not know; database failures.
pub async fn flag(ctx: &ConsoleCtx, _admin: &PlatformAdmin, key: &str) -> DomainResult<FlagView> {
    Ok(feature_flags::application::admin::get_flag(&ctx.flags, key).await?)
}

/// Replaces a flag's whole setting on behalf of `admin` (recorded as a `feature_flag.changed`
/// event, which the audit log keeps).
///
/// # Errors
/// `NotFound`; a validation error naming each bad field; database failures.
pub async fn put_flag(
    ctx: &ConsoleCtx,
    admin: &PlatformAdmin,
    key: &str,
    input: PutFlagInput,
) -> DomainResult<FlagView> {
    if Flag::from_key(key).is_none() {
        return Err(feature_flags::FlagsError::NotFound.into());
    }
    Ok(feature_flags::application::admin::put_flag(&ctx.flags, admin.id().into_uuid(), key, input).await?)
}
