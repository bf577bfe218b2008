//! JWT access tokens, RFC 9068: header `typ: at+jwt`; claims iss, sub, aud, client_id, scope, exp, iat, jti.
//! The payload is readable by anyone: it carries identifiers and scope, never a secret.

use jsonwebtoken::{Algorithm, Validation};
use serde::{Deserialize, Serialize};

use crate::domain::Timestamp;
use crate::keys::{JwtError, KeyStore, SigningKey, sign_jwt};

/// RFC 9068 §2.1: "the JWT access token MUST include this media type in the typ header parameter".
pub const ACCESS_TOKEN_TYP: &str = "at+jwt";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub client_id: String,
    pub scope: String,
    pub exp: Timestamp,
    pub iat: Timestamp,
    pub jti: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub auth_time: Option<Timestamp>,
}

pub fn sign_access_token(key: &SigningKey, claims: &AccessTokenClaims) -> Result<String, JwtError> {
    sign_jwt(key, ACCESS_TOKEN_TYP, claims)
}

/// Why a presented access token was refused. Never shown in detail to the caller (RFC 6750 §3.1 invalid_token).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidAccessToken {
    #[error("malformed token or header")]
    Malformed,
    #[error("typ is not at+jwt")]
    WrongType,
    #[error("algorithm not allowed")]
    WrongAlgorithm,
    #[error("unknown kid")]
    UnknownKey,
    #[error("signature or claims rejected: {0}")]
    Rejected(String),
    #[error("expired")]
    Expired,
}

/// Verifies an access token offline: RS256 only (RFC 8725 §3.1: pin the algorithm; `none` and HS256 fail),
/// `typ` at+jwt (RFC 9068 §4, so an ID token is never accepted), a published kid, our issuer, the expected
/// audience, and exp against `now`, the server's clock.
pub fn verify_access_token(
    keys: &KeyStore,
    token: &str,
    issuer: &str,
    audience: &str,
    now: Timestamp,
) -> Result<AccessTokenClaims, InvalidAccessToken> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| InvalidAccessToken::Malformed)?;
    if header.alg != Algorithm::RS256 {
        return Err(InvalidAccessToken::WrongAlgorithm);
    }
    match header.typ.as_deref() {
        Some(t) if t.eq_ignore_ascii_case(ACCESS_TOKEN_TYP) || t.eq_ignore_ascii_case("application/at+jwt") => {}
        _ => return Err(InvalidAccessToken::WrongType),
    }
    let kid = header.kid.ok_or(InvalidAccessToken::UnknownKey)?;
    let key = keys.verifier(&kid).ok_or(InvalidAccessToken::UnknownKey)?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.algorithms = vec![Algorithm::RS256];
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    // `iat` is not a claim jsonwebtoken can require; it is a non-optional field of AccessTokenClaims instead.
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    // jsonwebtoken would compare exp with the system time; the server's clock decides (checked below).
    validation.validate_exp = false;
    validation.leeway = 0;
    let claims = jsonwebtoken::decode::<AccessTokenClaims>(token, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| InvalidAccessToken::Rejected(e.to_string()))?;
    // RFC 7519 §4.1.4: "the current date/time MUST be before the expiration date/time listed in the exp claim".
    // Tessera verifies its own tokens, so no leeway for clock skew (RFC 7662 §4: an expired token is inactive).
    if now >= claims.exp {
        return Err(InvalidAccessToken::Expired);
    }
    Ok(claims)
}
