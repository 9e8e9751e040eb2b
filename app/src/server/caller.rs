//! Who is calling — found out once, the same way, for both doors. Each type here is an axum
//! extractor: a REST handler names it as an argument, a server function calls [`extract`], and
//! both run the same [`FromRequestParts`] code with the same refusals.
//!
//! - [`Caller`]: a signed-in user (else `401 unauthenticated`). The session layer read the user
//!   once for this request (`iam::SessionUser` carries it); nothing reads it again.
//! - [`Member`]: a caller acting in their active organization, with the [`Actor`] every
//!   organization-scoped use case takes (else `409 no_active_organization`).
//! - [`ActiveOrFirst`]: the dashboard's member — with no organization chosen yet (a new browser),
//!   the caller's first one becomes the active one.
//! - [`Admin`]: the platform admin at the keyboard (during an impersonation, the admin, not the
//!   user they act as), carrying the [`PlatformAdmin`] proof the console's use cases demand;
//!   anyone else gets `404`, so the console is not even confirmed to exist.
//!
//! Why not `leptos_axum::extract`: it turns a rejection into a string, and the server functions'
//! callers switch on the error's code.

use axum::extract::FromRequestParts;
use contracts::ErrorCode;
use http::request::Parts;
use iam::{AuthSession, User, UserId};
use kernel::Actor;
use platform::application::admins::{self, PlatformAdmin};
use platform::domain::impersonation::Impersonation;
use tenancy::application::actor::Membership;
use tenancy::{Organization, OrganizationId};

use crate::server::{ApiFailure, Services, cookies};

/// Where the extractors find the use cases' dependencies: the host's state, or the services
/// themselves (what server functions have).
pub trait HasServices: Send + Sync {
    /// The services.
    fn services(&self) -> &Services;
}

impl HasServices for Services {
    fn services(&self) -> &Services {
        self
    }
}

/// Where a session keeps its impersonation.
pub const IMPERSONATION_KEY: &str = "mibio.impersonation";

fn unavailable() -> ApiFailure {
    ApiFailure::new(ErrorCode::Unavailable, "Sessions are unavailable; try again shortly.")
}

/// The axum-login session the session layer put in the request.
fn session_of(parts: &Parts) -> Result<AuthSession, ApiFailure> {
    parts
        .extensions
        .get::<AuthSession>()
        .cloned()
        .ok_or_else(|| ApiFailure::new(ErrorCode::Internal, "The session layer is missing."))
}

/// The impersonation `session` is in, if any (expired or not).
pub async fn impersonation(session: &AuthSession) -> Option<Impersonation> {
    session.user.as_ref()?;
    session.session.get::<Impersonation>(IMPERSONATION_KEY).await.ok().flatten()
}

/// A signed-in user.
#[derive(Clone)]
pub struct Caller {
    pub session: AuthSession,
    pub user: User,
}

impl<S: HasServices> FromRequestParts<S> for Caller {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let session = session_of(parts)?;
        // The session layer loaded the (active) user for this request already.
        let user = session
            .user
            .as_ref()
            .ok_or_else(|| ApiFailure::new(ErrorCode::Unauthenticated, "Sign in to continue."))?
            .user()
            .clone();
        Ok(Self { session, user })
    }
}

/// A signed-in member acting in their active organization.
#[derive(Clone)]
pub struct Member {
    pub caller: Caller,
    /// What organization-scoped use cases take.
    pub actor: Actor,
    pub organization: Organization,
    pub membership: Membership,
}

impl Member {
    fn new(caller: Caller, membership: Membership) -> Self {
        Self {
            actor: membership.actor.clone(),
            organization: membership.organization.clone(),
            membership,
            caller,
        }
    }

    /// The signed-in user.
    #[must_use]
    pub const fn user(&self) -> &User {
        &self.caller.user
    }
}

/// The organization the request's active-organization cookie names, if it names one.
#[must_use]
pub fn active_organization(headers: &http::HeaderMap) -> Option<OrganizationId> {
    cookies::read(headers, cookies::ORG_COOKIE).and_then(|v| v.parse().ok())
}

