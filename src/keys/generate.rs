//! New keys and their public halves as JWKs (RFC 7517, RFC 7518 §6.3.1).
//!
//! Keys are generated with aws-lc-rs, which also signs: the `rsa` crate's private-key operations are subject to
//! RUSTSEC-2023-0071 (Marvin), so none of them runs here. Keys are stored as PKCS#8 DER, as they always were: keys
//! the `rsa` crate generated before keep loading, with the same public JWK and so the same kid.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{KeyPair as _, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, Jwk, KeyAlgorithm, PublicKeyUse, RSAKeyParameters, RSAKeyType,
    ThumbprintHash,
};

use super::error::KeyError;
use crate::domain::{KeyRecord, KeyState, Timestamp};

/// The public JWK of a stored key: kty, use, alg, kid, n, e.
pub fn public_jwk(record: &KeyRecord) -> Result<Jwk, KeyError> {
    let key_pair = RsaKeyPair::from_pkcs8(&record.private_key)
        .map_err(|e| KeyError::BadKey { kid: record.kid.clone(), message: e.to_string() })?;
    Ok(rsa_jwk(&key_pair, Some(record.kid.clone())))
}

/// RFC 7518 §6.3.1: `n` and `e` are base64url of the unsigned big-endian integers, without leading zero octets.
fn rsa_jwk(key_pair: &RsaKeyPair, kid: Option<String>) -> Jwk {
    let public = key_pair.public_key();
    Jwk {
        common: CommonParameters {
            public_key_use: Some(PublicKeyUse::Signature),
            key_algorithm: Some(KeyAlgorithm::RS256),
            key_id: kid,
            ..CommonParameters::default()
        },
        algorithm: AlgorithmParameters::RSA(RSAKeyParameters {
            key_type: RSAKeyType::RSA,
            n: URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            e: URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
        }),
    }
}

/// Generates a new RSA-2048 key in `state`; its kid is the RFC 7638 JWK thumbprint.
pub fn generate_key(state: KeyState, now: Timestamp) -> Result<KeyRecord, KeyError> {
    let key_pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|e| KeyError::Generation(e.to_string()))?;
    let der = key_pair.as_der().map_err(|e| KeyError::Generation(e.to_string()))?;
    let kid =
        rsa_jwk(&key_pair, None).thumbprint(ThumbprintHash::SHA256).map_err(|e| KeyError::Generation(e.to_string()))?;
    Ok(KeyRecord {
        kid,
        state,
        private_key: der.as_ref().to_vec(),
        created_at: now,
        activated_at: (state == KeyState::Current).then_some(now),
        deactivated_at: None,
        publish_until: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kid: String, private_key: Vec<u8>) -> KeyRecord {
        KeyRecord {
            kid,
            state: KeyState::Current,
            private_key,
            created_at: 0,
            activated_at: Some(0),
            deactivated_at: None,
            publish_until: None,
        }
    }

    fn rsa_parameters(jwk: &Jwk) -> (&str, &str) {
        match &jwk.algorithm {
            AlgorithmParameters::RSA(p) => (p.n.as_str(), p.e.as_str()),
            other => panic!("not an RSA JWK: {other:?}"),
        }
    }

    /// A key stored by the old path (the `rsa` crate's key generation and PKCS#8 encoding, with n and e taken from
    /// its own integers) loads with aws-lc-rs and gives the same public JWK, so the same kid.
    #[test]
    fn keys_stored_by_the_rsa_crate_keep_their_jwk_and_kid() {
        use rsa::pkcs8::EncodePrivateKey;
        use rsa::traits::PublicKeyParts;
        let old = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
        let der = old.to_pkcs8_der().unwrap().as_bytes().to_vec();
        let old_jwk = Jwk {
            common: CommonParameters {
                public_key_use: Some(PublicKeyUse::Signature),
                key_algorithm: Some(KeyAlgorithm::RS256),
                ..CommonParameters::default()
            },
            algorithm: AlgorithmParameters::RSA(RSAKeyParameters {
                key_type: RSAKeyType::RSA,
                n: URL_SAFE_NO_PAD.encode(old.n().to_bytes_be()),
                e: URL_SAFE_NO_PAD.encode(old.e().to_bytes_be()),
            }),
        };
        let old_kid = old_jwk.thumbprint(ThumbprintHash::SHA256).unwrap();

        let jwk = public_jwk(&record(old_kid.clone(), der.clone())).unwrap();
        assert_eq!(rsa_parameters(&jwk), rsa_parameters(&old_jwk));
        assert_eq!(jwk.common.key_id.as_deref(), Some(old_kid.as_str()));
        assert_eq!(jwk.thumbprint(ThumbprintHash::SHA256).unwrap(), old_kid, "the kid is the thumbprint still");
        let parsed = RsaKeyPair::from_pkcs8(&der).unwrap();
        assert_eq!(rsa_jwk(&parsed, None).thumbprint(ThumbprintHash::SHA256).unwrap(), old_kid);
    }

    /// New keys: RSA-2048, e = 65537, PKCS#8 that the signer loads, kid = RFC 7638 thumbprint of the public JWK.
    #[test]
    fn generated_keys_are_pkcs8_rsa_2048_named_by_their_thumbprint() {
        let key = generate_key(KeyState::Next, 42).unwrap();
        let jwk = public_jwk(&key).unwrap();
        let (n, e) = rsa_parameters(&jwk);
        assert_eq!(URL_SAFE_NO_PAD.decode(n).unwrap().len(), 256);
        assert_eq!(e, "AQAB");
        assert_eq!(jwk.thumbprint(ThumbprintHash::SHA256).unwrap(), key.kid);
        assert!(crate::keys::signing_key::SigningKey::from_pkcs8(&key.kid, &key.private_key).is_ok());
        assert_eq!((key.created_at, key.activated_at), (42, None));
    }
}
