//! JWT access tokens, RFC 9068: header `typ: at+jwt`; claims iss, sub, aud, client_id, scope, exp, iat, jti.
//! The payload is readable by anyone: it carries identifiers and scope, never a secret.
//!
//! Nothing is stored per token issued: a token is verified offline, and its `jti` names the grant it was issued
//! from (`{grant id}.{random}`; a client's own token has no grant), so whether it still stands is one look at its
//! grant and at the list of revoked tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::domain::{Grant, Timestamp};
use crate::keys::{JwtError, KeyStore, NoVerifier, SigningKey, sign_jwt};
use crate::storage::{GrantStore, StorageResult};

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
    /// RFC 8693 §4.1: who acts for the subject (a token exchange with an actor token).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub act: Option<serde_json::Value>,
    /// The user's groups, for a client registered with `--access-token-groups` when `groups` was granted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub groups: Option<Vec<String>>,
    /// RFC 9449 §6.1 / RFC 7800: the DPoP key the token is bound to.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cnf: Option<Confirmation>,
}

/// RFC 7800 §3.1 `cnf` with RFC 9449 §6.1's `jkt`: "JWK SHA-256 Thumbprint Confirmation Method".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub jkt: String,
}

/// A fresh `jti`: the grant's id and 128 random bits, or the random bits alone for a token without a grant.
pub fn new_jti(grant_id: Option<&str>) -> String {
    let random = uuid::Uuid::new_v4().simple().to_string();
    match grant_id {
        Some(grant) => format!("{grant}.{random}"),
        None => random,
    }
}

/// The grant a `jti` of ours names, if any.
pub fn grant_of(jti: &str) -> Option<&str> {
    jti.split_once('.').map(|(grant, _)| grant)
}

/// Whether a verified access token still stands, and its grant when it has one.
#[derive(Debug)]
pub enum Standing {
    Live(Option<Box<Grant>>),
    /// Why not, for the log.
    Dead(&'static str),
}

/// A verified token stands while it was not revoked (RFC 7009) and its grant, if it has one, is neither revoked
/// nor ended.
pub fn standing(store: &impl GrantStore, claims: &AccessTokenClaims, now: Timestamp) -> StorageResult<Standing> {
    if store.access_token_revoked(&claims.jti)? {
        return Ok(Standing::Dead("token revoked"));
    }
    let Some(grant_id) = grant_of(&claims.jti) else { return Ok(Standing::Live(None)) };
    Ok(match store.find_grant(grant_id)? {
        None => Standing::Dead("grant gone"),
        Some(grant) if grant.revoked => Standing::Dead("grant revoked"),
        Some(grant) if grant.has_expired(now) => Standing::Dead("grant ended"),
        Some(grant) => Standing::Live(Some(Box::new(grant))),
    })
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

/// Verifies an access token offline: an algorithm Tessera signs with, and the one its kid is pinned to (RFC 8725
/// §3.1: the key decides the algorithm; `none`, HS256 and a PS256 header on an RS256 key fail),
/// `typ` at+jwt (RFC 9068 §4, so an ID token is never accepted), a published kid, our issuer, the expected
/// audience (one of `audiences`: the default one, or a resource's), and exp against `now`, the server's clock.
pub fn verify_access_token(
    keys: &KeyStore,
    token: &str,
    issuer: &str,
    audiences: &[&str],
    now: Timestamp,
) -> Result<AccessTokenClaims, InvalidAccessToken> {
    // jsonwebtoken::decode would parse the public key again for every token (an RSA key's Montgomery constants
    // cost a good part of a verification) and read the header and the claims twice. The key store keeps each key
    // parsed, so the JWS steps are taken here (RFC 7515 §5.2), with jsonwebtoken reading the header.
    let (signing_input, signature) = token.rsplit_once('.').ok_or(InvalidAccessToken::Malformed)?;
    let (_, payload) = signing_input.split_once('.').ok_or(InvalidAccessToken::Malformed)?;
    // RFC 7519 §7.2 step 1: a JWS in the compact serialization has exactly three parts.
    if payload.contains('.') {
        return Err(InvalidAccessToken::Malformed);
    }
    let header = jsonwebtoken::decode_header(token).map_err(|_| InvalidAccessToken::Malformed)?;
    match header.typ.as_deref() {
        Some(t) if t.eq_ignore_ascii_case(ACCESS_TOKEN_TYP) || t.eq_ignore_ascii_case("application/at+jwt") => {}
        _ => return Err(InvalidAccessToken::WrongType),
    }
    let kid = header.kid.ok_or(InvalidAccessToken::UnknownKey)?;
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| InvalidAccessToken::Malformed)?;
    let verified = keys.verify_signature(&kid, header.alg, signing_input.as_bytes(), &signature).map_err(
        |refused| match refused {
            NoVerifier::UnknownKid => InvalidAccessToken::UnknownKey,
            NoVerifier::OtherAlgorithm => InvalidAccessToken::WrongAlgorithm,
        },
    )?;
    if !verified {
        return Err(InvalidAccessToken::Rejected("invalid signature".into()));
    }
    let payload = URL_SAFE_NO_PAD.decode(payload).map_err(|_| InvalidAccessToken::Malformed)?;
    // exp, iss, aud, sub and iat are required fields of the claims: a token without one does not deserialize.
    let claims: AccessTokenClaims =
        serde_json::from_slice(&payload).map_err(|e| InvalidAccessToken::Rejected(format!("claims: {e}")))?;
    // RFC 9068 §4: the issuer "MUST exactly match" ours, and the audience must be one this server issues for.
    if claims.iss != issuer {
        return Err(InvalidAccessToken::Rejected("another issuer".into()));
    }
    if !audiences.contains(&claims.aud.as_str()) {
        return Err(InvalidAccessToken::Rejected("another audience".into()));
    }
    // RFC 7519 §4.1.4: "the current date/time MUST be before the expiration date/time listed in the exp claim".
    // Tessera verifies its own tokens, so no leeway for clock skew (RFC 7662 §4: an expired token is inactive).
    if now >= claims.exp {
        return Err(InvalidAccessToken::Expired);
    }
    Ok(claims)
}
