//! Organizations: the tenant. Every coach's pages, leads and billing belong to one.

use chrono::{DateTime, Utc};
use contracts::Problem;

pub use kernel::id::OrganizationId;

/// An organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub id: OrganizationId,
    pub name: String,
    pub slug: String,
    pub created_at: DateTime<Utc>,
}

/// Why an organization's name or slug is unusable; as a [`Problem`] for the person typing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgFieldError {
    Empty,
    NameTooLong,
    ControlCharacters,
    BadSlug,
}

/// Longest organization name, in characters.
pub const ORG_NAME_MAX: usize = 80;

impl From<OrgFieldError> for Problem {
    fn from(e: OrgFieldError) -> Self {
        match e {
            OrgFieldError::Empty => Self::Required,
            OrgFieldError::NameTooLong => Self::TooLong { max: ORG_NAME_MAX },
            OrgFieldError::ControlCharacters => Self::ControlCharacters,
            OrgFieldError::BadSlug => Self::NotASlug,
        }
    }
}

contracts::display_as_problem!(OrgFieldError);

/// Validates an organization name: 1–80 characters after trimming, no control characters.
///
/// # Errors
/// The [`OrgFieldError`] describing the problem.
pub fn parse_name(raw: &str) -> Result<String, OrgFieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(OrgFieldError::Empty);
    }
    if name.chars().count() > ORG_NAME_MAX {
        return Err(OrgFieldError::NameTooLong);
    }
    if name.chars().any(char::is_control) {
        return Err(OrgFieldError::ControlCharacters);
    }
    Ok(name.to_owned())
}

/// Validates an organization slug (the grammar of page slugs; organization slugs live in their
/// own namespace, so page-reserved words are allowed).
///
/// # Errors
/// [`OrgFieldError::BadSlug`] or `Empty`.
pub fn parse_slug(raw: &str) -> Result<String, OrgFieldError> {
    use contracts::slug::{Slug, SlugError};
    let slug = raw.trim();
    if slug.is_empty() {
        return Err(OrgFieldError::Empty);
    }
    match Slug::parse(slug) {
        Ok(_) | Err(SlugError::Reserved) => Ok(slug.to_owned()),
        Err(_) => Err(OrgFieldError::BadSlug),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_slugs() {
        assert_eq!(parse_name("  Coaching Ana  ").unwrap(), "Coaching Ana");
        assert_eq!(parse_name(""), Err(OrgFieldError::Empty));
        assert_eq!(parse_name(&"x".repeat(81)), Err(OrgFieldError::NameTooLong));
        assert_eq!(parse_slug("coaching-ana").unwrap(), "coaching-ana");
        assert_eq!(parse_slug("admin").unwrap(), "admin");
        assert_eq!(parse_slug("Coaching Ana"), Err(OrgFieldError::BadSlug));
        assert_eq!(parse_slug("<x>"), Err(OrgFieldError::BadSlug));
    }
}

/// An invitation to join an organization, as its members see it (the token is never kept: only
/// its digest, which stays inside the crate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: uuid::Uuid,
    pub organization_id: OrganizationId,
    /// As the inviter typed it.
    pub email: String,
    /// The role the invitee will get, by name.
    pub role: String,
    pub invited_by: kernel::UserId,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// A member of an organization as the organization sees them: who, with which role, since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationMember {
    pub user_id: kernel::UserId,
    /// The role's name.
    pub role: String,
    pub joined_at: DateTime<Utc>,
}
