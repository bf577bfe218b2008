//! New keys and their public halves as JWKs (RFC 7517; RFC 7518 §6.2.1 and §6.3.1; RFC 8037 §2).
//!
//! Keys are generated with aws-lc-rs, which also signs: the `rsa` crate's private-key operations are subject to
//! RUSTSEC-2023-0071 (Marvin), so none of them runs here. Keys are stored as PKCS#8 DER, as they always were: keys
//! the `rsa` crate generated before keep loading, with the same public JWK and so the same kid.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, ED25519, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _,
    ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA256, RsaKeyPair, VerificationAlgorithm,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, EllipticCurve, EllipticCurveKeyParameters, EllipticCurveKeyType, Jwk,
    KeyAlgorithm, OctetKeyPairParameters, OctetKeyPairType, PublicKeyUse, RSAKeyParameters, RSAKeyType, ThumbprintHash,
};

use super::error::KeyError;
use crate::domain::{KeyRecord, KeyState, SigningAlg, Timestamp};

/// The public JWK of a stored key: kty, use, alg, kid, and n/e (RSA), crv/x/y (P-256) or crv/x (Ed25519).
pub fn public_jwk(record: &KeyRecord) -> Result<Jwk, KeyError> {
    let bad = |e: String| KeyError::BadKey { kid: record.kid.clone(), message: e };
    let kid = Some(record.kid.clone());
    Ok(match record.alg {
        SigningAlg::RS256 | SigningAlg::PS256 => {
            let key_pair = RsaKeyPair::from_pkcs8(&record.private_key).map_err(|e| bad(e.to_string()))?;
            rsa_jwk(&key_pair, record.alg, kid)
        }
        SigningAlg::ES256 => {
            let key_pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &record.private_key)
                .map_err(|e| bad(e.to_string()))?;
            ec_jwk(&key_pair, kid).map_err(bad)?
        }
        SigningAlg::EdDSA => {
            let key_pair = Ed25519KeyPair::from_pkcs8(&record.private_key).map_err(|e| bad(e.to_string()))?;
            ed25519_jwk(&key_pair, kid)
        }
    })
}

/// The public half of a stored key, parsed once for verifying its algorithm's signatures (RFC 7518 §3.3 RS256,
/// §3.5 PS256, §3.4 ES256 as the fixed-width r||s, RFC 8037 §3.1 EdDSA). Parsed once, an RSA key also keeps its
/// Montgomery constants: a verification from the raw modulus would compute them again every time.
pub fn parsed_public_key(record: &KeyRecord) -> Result<ParsedPublicKey, KeyError> {
    let bad = |e: String| KeyError::BadKey { kid: record.kid.clone(), message: e };
    let (algorithm, public): (&'static dyn VerificationAlgorithm, Vec<u8>) = match record.alg {
        SigningAlg::RS256 | SigningAlg::PS256 => {
            let key_pair = RsaKeyPair::from_pkcs8(&record.private_key).map_err(|e| bad(e.to_string()))?;
            let algorithm: &'static dyn VerificationAlgorithm = match record.alg {
                SigningAlg::PS256 => &RSA_PSS_2048_8192_SHA256,
                _ => &RSA_PKCS1_2048_8192_SHA256,
            };
            (algorithm, key_pair.public_key().as_ref().to_vec())
        }
        SigningAlg::ES256 => {
            let key_pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &record.private_key)
                .map_err(|e| bad(e.to_string()))?;
            (&ECDSA_P256_SHA256_FIXED, key_pair.public_key().as_ref().to_vec())
        }
        SigningAlg::EdDSA => {
            let key_pair = Ed25519KeyPair::from_pkcs8(&record.private_key).map_err(|e| bad(e.to_string()))?;
            (&ED25519, key_pair.public_key().as_ref().to_vec())
        }
    };
    ParsedPublicKey::new(algorithm, public).map_err(|e| bad(e.to_string()))
}

fn common(alg: SigningAlg, kid: Option<String>) -> CommonParameters {
    let key_algorithm = match alg {
        SigningAlg::RS256 => KeyAlgorithm::RS256,
        SigningAlg::PS256 => KeyAlgorithm::PS256,
        SigningAlg::ES256 => KeyAlgorithm::ES256,
        SigningAlg::EdDSA => KeyAlgorithm::EdDSA,
    };
    CommonParameters {
        public_key_use: Some(PublicKeyUse::Signature),
        key_algorithm: Some(key_algorithm),
        key_id: kid,
        ..CommonParameters::default()
    }
}

