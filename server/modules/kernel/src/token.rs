//! Secret tokens for links sent by email (email verification, password reset, invitations): 32
//! random bytes, handed out once in URL-safe base64, stored only as their SHA-256.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

/// A freshly generated token: the text for the link, and the digest to store.
#[derive(Clone)]
pub struct SecretToken {
    /// The text that goes into the link. Never stored, never logged.
    pub plain: String,
    /// SHA-256 of `plain`, the only form that is stored.
    pub digest: Vec<u8>,
}

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretToken(..)")
    }
}

impl SecretToken {
    /// Generates 32 bytes from the thread-local CSPRNG (ChaCha, seeded by the OS).
    #[must_use]
    pub fn generate() -> Self {
        let mut bytes = [0_u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let plain = URL_SAFE_NO_PAD.encode(bytes);
        let digest = digest(&plain);
        Self { plain, digest }
    }
}

/// The stored form of a token a client presents. Anything that is not a token we could have
/// issued still hashes (to a digest nothing matches), so lookups take the same path.
#[must_use]
pub fn digest(plain: &str) -> Vec<u8> {
    Sha256::digest(plain.trim().as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let a = SecretToken::generate();
        let b = SecretToken::generate();
        assert_ne!(a.plain, b.plain);
        assert_eq!(a.plain.len(), 43, "32 bytes in unpadded base64url");
        assert_eq!(a.digest, digest(&a.plain));
        assert_eq!(a.digest.len(), 32);
        assert!(!format!("{a:?}").contains(&a.plain));
    }
}
