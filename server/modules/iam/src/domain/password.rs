//! Passwords as people type them (OWASP ASVS 5.0 V6.2): a [`Password`] is a *new* password that
//! passed the rules (sign-up, change, reset); a [`PasswordAttempt`] is whatever someone typed to
//! sign in. Neither is ever trimmed, truncated, normalized or shown in `Debug`.
//!
//! Lengths count Unicode scalar values (`char`s): `"ñ"` is one character, `"e\u{301}"` two.

use std::fmt;

use contracts::Problem;

/// Fewest characters a new password may have.
pub const MIN_CHARS: usize = 8;
/// Most characters any password may have, new or attempted; longer input is rejected before
/// hashing, so nobody can make us hash megabytes.
pub const MAX_CHARS: usize = 256;

/// The common passwords of 8+ characters, lower-case, sorted by bytes, one per line (see
/// `data/README.md`). Embedded, so there is no file to read and nothing to build at start-up.
const COMMON_PASSWORDS: &str = include_str!("../../data/common-passwords.txt");

/// A new password that meets the rules: 8 to 256 characters and not a common password. No
/// composition rules; spaces and any Unicode are allowed.
#[derive(Clone)]
pub struct Password(String);

/// A password typed to sign in: anything up to 256 characters, kept exactly as typed.
#[derive(Clone)]
pub struct PasswordAttempt(String);

/// Why a string is not an acceptable password; as a [`Problem`] for the person typing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordError {
    /// Fewer than [`MIN_CHARS`] characters.
    TooShort,
    /// More than [`MAX_CHARS`] characters.
    TooLong,
    /// One of the most common passwords (compared lower-cased).
    TooCommon,
}

impl From<PasswordError> for Problem {
    fn from(e: PasswordError) -> Self {
        match e {
            PasswordError::TooShort => Self::TooShort { min: MIN_CHARS },
            PasswordError::TooLong => Self::TooLong { max: MAX_CHARS },
            PasswordError::TooCommon => Self::CommonPassword,
        }
    }
}

contracts::display_as_problem!(PasswordError);

