//! A private key parsed once, ready to sign.

use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, RsaKeyPair};

use super::error::KeyError;
use crate::domain::{KeyRecord, SigningAlg};

/// The aws-lc key pair of one algorithm's ring.
pub(super) enum KeyPair {
    /// RS256 or PS256 (the padding is chosen by the key's `alg`).
    Rsa(RsaKeyPair),
    /// ES256: P-256 with the fixed-length `r || s` signature JWS wants (RFC 7518 §3.4), not DER.
    P256(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
}

/// A signing key parsed once: the aws-lc key pair signs without re-parsing the DER.
pub struct SigningKey {
    pub kid: String,
    pub alg: SigningAlg,
    pub(super) key_pair: KeyPair,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("kid", &self.kid).field("alg", &self.alg).finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Parses a stored key as the key type its algorithm is pinned to: an EC key stored as RS256 does not load.
    pub fn from_record(record: &KeyRecord) -> Result<SigningKey, KeyError> {
        SigningKey::from_pkcs8(&record.kid, record.alg, &record.private_key)
    }

    pub fn from_pkcs8(kid: &str, alg: SigningAlg, der: &[u8]) -> Result<SigningKey, KeyError> {
        let bad = |message: String| KeyError::BadKey { kid: kid.to_owned(), message };
        let key_pair = match alg {
            SigningAlg::RS256 | SigningAlg::PS256 => {
                KeyPair::Rsa(RsaKeyPair::from_pkcs8(der).map_err(|e| bad(e.to_string()))?)
            }
            SigningAlg::ES256 => KeyPair::P256(
                EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der).map_err(|e| bad(e.to_string()))?,
            ),
            SigningAlg::EdDSA => KeyPair::Ed25519(Ed25519KeyPair::from_pkcs8(der).map_err(|e| bad(e.to_string()))?),
        };
        Ok(SigningKey { kid: kid.to_owned(), alg, key_pair })
    }
}