/// `user`'s membership in the organization the request's cookie names, if they are still a
/// member of it.
///
/// # Errors
/// Database failures.
pub async fn active_membership(
    services: &Services,
    headers: &http::HeaderMap,
    user: &User,
) -> Result<Option<Membership>, ApiFailure> {
    let Some(organization) = active_organization(headers) else { return Ok(None) };
    tenancy::application::actor::membership(&services.tenancy, user.caller(), organization)
        .await
        .map_err(|e| ApiFailure::from(kernel::DomainError::from(e)))
}

impl<S: HasServices> FromRequestParts<S> for Member {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let membership =
            active_membership(state.services(), &parts.headers, &caller.user).await?.ok_or_else(|| {
                ApiFailure::new(
                    ErrorCode::NoActiveOrganization,
                    "Choose an organization first (POST /api/v1/organizations/active).",
                )
            })?;
        Ok(Self::new(caller, membership))
    }
}

/// The dashboard's member: the active membership, or — when no (valid) organization is chosen
/// yet, e.g. on a new browser — the caller's first organization, which then becomes the active
/// one (the answer sets the cookie). The dashboard door only: the REST door answers
/// `409 no_active_organization`, as its contract says.
#[derive(Clone)]
pub struct ActiveOrFirst(pub Member);

/// The caller's membership for the dashboard (see [`ActiveOrFirst`]), `None` when they belong to
/// no organization.
///
/// # Errors
/// Database failures.
pub async fn active_or_first(
    services: &Services,
    headers: &http::HeaderMap,
    user: &User,
) -> Result<Option<Membership>, ApiFailure> {
    if let Some(found) = active_membership(services, headers, user).await? {
        return Ok(Some(found));
    }
    let mine = tenancy::application::organizations::my_organizations(&services.tenancy, user.id)
        .await
        .map_err(|e| ApiFailure::from(kernel::DomainError::from(e)))?;
    let Some((first, _)) = mine.into_iter().next() else { return Ok(None) };
    let cookie = cookies::org_cookie(Some(first.id), services.secure_cookies);
    crate::server::append_header(http::header::SET_COOKIE, &cookie);
    tenancy::application::actor::membership(&services.tenancy, user.caller(), first.id)
        .await
        .map_err(|e| ApiFailure::from(kernel::DomainError::from(e)))
}

impl<S: HasServices> FromRequestParts<S> for ActiveOrFirst {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let membership =
            active_or_first(state.services(), &parts.headers, &caller.user).await?.ok_or_else(|| {
                ApiFailure::new(ErrorCode::NoActiveOrganization, "Choose an organization first.")
            })?;
        Ok(Self(Member::new(caller, membership)))
    }
}

/// The person really at the keyboard in `session`: the admin during an impersonation, else the
/// session's user. `None` when signed out (or the admin is gone or deactivated).
///
/// # Errors
/// `unavailable` when the database is.
pub async fn real_user(services: &Services, session: &AuthSession) -> Result<Option<User>, ApiFailure> {
    let Some(signed_in) = session.user.as_ref() else { return Ok(None) };
    match impersonation(session).await {
        Some(imp) => iam::application::users::get_active(&services.iam, UserId::from(imp.admin_id))
            .await
            .map_err(|e| ApiFailure::from(kernel::DomainError::from(e))),
        // The session layer loaded the (active) user for this request already.
        None => Ok(Some(signed_in.user().clone())),
    }
}

/// The platform admin at the keyboard in `session`, proven; `None` for anyone else.
///
/// # Errors
/// `unavailable` when the database is.
pub async fn platform_admin(
    services: &Services,
    session: &AuthSession,
) -> Result<Option<PlatformAdmin>, ApiFailure> {
    let Some(user) = real_user(services, session).await? else { return Ok(None) };
    Ok(admins::prove(&services.platform, user).await?)
}

/// The platform admin at the keyboard (during an impersonation: the admin).
#[derive(Clone)]
pub struct Admin {
    pub session: AuthSession,
    /// What the console's use cases take.
    pub admin: PlatformAdmin,
}