/// RFC 7518 §6.3.1: `n` and `e` are base64url of the unsigned big-endian integers, without leading zero octets.
fn rsa_jwk(key_pair: &RsaKeyPair, alg: SigningAlg, kid: Option<String>) -> Jwk {
    let public = key_pair.public_key();
    Jwk {
        common: common(alg, kid),
        algorithm: AlgorithmParameters::RSA(RSAKeyParameters {
            key_type: RSAKeyType::RSA,
            n: URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            e: URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
        }),
    }
}

/// RFC 7518 §6.2.1: `x` and `y` are the 32-octet coordinates of the point, which aws-lc gives uncompressed
/// (`0x04 || x || y`, SEC 1 §2.3.3).
fn ec_jwk(key_pair: &EcdsaKeyPair, kid: Option<String>) -> Result<Jwk, String> {
    let point = key_pair.public_key().as_ref();
    if point.len() != 65 || point[0] != 4 {
        return Err("not an uncompressed P-256 point".into());
    }
    Ok(Jwk {
        common: common(SigningAlg::ES256, kid),
        algorithm: AlgorithmParameters::EllipticCurve(EllipticCurveKeyParameters {
            key_type: EllipticCurveKeyType::EC,
            curve: EllipticCurve::P256,
            x: URL_SAFE_NO_PAD.encode(&point[1..33]),
            y: URL_SAFE_NO_PAD.encode(&point[33..]),
        }),
    })
}

/// RFC 8037 §2: `kty` OKP, `crv` Ed25519, `x` the 32-octet public key.
fn ed25519_jwk(key_pair: &Ed25519KeyPair, kid: Option<String>) -> Jwk {
    Jwk {
        common: common(SigningAlg::EdDSA, kid),
        algorithm: AlgorithmParameters::OctetKeyPair(OctetKeyPairParameters {
            key_type: OctetKeyPairType::OctetKeyPair,
            curve: EllipticCurve::Ed25519,
            x: URL_SAFE_NO_PAD.encode(key_pair.public_key().as_ref()),
        }),
    }
}

/// Generates a new key for `alg` in `state` (RSA-2048, P-256 or Ed25519, with aws-lc-rs, whose key generation and
/// signing are constant-time); its kid is the RFC 7638 JWK thumbprint (RFC 8037 §2 for Ed25519).
pub fn generate_key(alg: SigningAlg, state: KeyState, now: Timestamp) -> Result<KeyRecord, KeyError> {
    let failed = |e: &dyn std::fmt::Display| KeyError::Generation(e.to_string());
    let (der, jwk) = match alg {
        SigningAlg::RS256 | SigningAlg::PS256 => {
            let key_pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|e| failed(&e))?;
            let der = key_pair.as_der().map_err(|e| failed(&e))?.as_ref().to_vec();
            (der, rsa_jwk(&key_pair, alg, None))
        }
        SigningAlg::ES256 => {
            let key_pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).map_err(|e| failed(&e))?;
            let der = key_pair.to_pkcs8v1().map_err(|e| failed(&e))?.as_ref().to_vec();
            let jwk = ec_jwk(&key_pair, None).map_err(|e| failed(&e))?;
            (der, jwk)
        }
        SigningAlg::EdDSA => {
            let key_pair = Ed25519KeyPair::generate().map_err(|e| failed(&e))?;
            let der = key_pair.to_pkcs8().map_err(|e| failed(&e))?.as_ref().to_vec();
            (der, ed25519_jwk(&key_pair, None))
        }
    };
    let kid = thumbprint(&jwk).map_err(|e| failed(&e))?;
    Ok(KeyRecord {
        kid,
        alg,
        state,
        private_key: der,
        created_at: now,
        activated_at: (state == KeyState::Current).then_some(now),
        deactivated_at: None,
        publish_until: None,
    })
}

