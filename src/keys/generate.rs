//! New keys and their public halves as JWKs (RFC 7517, RFC 7518 §6.3.1).
//!
//! Keys are generated with the `rsa` crate: key generation is not the private-key operation RUSTSEC-2023-0071
//! is about, and nothing here signs.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, Jwk, KeyAlgorithm, PublicKeyUse, RSAKeyParameters, RSAKeyType,
    ThumbprintHash,
};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::traits::PublicKeyParts;

use super::error::KeyError;
use crate::domain::{KeyRecord, KeyState, Timestamp};

/// The public JWK of a stored key: kty, use, alg, kid, n, e.
pub fn public_jwk(record: &KeyRecord) -> Result<Jwk, KeyError> {
    let private = rsa::RsaPrivateKey::from_pkcs8_der(&record.private_key)
        .map_err(|e| KeyError::BadKey { kid: record.kid.clone(), message: e.to_string() })?;
    Ok(rsa_jwk(&private, Some(record.kid.clone())))
}

fn rsa_jwk(private: &rsa::RsaPrivateKey, kid: Option<String>) -> Jwk {
    Jwk {
        common: CommonParameters {
            public_key_use: Some(PublicKeyUse::Signature),
            key_algorithm: Some(KeyAlgorithm::RS256),
            key_id: kid,
            ..CommonParameters::default()
        },
        algorithm: AlgorithmParameters::RSA(RSAKeyParameters {
            key_type: RSAKeyType::RSA,
            n: URL_SAFE_NO_PAD.encode(private.n().to_bytes_be()),
            e: URL_SAFE_NO_PAD.encode(private.e().to_bytes_be()),
        }),
    }
}

/// Generates a new RSA-2048 key in `state`; its kid is the RFC 7638 JWK thumbprint.
pub fn generate_key(state: KeyState, now: Timestamp) -> Result<KeyRecord, KeyError> {
    let private =
        rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).map_err(|e| KeyError::Generation(e.to_string()))?;
    let der = private.to_pkcs8_der().map_err(|e| KeyError::Generation(e.to_string()))?;
    let kid =
        rsa_jwk(&private, None).thumbprint(ThumbprintHash::SHA256).map_err(|e| KeyError::Generation(e.to_string()))?;
    Ok(KeyRecord {
        kid,
        state,
        private_key: der.as_bytes().to_vec(),
        created_at: now,
        activated_at: (state == KeyState::Current).then_some(now),
        deactivated_at: None,
        publish_until: None,
    })
}