impl<S: HasServices> FromRequestParts<S> for Admin {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let hidden = || ApiFailure::new(ErrorCode::NotFound, "Not found.");
        let session = session_of(parts).map_err(|_| hidden())?;
        let admin = platform_admin(state.services(), &session).await?.ok_or_else(hidden)?;
        Ok(Self { session, admin })
    }
}

/// Runs extractor `T` on the current request, for a server function: the same code and the same
/// refusals as in a REST handler. Answers the services with it.
///
/// # Errors
/// `T`'s refusal (with the response status set to its HTTP status).
pub async fn extract<T>() -> Result<(Services, T), contracts::ApiError>
where
    T: FromRequestParts<Services, Rejection = ApiFailure>,
{
    attempt::<T>().await.map_err(|f| crate::server::reject(f.0))
}

/// Like [`extract`], for a server function to which a refusal is an answer (the session check
/// answers `None` when signed out): nothing is set on the response.
///
/// # Errors
/// `T`'s refusal.
pub async fn attempt<T>() -> Result<(Services, T), ApiFailure>
where
    T: FromRequestParts<Services, Rejection = ApiFailure>,
{
    let services = crate::server::services()?;
    let mut parts = crate::server::request_parts()?;
    let found = T::from_request_parts(&mut parts, &services).await?;
    Ok((services, found))
}

/// Ends `session`'s impersonation for `reason` (recorded for the audit log): the session is the
/// admin's again (or signed out). Returns the impersonation that ended, `None` when there was
/// none.
///
/// # Errors
/// `unavailable`.
pub async fn end_impersonation(
    services: &Services,
    session: &mut AuthSession,
    reason: platform::domain::impersonation::StopReason,
) -> Result<Option<Impersonation>, ApiFailure> {
    use platform::application::console::{AfterImpersonation, end_impersonation};
    let Some(imp) = impersonation(session).await else { return Ok(None) };
    let after = end_impersonation(&services.console, &imp, reason).await?;
    session.session.remove::<Impersonation>(IMPERSONATION_KEY).await.map_err(|_| unavailable())?;
    match after {
        AfterImpersonation::Admin(admin) => session.login(&admin).await.map_err(|_| unavailable())?,
        AfterImpersonation::SignedOut => session.logout().await.map(drop).map_err(|_| unavailable())?,
    }
    Ok(Some(imp))
}

/// Starts the impersonation `started` in `session`: the session is signed in as the user and
/// remembers the impersonation.
///
/// # Errors
/// `unavailable`.
pub async fn begin_impersonation(
    session: &mut AuthSession,
    started: &platform::application::console::Started,
) -> Result<(), ApiFailure> {
    session.login(&started.session_user).await.map_err(|_| unavailable())?;
    session.session.insert(IMPERSONATION_KEY, &started.impersonation).await.map_err(|_| unavailable())
}

/// The session as the client sees it (`GET /api/auth/session` and the `session` server
/// function): the user, the organization they act in (`membership`) with its permissions, and
/// whether they are a platform admin or impersonating someone.
///
/// # Errors
/// `unavailable` when the database is.
pub async fn session_view(
    services: &Services,
    caller: &Caller,
    membership: Option<Membership>,
) -> Result<contracts::auth::SessionView, contracts::ApiError> {
    use contracts::auth::{SessionOrganization, SessionView, UserView};
    let impersonation =
        crate::server::platform::impersonation_view(services, &caller.session, &caller.user).await?;
    let platform_admin =
        impersonation.is_none() && crate::server::platform::is_admin(services, &caller.user).await?;
    Ok(SessionView {
        user: UserView { avatar_url: services.iam.avatar_url(&caller.user), ..UserView::from(&caller.user) },
        organization: membership.as_ref().map(|m| SessionOrganization {
            id: m.organization.id.to_string(),
            name: m.organization.name.clone(),
            slug: m.organization.slug.clone(),
        }),
        permissions: membership.map(|m| m.grants.to_sorted_strings()).unwrap_or_default(),
        platform_admin,
        impersonation,
    })
}
