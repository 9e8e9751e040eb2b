//! Glue of the platform admin console shared by its two doors (the REST routes under
//! `/api/v1/platform/*` and the console's server functions): what the `/admin` pages learn before
//! they render, and how the doors parse the console's input. The operations themselves are
//! `platform::application::console`'s use cases, each demanding the
//! [`PlatformAdmin`](::platform::application::admins::PlatformAdmin) proof that the
//! [`Admin`](crate::server::caller::Admin) extractor makes.

use contracts::platform::ConsoleAdmin;
use contracts::{ApiError, ErrorCode};
use iam::AuthSession;
use kernel::PageRequest;

use crate::server::{Services, caller, reject, wire};

/// What the host found out about an `/admin/*` page request before rendering it: the platform
/// admin at the keyboard, if the caller is one (a request extension the admin shell reads).
#[derive(Debug, Clone)]
pub struct ConsoleAccess(pub Result<Option<ConsoleAdmin>, ApiError>);

impl ConsoleAccess {
    /// Finds out for the session `auth`.
    pub async fn of(services: &Services, auth: &AuthSession) -> Self {
        let admin = caller::platform_admin(services, auth).await.map_err(|f| f.0);
        Self(admin.map(|admin| admin.as_ref().map(::platform::application::console::console_view)))
    }
}

/// The answer to a caller who may not see the console, or to an id that names nothing.
#[must_use]
pub fn hidden() -> ApiError {
    reject(ApiError::new(ErrorCode::NotFound, "Not found."))
}

/// A path id of the console (a user's, an organization's, a job's): anything that is not one
/// names nothing (`not_found`).
///
/// # Errors
/// `not_found`.
pub fn id_of<T: std::str::FromStr>(raw: &str) -> Result<T, ApiError> {
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
pub async fn claim_setup(services: &Services, user: &iam::User, token: &str) -> Result<(), ApiError> {
    ::platform::application::admins::claim_setup(&services.platform, user.id.into_uuid(), token.trim())
        .await
        .map_err(wire)?;
    tracing::warn!(user = %user.id, "first platform admin set up with the setup token");
    Ok(())
}