impl Password {
    /// Checks a new password: at least [`MIN_CHARS`] and at most [`MAX_CHARS`] characters, and
    /// its lower-cased form is not in the common-password list.
    ///
    /// # Errors
    /// [`PasswordError::TooShort`], [`PasswordError::TooLong`] or [`PasswordError::TooCommon`],
    /// checked in that order.
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        let chars = char_count_up_to_limit(raw);
        if chars < MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        if is_common(&raw.to_lowercase()) {
            return Err(PasswordError::TooCommon);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The password exactly as typed, for hashing.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PasswordAttempt {
    /// Accepts any string of at most [`MAX_CHARS`] characters, as is (even empty or common: the
    /// hash decides whether it is right).
    ///
    /// # Errors
    /// [`PasswordError::TooLong`] when longer; answer it like a wrong password, without hashing.
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        if char_count_up_to_limit(raw) > MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The attempt exactly as typed, for verification.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl fmt::Debug for PasswordAttempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordAttempt(<redacted>)")
    }
}

/// The number of characters in `raw`, but counting no further than `MAX_CHARS + 1`, so a
/// megabyte of input costs no more than a long password.
fn char_count_up_to_limit(raw: &str) -> usize {
    raw.chars().take(MAX_CHARS + 1).count()
}

/// Whether `lowercased` is in the common-password list.
fn is_common(lowercased: &str) -> bool {
    contains_line(COMMON_PASSWORDS, lowercased)
}

/// Binary search for a whole line equal to `needle` in `sorted`: lines separated by `\n`, sorted
/// by bytes. Each step takes the line around the middle byte of the remaining range, so a
/// lookup reads about log2(lines) lines and allocates nothing.
fn contains_line(sorted: &str, needle: &str) -> bool {
    let text = sorted.as_bytes();
    let needle = needle.as_bytes();
    // Invariant: `lo` is the start of a line (or the end); every line before `lo` is smaller than
    // the needle, every line starting at or after `hi` is greater.
    let (mut lo, mut hi) = (0, text.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = text[lo..mid].iter().rposition(|&b| b == b'\n').map_or(lo, |i| lo + i + 1);
        let end = text[start..hi].iter().position(|&b| b == b'\n').map_or(hi, |i| start + i);
        match text[start..end].cmp(needle) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::HashSet;

    #[test]
    fn length_is_checked_in_characters() {
        assert_eq!(Password::parse("").unwrap_err(), PasswordError::TooShort);
        assert_eq!(Password::parse("zq8#vLm").unwrap_err(), PasswordError::TooShort);
        assert_eq!(Password::parse("zq8#vLmT").unwrap().as_str(), "zq8#vLmT");
        let max = format!("zq8#{}", "x".repeat(MAX_CHARS - 4));
        assert_eq!(Password::parse(&max).unwrap().as_str(), max);
        assert_eq!(Password::parse(&format!("{max}x")).unwrap_err(), PasswordError::TooLong);
        assert_eq!(Password::parse(&"y".repeat(1 << 20)).unwrap_err(), PasswordError::TooLong);
    }

    #[test]
    fn multi_byte_characters_count_once() {
        // 7 characters but 14 bytes: still too short.
        assert_eq!(Password::parse(&"ñ".repeat(7)).unwrap_err(), PasswordError::TooShort);
        assert!(Password::parse(&"ñ".repeat(8)).is_ok());
        // 256 four-byte characters (1 024 bytes) fit; 257 do not.
        assert!(Password::parse(&"🔐".repeat(MAX_CHARS)).is_ok());
        assert_eq!(Password::parse(&"🔐".repeat(MAX_CHARS + 1)).unwrap_err(), PasswordError::TooLong);
        // A combining accent is its own scalar value.
        assert!(Password::parse("cafe\u{301}bar").is_ok());
    }

    #[test]
    fn common_passwords_are_rejected_whatever_their_case() {
        for common in ["password123", "Password123", "PASSWORD123", "12345678", "iloveyou", "QWERTYUIOP"] {
            assert_eq!(Password::parse(common).unwrap_err(), PasswordError::TooCommon, "{common}");
        }
    }

    #[test]
    fn passphrases_spaces_and_any_script_are_accepted_as_typed() {
        for ok in [
            "  tangerine ladder whispers near orbit 42  ",
            "correct horse battery staple",
            "contraseña de la abuela",
            "пароль который никто не угадает",
            "パスワードは秘密です",
        ] {
            assert_eq!(Password::parse(ok).unwrap().as_str(), ok, "{ok}");
        }
    }

    #[test]
    fn errors_read_as_field_messages() {
        assert_eq!(PasswordError::TooShort.to_string(), "must be at least 8 characters");
        assert_eq!(PasswordError::TooLong.to_string(), "must be at most 256 characters");
        assert!(PasswordError::TooCommon.to_string().starts_with("is too common"));
    }

    #[test]
    fn attempts_take_anything_up_to_the_cap() {
        for ok in ["", " ", "password", "short"] {
            assert_eq!(PasswordAttempt::parse(ok).unwrap().as_str(), ok);
        }
        assert!(PasswordAttempt::parse(&"🔐".repeat(MAX_CHARS)).is_ok());
        assert_eq!(PasswordAttempt::parse(&"a".repeat(MAX_CHARS + 1)).unwrap_err(), PasswordError::TooLong);
        assert_eq!(PasswordAttempt::parse(&"a".repeat(10 << 20)).unwrap_err(), PasswordError::TooLong);
    }

    #[test]
    fn debug_does_not_reveal_the_password() {
        let secret = "tangerine ladder whispers";
        let password = format!("{:?}", Password::parse(secret).unwrap());
        let attempt = format!("{:?}", PasswordAttempt::parse(secret).unwrap());
        for shown in [password, attempt] {
            assert!(!shown.contains("tangerine"), "{shown}");
            assert!(shown.contains("redacted"), "{shown}");
        }
    }

    #[test]
    fn the_list_keeps_the_invariants_the_search_relies_on() {
        assert!(COMMON_PASSWORDS.ends_with('\n') && !COMMON_PASSWORDS.contains('\r'));
        let lines: Vec<&str> = COMMON_PASSWORDS.lines().collect();
        assert!(lines.len() > 8_000, "{}", lines.len());
        for pair in lines.windows(2) {
            assert!(pair[0].as_bytes() < pair[1].as_bytes(), "not sorted/unique: {pair:?}");
        }
        for line in &lines {
            assert!(line.chars().count() >= MIN_CHARS, "{line:?} could never pass the length rule");
            assert_eq!(line.to_lowercase(), *line, "not lower-case");
        }
    }

    #[test]
    fn binary_search_agrees_with_a_set() {
        let set: HashSet<&str> = COMMON_PASSWORDS.lines().collect();
        let mut probes: Vec<String> = vec![String::new(), "\n".into(), "0".into(), "~~~~~~~~".into()];
        for line in &set {
            probes.extend([line.to_string(), format!("{line}x"), format!("{line}\n"), format!("\n{line}")]);
            let mut shorter = line.to_string();
            shorter.pop();
            probes.push(shorter);
        }
        for probe in &probes {
            assert_eq!(is_common(probe), set.contains(probe.as_str()), "{probe:?}");
        }
        assert!(!contains_line("", "a") && !contains_line("a", "") && contains_line("a", "a"));
        assert!(
            contains_line("a\nb\nc", "c") && contains_line("a\nb\nc\n", "a") && !contains_line("a\nc\n", "b")
        );
    }
}
