//! Secret values: generation, storage hashes, password hashing and constant-time comparison.
//!
//! Codes, refresh tokens, session ids and client secrets are high-entropy random strings, so a plain SHA-256
//! is a sufficient storage hash (a leaked database row cannot be turned back into a usable token). Passwords
//! are low-entropy and get argon2id.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use subtle::ConstantTimeEq;

/// A secret shown once and never logged: `Debug` prints a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: String) -> Self {
        SecretString(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

/// `bytes` random bytes from the OS CSPRNG, base64url without padding.
pub fn random_token(bytes: usize) -> SecretString {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    SecretString(URL_SAFE_NO_PAD.encode(buf))
}

/// `bytes` random bytes from the operating system (a TOTP secret, a recovery code).
pub fn random_bytes(bytes: usize) -> Vec<u8> {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    buf
}

/// The storage hash of a high-entropy token: base64url(SHA-256(token)).
pub fn token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes()))
}

/// Compares two byte strings in constant time (for equal lengths; the length itself is not secret here).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

fn argon2() -> Argon2<'static> {
    // OWASP's argon2id baseline (m=19 MiB, t=2, p=1), which is also the crate default; spelled out so a
    // dependency upgrade cannot weaken it silently.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Ok(argon2().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// Verifies a password against a PHC string. An unparsable hash counts as a mismatch.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Verifies like [`verify_password`], but hashes into `memory` (grown to the hash's cost when it must be) instead
/// of allocating it: argon2id's 19 MiB per check, given back to the allocator of whichever thread ran it, is what
/// makes a server's footprint grow with its blocking threads. A checker that keeps its memory stays flat.
pub fn verify_password_in(password: &str, phc: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else { return false };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(parsed.algorithm), Params::try_from(&parsed)) else {
        return false;
    };
    let Ok(version) = parsed.version.map_or(Ok(Version::V0x13), Version::try_from) else { return false };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return false };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::default());
    }
    let mut computed = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut computed, &mut memory[..])
        .is_ok()
        && constant_time_eq(&computed, expected.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_long() {
        let a = random_token(32);
        let b = random_token(32);
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 43); // 256 bits in base64url
        assert_eq!(format!("{a:?}"), "SecretString(<redacted>)");
    }

    #[test]
    fn hashes_are_stable_and_distinct() {
        assert_eq!(token_hash("abc"), token_hash("abc"));
        assert_ne!(token_hash("abc"), token_hash("abd"));
        assert!(!token_hash("abc").contains("abc"));
    }

    #[test]
    fn passwords_use_argon2id() {
        let phc = hash_password("correct horse").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse", &phc));
        assert!(!verify_password("wrong horse", &phc));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn verification_in_kept_memory_agrees_with_the_allocating_one() {
        let phc = hash_password("correct horse").unwrap();
        let mut memory = Vec::new();
        assert!(verify_password_in("correct horse", &phc, &mut memory));
        assert_eq!(memory.len(), 19 * 1024, "one block per KiB of m");
        assert!(!verify_password_in("wrong horse", &phc, &mut memory));
        assert!(!verify_password_in("correct horse", "not a hash", &mut memory));
        // A hash made with other costs (an older or a stronger setting) still verifies.
        let other = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8 * 1024, 1, 1, None).unwrap())
            .hash_password(b"pw", &SaltString::generate(&mut rand::rngs::OsRng))
            .unwrap()
            .to_string();
        assert!(verify_password_in("pw", &other, &mut memory));
        assert!(!verify_password_in("pW", &other, &mut memory));
    }

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
