//! Compact JWS signing (RFC 7515 §7.1) with a cached aws-lc key pair.
//!
//! Written by hand because jsonwebtoken re-parses the private key on every `encode` (about half the throughput,
//! see benches/signing.rs); the format is three base64url segments and one RS256 signature. Verification stays
//! with jsonwebtoken.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::RSA_PKCS1_SHA256;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;

use super::signing_key::SigningKey;

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

/// Signs `claims` as an RS256 JWT with `typ` in the header (`JWT`, or `at+jwt` for RFC 9068 access tokens).
pub fn sign_jwt(key: &SigningKey, typ: &str, claims: &impl Serialize) -> Result<String, JwtError> {
    let header = serde_json::to_vec(&Header { alg: "RS256", typ, kid: &key.kid })?;
    let payload = serde_json::to_vec(claims)?;
    let mut token = String::with_capacity((header.len() + payload.len()) * 4 / 3 + 350);
    URL_SAFE_NO_PAD.encode_string(header, &mut token);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(payload, &mut token);
    let mut signature = vec![0u8; key.key_pair.public_modulus_len()];
    key.key_pair
        .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), token.as_bytes(), &mut signature)
        .map_err(|_| JwtError::Sign)?;
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(signature, &mut token);
    Ok(token)
}
