//! Email addresses as people type them (accounts, invitations, leads). We check the shape, not deliverability (the verification
//! mail does that), and compare case-insensitively.

use std::fmt;

/// Longest accepted email address, in characters.
pub const EMAIL_MAX_LEN: usize = 254;

/// A syntactically plausible email address, trimmed; at most 254 characters.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

/// Why a string is not an email address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailError {
    Empty,
    TooLong,
    Invalid,
}

impl From<EmailError> for crate::Problem {
    fn from(e: EmailError) -> Self {
        match e {
            EmailError::Empty => Self::Required,
            EmailError::TooLong => Self::TooLong { max: EMAIL_MAX_LEN },
            EmailError::Invalid => Self::NotEmail,
        }
    }
}

crate::display_as_problem!(EmailError);

impl EmailAddress {
    /// Validates `raw`: one `@`, a non-empty local part without spaces or control characters,
    /// and a domain with a dot, made of letters, digits, hyphens and dots.
    ///
    /// # Errors
    /// The [`EmailError`] describing the problem.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let email = raw.trim();
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        if email.chars().count() > EMAIL_MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = email.rsplit_once('@').ok_or(EmailError::Invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ',' | ';'));
        let domain_ok = domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local_ok && domain_ok { Ok(Self(email.to_owned())) } else { Err(EmailError::Invalid) }
    }

    /// The address as typed (trimmed).
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used for uniqueness and lookups: lower-cased.
    #[must_use]
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EmailAddress({})", self.0)
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_addresses() {
        for ok in ["ana@example.com", " Ana.Perez+coach@Mail.Example.org ", "josé@correo.es", "a@b.co"] {
            assert!(EmailAddress::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(EmailAddress::parse(" Ana@Example.COM ").unwrap().normalized(), "ana@example.com");
    }

    #[test]
    fn rejects_junk_with_a_reason() {
        assert_eq!(EmailAddress::parse("  "), Err(EmailError::Empty));
        for bad in [
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana @example.com",
            "<script>@x.io",
            "a@b..co",
            "a@-b.co",
            "ana@exa mple.com",
            "a\u{0}@b.co",
        ] {
            assert_eq!(EmailAddress::parse(bad), Err(EmailError::Invalid), "{bad:?}");
        }
        assert_eq!(
            EmailAddress::parse(&format!("{}@example.com", "a".repeat(250))),
            Err(EmailError::TooLong)
        );
    }
}
