//! The user aggregate and its value objects.

use chrono::{DateTime, Utc};
use contracts::{Locale, Problem};

pub use kernel::id::UserId;

/// A person who can sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    /// As the user typed it.
    pub email: String,
    pub name: String,
    pub locale: Locale,
    pub avatar_key: Option<String>,
    pub active: bool,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl User {
    /// The user as the caller of a use case.
    #[must_use]
    pub fn caller(&self) -> kernel::actor::Caller {
        kernel::actor::Caller { user_id: self.id, email_verified: self.email_verified_at.is_some() }
    }
}

/// A display name: 1–100 characters after trimming, no control characters. HTML is allowed as
/// text (it is always escaped when shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

/// Longest display name, in characters.
pub const NAME_MAX: usize = 100;

/// Why a name is not usable; as a [`Problem`] for the person typing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooLong,
    ControlCharacters,
}

impl From<NameError> for Problem {
    fn from(e: NameError) -> Self {
        match e {
            NameError::Empty => Self::Required,
            NameError::TooLong => Self::TooLong { max: NAME_MAX },
            NameError::ControlCharacters => Self::ControlCharacters,
        }
    }
}

contracts::display_as_problem!(NameError);

impl DisplayName {
    /// Validates a display name.
    ///
    /// # Errors
    /// The [`NameError`] describing the problem.
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if name.chars().count() > NAME_MAX {
            return Err(NameError::TooLong);
        }
        if name.chars().any(char::is_control) {
            return Err(NameError::ControlCharacters);
        }
        Ok(Self(name.to_owned()))
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(DisplayName::parse("  Ana Pérez ").unwrap().as_str(), "Ana Pérez");
        assert_eq!(DisplayName::parse("<b>Ana</b>").unwrap().as_str(), "<b>Ana</b>");
        assert_eq!(DisplayName::parse(" "), Err(NameError::Empty));
        assert_eq!(DisplayName::parse(&"x".repeat(101)), Err(NameError::TooLong));
        assert_eq!(DisplayName::parse("a\u{7}b"), Err(NameError::ControlCharacters));
    }
}
