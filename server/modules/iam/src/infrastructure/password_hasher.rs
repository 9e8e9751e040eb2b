//! Password hashing with argon2id and OWASP's parameters (m = 19 456 KiB, t = 2, p = 1), stored as
//! PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`).
//!
//! A hash costs tens of milliseconds of a core and 19 MiB, so the work runs on tokio's blocking
//! pool behind a semaphore with one permit per core: a burst of sign-ins queues instead of
//! starving the async runtime or allocating 19 MiB per request.

use std::fmt;
use std::num::NonZeroUsize;
use std::sync::Arc;

use argon2::password_hash::{self, phc::PasswordHash};
use argon2::{ARGON2ID_IDENT, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use tokio::sync::{AcquireError, OnceCell, Semaphore};
use tokio::task::JoinError;

use crate::domain::password::{Password, PasswordAttempt};

/// Memory cost in KiB (OWASP Password Storage Cheat Sheet, argon2id option 1).
pub const M_COST_KIB: u32 = 19_456;
/// Iterations.
pub const T_COST: u32 = 2;
/// Lanes.
pub const P_COST: u32 = 1;
/// Hash output length in bytes (argon2's default).
const OUTPUT_LEN: usize = 32;

const PARAMS: Params = match Params::new(M_COST_KIB, T_COST, P_COST, Some(OUTPUT_LEN)) {
    Ok(params) => params,
    Err(_) => panic!("invalid argon2 parameters"),
};

/// What the dummy hash hashes. Its value does not matter: `verify_dummy` ignores the outcome.
const DUMMY_PASSWORD: &str = "mibio dummy password for unknown accounts";

/// Hashes and verifies passwords off the async runtime. Cheap to clone: clones share the
/// semaphore and the dummy hash.
#[derive(Clone)]
pub struct PasswordHasher {
    inner: Arc<Inner>,
}

struct Inner {
    argon2: Argon2<'static>,
    permits: Arc<Semaphore>,
    dummy_phc: OnceCell<String>,
}

/// Why hashing or verifying did not produce an answer. All of these are internal errors.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// The stored hash is not a complete PHC string argon2 can verify.
    #[error("stored password hash is unusable")]
    InvalidHash(#[source] password_hash::Error),
    /// argon2 itself failed (OS random number generator, memory).
    #[error("password hashing failed")]
    Hashing(#[source] password_hash::Error),
    /// The blocking task panicked or the runtime is shutting down.
    #[error("password hashing task did not complete")]
    Task(#[from] JoinError),
    /// The semaphore was closed (nothing closes it; kept so no path panics).
    #[error("password hashing is unavailable")]
    Unavailable(#[from] AcquireError),
}

impl PasswordHasher {
    /// A hasher with OWASP's argon2id parameters and one permit per available core (at least
    /// one).
    #[must_use]
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        Self {
            inner: Arc::new(Inner {
                argon2: Argon2::new(argon2::Algorithm::Argon2id, Version::V0x13, PARAMS),
                permits: Arc::new(Semaphore::new(cores)),
                dummy_phc: OnceCell::new(),
            }),
        }
    }

    /// Hashes a new password with a fresh 16-byte salt from the OS random number generator.
    /// Returns the PHC string to store.
    ///
    /// # Errors
    /// [`HashError::Hashing`] if argon2 or the OS RNG fails; [`HashError::Task`] if the blocking
    /// task does not complete.
    pub async fn hash(&self, password: &Password) -> Result<String, HashError> {
        self.hash_str(password.as_str().to_owned()).await
    }

    /// Checks an attempt against a stored PHC string, with the parameters stored in it (so hashes
    /// made with older parameters still verify; see [`PasswordHasher::needs_rehash`]).
    /// `Ok(false)` means a wrong password.
    ///
    /// # Errors
    /// [`HashError::InvalidHash`] if `phc` is not a complete argon2 PHC string (checked before
    /// any hashing); [`HashError::Hashing`] or [`HashError::Task`] if the work fails.
    pub async fn verify(&self, attempt: &PasswordAttempt, phc: &str) -> Result<bool, HashError> {
        let stored = PasswordHash::new(phc).map_err(|e| HashError::InvalidHash(e.into()))?;
        if stored.salt.is_none() || stored.hash.is_none() {
            return Err(HashError::InvalidHash(password_hash::Error::EncodingInvalid));
        }
        let attempt = attempt.as_str().to_owned();
        self.run_blocking(move |argon2| match argon2.verify_password(attempt.as_bytes(), &stored) {
            Ok(()) => Ok(true),
            Err(password_hash::Error::PasswordInvalid) => Ok(false),
            Err(e) => Err(classify(e)),
        })
        .await?
    }

    /// Does the work of a [`verify`](Self::verify) against a fixed dummy hash with the current
    /// parameters, and ignores the outcome: sign-in for an unknown email then costs what a wrong
    /// password costs, so timing does not reveal which emails have accounts. The dummy hash is
    /// made on first use (that first call costs one extra hash). Failures are only logged.
    pub async fn verify_dummy(&self, attempt: &PasswordAttempt) {
        let result = async {
            let dummy =
                self.inner.dummy_phc.get_or_try_init(|| self.hash_str(DUMMY_PASSWORD.to_owned())).await?;
            self.verify(attempt, dummy).await
        }
        .await;
        if let Err(error) = result {
            tracing::error!(%error, "dummy password verification failed");
        }
    }

    /// Whether a stored PHC string was made with other settings than the current ones (another
    /// algorithm or version, other costs or output length), so it should be replaced by a fresh
    /// hash at the next successful sign-in. Also `true` for a string that does not parse.
    #[must_use]
    pub fn needs_rehash(phc: &str) -> bool {
        let Ok(stored) = PasswordHash::new(phc) else { return true };
        stored.algorithm != ARGON2ID_IDENT
            || stored.version != Some(Version::V0x13.into())
            || Params::try_from(&stored).map_or(true, |params| params != PARAMS)
    }

    async fn hash_str(&self, password: String) -> Result<String, HashError> {
        self.run_blocking(move |argon2| {
            argon2.hash_password(password.as_bytes()).map(|hash| hash.to_string()).map_err(HashError::Hashing)
        })
        .await?
    }

    /// Runs `job` on the blocking pool once a permit is free. The permit moves into the task, so
    /// it is held until the hash is done even if the caller stops waiting.
    async fn run_blocking<T, F>(&self, job: F) -> Result<T, HashError>
    where
        T: Send + 'static,
        F: FnOnce(&Argon2<'static>) -> T + Send + 'static,
    {
        let permit = Arc::clone(&self.inner.permits).acquire_owned().await?;
        let inner = Arc::clone(&self.inner);
        let output = tokio::task::spawn_blocking(move || {
            let output = job(&inner.argon2);
            drop(permit);
            output
        })
        .await?;
        Ok(output)
    }
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordHasher")
            .field("params", &PARAMS)
            .field("available_permits", &self.inner.permits.available_permits())
            .finish_non_exhaustive()
    }
}

/// Splits argon2's errors during verification: the stored string's fault, or the machine's.
fn classify(error: password_hash::Error) -> HashError {
    use password_hash::Error as E;
    match error {
        E::Algorithm
        | E::EncodingInvalid
        | E::OutputSize
        | E::ParamInvalid { .. }
        | E::ParamsInvalid
        | E::SaltInvalid
        | E::Version => HashError::InvalidHash(error),
        _ => HashError::Hashing(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(raw: &str) -> Password {
        Password::parse(raw).unwrap()
    }

    fn attempt(raw: &str) -> PasswordAttempt {
        PasswordAttempt::parse(raw).unwrap()
    }

    #[tokio::test]
    async fn hash_is_an_owasp_argon2id_phc_string_that_verifies() {
        let hasher = PasswordHasher::new();
        let phc = hasher.hash(&password("tangerine ladder whispers")).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(hasher.verify(&attempt("tangerine ladder whispers"), &phc).await.unwrap());
        assert!(!hasher.verify(&attempt("tangerine ladder whisper"), &phc).await.unwrap());
        assert!(!hasher.verify(&attempt("Tangerine ladder whispers"), &phc).await.unwrap());
        assert!(!hasher.verify(&attempt(""), &phc).await.unwrap());
        assert!(!PasswordHasher::needs_rehash(&phc));
    }

    #[tokio::test]
    async fn the_same_password_hashes_differently_each_time() {
        let hasher = PasswordHasher::new();
        let pw = password("contraseña de la abuela");
        let (a, b) = tokio::join!(hasher.hash(&pw), hasher.hash(&pw));
        assert_ne!(a.unwrap(), b.unwrap());
    }

    #[tokio::test]
    async fn an_unusable_stored_hash_is_an_error_not_a_mismatch() {
        let hasher = PasswordHasher::new();
        for bad in [
            "",
            "not a hash",
            "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
            "$argon2id$v=19$m=19456,t=2,p=1",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0",
            "$argon2id$v=19$m=19456,t=2,p=1,x=3$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g",
            "$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g",
        ] {
            let result = hasher.verify(&attempt("whatever"), bad).await;
            assert!(matches!(result, Err(HashError::InvalidHash(_))), "{bad:?}: {result:?}");
            assert!(PasswordHasher::needs_rehash(bad), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn hashes_with_older_parameters_still_verify_and_ask_for_a_rehash() {
        let cheap =
            Argon2::new(argon2::Algorithm::Argon2id, Version::V0x13, Params::new(64, 1, 1, None).unwrap());
        let old = cheap.hash_password(b"old but gold password").unwrap().to_string();
        let argon2i = Argon2::new(argon2::Algorithm::Argon2i, Version::V0x13, PARAMS);
        let other_algorithm = argon2i.hash_password(b"old but gold password").unwrap().to_string();
        let hasher = PasswordHasher::new();
        for phc in [old, other_algorithm] {
            assert!(hasher.verify(&attempt("old but gold password"), &phc).await.unwrap(), "{phc}");
            assert!(PasswordHasher::needs_rehash(&phc), "{phc}");
        }
    }

    #[tokio::test]
    async fn dummy_verification_completes_and_reuses_its_hash() {
        let hasher = PasswordHasher::new();
        hasher.verify_dummy(&attempt("anything")).await;
        let dummy = hasher.inner.dummy_phc.get().cloned().unwrap();
        assert!(dummy.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{dummy}");
        hasher.clone().verify_dummy(&attempt("")).await;
        assert_eq!(hasher.inner.dummy_phc.get(), Some(&dummy));
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        assert_eq!(hasher.inner.permits.available_permits(), cores, "every permit is given back");
    }
}
