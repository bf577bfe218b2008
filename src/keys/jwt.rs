//! Compact JWS signing (RFC 7515 §7.1) with a cached aws-lc key pair.
//!
//! Written by hand because jsonwebtoken re-parses the private key on every `encode` (about half the throughput,
//! see benches/signing.rs); the format is three base64url segments and one signature. Verification stays with
//! jsonwebtoken.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RSA_PSS_SHA256};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;

use super::signing_key::{KeyPair, SigningKey};
use crate::domain::SigningAlg;

#[derive(Debug, thiserror::Error)]
pub enum JwtError {
    #[error("serialising claims: {0}")]
    Serialize(#[from] serde_json::Error),
    #[error("signing failed")]
    Sign,
}

#[derive(Serialize)]
struct Header<'a> {
    alg: &'static str,
    typ: &'a str,
    kid: &'a str,
}

/// Signs `claims` as a JWT with the key's algorithm and `typ` in the header (`JWT`, or `at+jwt` for RFC 9068
/// access tokens).
pub fn sign_jwt(key: &SigningKey, typ: &str, claims: &impl Serialize) -> Result<String, JwtError> {
    let header = serde_json::to_vec(&Header { alg: key.alg.as_str(), typ, kid: &key.kid })?;
    let payload = serde_json::to_vec(claims)?;
    let mut token = String::with_capacity((header.len() + payload.len()) * 4 / 3 + 350);
    URL_SAFE_NO_PAD.encode_string(header, &mut token);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(payload, &mut token);
    let signature = sign(key, token.as_bytes())?;
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(signature, &mut token);
    Ok(token)
}

/// The JWS signature over the signing input (RFC 7518 §3.3 RSASSA-PKCS1-v1_5, §3.5 RSASSA-PSS with SHA-256 and a
/// 32-octet salt, §3.4 ECDSA as `r || s`; RFC 8037 §3.1 Ed25519).
fn sign(key: &SigningKey, input: &[u8]) -> Result<Vec<u8>, JwtError> {
    match &key.key_pair {
        KeyPair::Rsa(pair) => {
            let padding: &'static dyn aws_lc_rs::signature::RsaEncoding =
                if key.alg == SigningAlg::PS256 { &RSA_PSS_SHA256 } else { &RSA_PKCS1_SHA256 };
            let mut signature = vec![0u8; pair.public_modulus_len()];
            pair.sign(padding, &SystemRandom::new(), input, &mut signature).map_err(|_| JwtError::Sign)?;
            Ok(signature)
        }
        KeyPair::P256(pair) => {
            Ok(pair.sign(&SystemRandom::new(), input).map_err(|_| JwtError::Sign)?.as_ref().to_vec())
        }
        KeyPair::Ed25519(pair) => Ok(pair.sign(input).as_ref().to_vec()),
    }
}