/// RFC 7638 §3 (RFC 8037 §2 for OKP): SHA-256 over the required members in lexical order. jsonwebtoken refuses
/// OKP keys in its `thumbprint`, so Ed25519's is written out here.
fn thumbprint(jwk: &Jwk) -> Result<String, String> {
    match &jwk.algorithm {
        AlgorithmParameters::OctetKeyPair(okp) => {
            let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#, okp.x);
            let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.as_bytes());
            Ok(URL_SAFE_NO_PAD.encode(digest.as_ref()))
        }
        _ => jwk.thumbprint(ThumbprintHash::SHA256).map_err(|e| e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kid: String, private_key: Vec<u8>) -> KeyRecord {
        KeyRecord {
            kid,
            alg: SigningAlg::RS256,
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
        assert_eq!(rsa_jwk(&parsed, SigningAlg::RS256, None).thumbprint(ThumbprintHash::SHA256).unwrap(), old_kid);
    }

    /// New keys: RSA-2048, e = 65537, PKCS#8 that the signer loads, kid = RFC 7638 thumbprint of the public JWK.
    #[test]
    fn generated_keys_are_pkcs8_rsa_2048_named_by_their_thumbprint() {
        let key = generate_key(SigningAlg::RS256, KeyState::Next, 42).unwrap();
        let jwk = public_jwk(&key).unwrap();
        let (n, e) = rsa_parameters(&jwk);
        assert_eq!(URL_SAFE_NO_PAD.decode(n).unwrap().len(), 256);
        assert_eq!(e, "AQAB");
        assert_eq!(jwk.thumbprint(ThumbprintHash::SHA256).unwrap(), key.kid);
        assert!(crate::keys::signing_key::SigningKey::from_record(&key).is_ok());
        assert_eq!((key.created_at, key.activated_at), (42, None));
    }

    /// Each algorithm's key: its JWK has the RFC's members and sizes, the kid is its thumbprint, the signer loads it,
    /// and what it signs verifies with jsonwebtoken against the published JWK with exactly that algorithm.
    #[test]
    fn every_algorithm_makes_a_key_its_jwk_verifies() {
        use jsonwebtoken::{Algorithm, DecodingKey, Validation};
        for (alg, jws) in [
            (SigningAlg::RS256, Algorithm::RS256),
            (SigningAlg::PS256, Algorithm::PS256),
            (SigningAlg::ES256, Algorithm::ES256),
            (SigningAlg::EdDSA, Algorithm::EdDSA),
        ] {
            let key = generate_key(alg, KeyState::Current, 7).unwrap();
            assert_eq!(key.alg, alg);
            let jwk = public_jwk(&key).unwrap();
            let json = serde_json::to_value(&jwk).unwrap();
            assert_eq!((json["alg"].as_str(), json["use"].as_str()), (Some(alg.as_str()), Some("sig")));
            assert_eq!(json["kid"], key.kid.as_str());
            assert_eq!(thumbprint(&jwk).unwrap(), key.kid);
            match alg {
                SigningAlg::ES256 => {
                    assert_eq!((json["kty"].as_str(), json["crv"].as_str()), (Some("EC"), Some("P-256")));
                    assert_eq!(URL_SAFE_NO_PAD.decode(json["x"].as_str().unwrap()).unwrap().len(), 32);
                    assert_eq!(URL_SAFE_NO_PAD.decode(json["y"].as_str().unwrap()).unwrap().len(), 32);
                }
                SigningAlg::EdDSA => {
                    assert_eq!((json["kty"].as_str(), json["crv"].as_str()), (Some("OKP"), Some("Ed25519")));
                    assert_eq!(URL_SAFE_NO_PAD.decode(json["x"].as_str().unwrap()).unwrap().len(), 32);
                }
                _ => assert_eq!(json["kty"], "RSA"),
            }
            let signer = crate::keys::signing_key::SigningKey::from_record(&key).unwrap();
            let token =
                crate::keys::sign_jwt(&signer, "JWT", &serde_json::json!({"sub": "s", "exp": 4_000_000_000i64}))
                    .unwrap();
            let header = jsonwebtoken::decode_header(&token).unwrap();
            assert_eq!((header.alg, header.kid.as_deref()), (jws, Some(key.kid.as_str())));
            let decoding = DecodingKey::from_jwk(&jwk).unwrap();
            let mut validation = Validation::new(jws);
            validation.required_spec_claims.clear();
            jsonwebtoken::decode::<serde_json::Value>(&token, &decoding, &validation)
                .unwrap_or_else(|e| panic!("{alg}: {e}"));
            let mut tampered = token.clone();
            tampered.replace_range(token.len() - 4.., "AAAA");
            assert!(jsonwebtoken::decode::<serde_json::Value>(&tampered, &decoding, &validation).is_err());
        }
    }
}
