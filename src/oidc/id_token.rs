//! ID tokens, OpenID Connect Core §2 and §3.1.3.6: iss, sub, aud, exp, iat, auth_time, nonce, at_hash, azp and
//! the claims the scope releases, signed with the current key of the client's algorithm (kid in the header).

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use openidconnect::{
    AccessTokenHash, Audience, AuthenticationContextClass, AuthenticationMethodReference, ClientId, IdTokenClaims,
    IssuerUrl, Nonce,
};

use super::claim_release::{releases_groups, standard_claims};
use crate::domain::{AuthenticationMethod, Scope, Timestamp, User};
use crate::keys::{JwtError, KeyStore, SigningKey, sign_jwt};

/// Claims beyond the standard ones: `sid`, the browser session (Back-Channel Logout 1.0 §2.1, so a client can
/// match a logout token to the session it signed in with).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionClaims {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sid: Option<String>,
    /// The names of the user's groups, when the `groups` scope (or the `claims` parameter) releases them.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub groups: Option<Vec<String>>,
}

impl openidconnect::AdditionalClaims for SessionClaims {}

pub type TesseraIdTokenClaims = IdTokenClaims<SessionClaims, openidconnect::core::CoreGenderClaim>;

pub struct IdTokenInput<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub user: &'a User,
    pub scope: &'a Scope,
    /// The claims the `claims` request parameter asked for in the ID token (OpenID Connect Core §5.5).
    pub requested_claims: &'a BTreeSet<String>,
    pub nonce: Option<&'a str>,
    pub auth_time: Timestamp,
    pub access_token: &'a str,
    pub now: Timestamp,
    pub ttl_secs: i64,
    pub sid: Option<&'a str>,
    /// The methods the user proved (RFC 8176): `amr` and `acr`, left out when unknown (grants made before they were
    /// kept).
    pub methods: &'a [AuthenticationMethod],
    /// The user's groups, as they are now (released only if the scope or the request says so).
    pub groups: &'a [String],
}

/// OpenID Connect Core §3.1.3.6: at_hash is the base64url of the left half of the SHA-256 of the access token's
/// ASCII octets. SHA-256 matches every algorithm Tessera signs with: RS256, PS256 and ES256 hash with SHA-256, and
/// for EdDSA (Ed25519) the OpenID Foundation's errata and every certified provider use SHA-256 too.
pub fn at_hash(access_token: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest.as_ref()[..16])
}

fn time(seconds: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

pub fn id_token_claims(input: &IdTokenInput<'_>) -> Result<TesseraIdTokenClaims, JwtError> {
    let issuer =
        IssuerUrl::new(input.issuer.to_owned()).map_err(|e| JwtError::Serialize(serde::de::Error::custom(e)))?;
    let claims = IdTokenClaims::new(
        issuer,
        vec![Audience::new(input.client_id.to_owned())],
        time(input.now + input.ttl_secs),
        time(input.now),
        standard_claims(input.user, input.scope, input.requested_claims),
        SessionClaims {
            sid: input.sid.map(str::to_owned),
            groups: releases_groups(input.scope, input.requested_claims).then(|| input.groups.to_vec()),
        },
    )
    // auth_time always: cheap, and required whenever max_age was used (OpenID Connect Core §3.1.2.1).
    .set_auth_time(Some(time(input.auth_time)))
    .set_nonce(input.nonce.map(|n| Nonce::new(n.to_owned())))
    .set_access_token_hash(Some(AccessTokenHash::new(at_hash(input.access_token))))
    .set_authorized_party(Some(ClientId::new(input.client_id.to_owned())));
    // OpenID Connect Core §2: acr, the level reached; amr, "identifiers for authentication methods used" (RFC 8176).
    let claims = if input.methods.is_empty() {
        claims
    } else {
        claims
            .set_auth_context_ref(Some(AuthenticationContextClass::new(
                AuthenticationMethod::acr_of(input.methods).to_owned(),
            )))
            .set_auth_method_refs(Some(
                AuthenticationMethod::amr_claim(input.methods)
                    .into_iter()
                    .map(AuthenticationMethodReference::new)
                    .collect(),
            ))
    };
    Ok(claims)
}

/// What an ID token we issued earlier says, when it comes back as a hint (`id_token_hint` at the authorization
/// and end-session endpoints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdTokenHint {
    pub subject: String,
    /// The client it was issued to (`aud`, one value: Tessera issues ID tokens to one client).
    pub client_id: String,
    pub sid: Option<String>,
}

/// Verifies an ID token we issued, possibly expired (OpenID Connect Core §3.1.2.1 and RP-Initiated Logout §2 both
/// take expired ones): a published key and the one algorithm its kid is pinned to, our issuer, `typ` JWT or absent (RFC 8725 §3.11: an access
/// token, typ at+jwt, is not an ID token), and exactly one audience.
pub fn verify_id_token_hint(
    keys: &KeyStore,
    hint: &str,
    issuer: &str,
) -> Result<IdTokenHint, jsonwebtoken::errors::Error> {
    use jsonwebtoken::Validation;
    use jsonwebtoken::errors::ErrorKind;
    let header = jsonwebtoken::decode_header(hint)?;
    if header.typ.as_deref().is_some_and(|t| !t.eq_ignore_ascii_case("JWT")) {
        return Err(ErrorKind::InvalidToken.into());
    }
    let kid = header.kid.ok_or(ErrorKind::InvalidToken)?;
    let key = keys.verifier(&kid, header.alg).map_err(|_| ErrorKind::InvalidToken)?;
    let mut validation = Validation::new(header.alg);
    validation.algorithms = vec![header.alg];
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.set_issuer(&[issuer]);
    validation.set_required_spec_claims(&["iss", "aud", "sub"]);
    #[derive(serde::Deserialize)]
    struct Claims {
        sub: String,
        aud: serde_json::Value,
        sid: Option<String>,
    }
    let claims = jsonwebtoken::decode::<Claims>(hint, &key, &validation)?.claims;
    let client_id = match claims.aud {
        serde_json::Value::String(aud) => aud,
        serde_json::Value::Array(list) if list.len() == 1 => list[0].as_str().unwrap_or_default().to_owned(),
        _ => return Err(ErrorKind::InvalidAudience.into()),
    };
    Ok(IdTokenHint { subject: claims.sub, client_id, sid: claims.sid })
}

pub fn sign_id_token(key: &SigningKey, input: &IdTokenInput<'_>) -> Result<String, JwtError> {
    sign_jwt(key, "JWT", &id_token_claims(input)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_hash_matches_the_openid_example() {
        // OpenID Connect Core, Appendix A.3: access token "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y" has at_hash
        // "77QmUPtjPfzWtF2AnpK9RQ".
        assert_eq!(at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"), "77QmUPtjPfzWtF2AnpK9RQ");
    }

    #[test]
    fn claims_carry_every_required_field() {
        let user = User {
            subject: "sub-1".into(),
            username: "alice".into(),
            email: Some("a@example.com".into()),
            email_verified: false,
            name: None,
            attributes: crate::domain::UserAttributes {
                locale: Some("fr-FR".into()),
                zoneinfo: Some("Europe/Paris".into()),
                ..Default::default()
            },
            updated_at: 0,
        };
        let input = IdTokenInput {
            issuer: "https://id.example",
            client_id: "app",
            user: &user,
            scope: &Scope::parse("openid email").unwrap(),
            requested_claims: &BTreeSet::from(["locale".to_owned()]),
            nonce: Some("n-0S6_WzA2Mj"),
            auth_time: 1_000,
            access_token: "at",
            now: 2_000,
            ttl_secs: 300,
            sid: Some("s-1"),
            methods: &[AuthenticationMethod::Password, AuthenticationMethod::OneTimePassword],
            groups: &["staff".to_owned()],
        };
        let v = serde_json::to_value(id_token_claims(&input).unwrap()).unwrap();
        assert_eq!(v["iss"], "https://id.example");
        assert_eq!(v["sub"], "sub-1");
        assert_eq!(v["aud"], serde_json::json!(["app"]));
        assert_eq!(v["azp"], "app");
        assert_eq!(v["exp"], 2_300);
        assert_eq!(v["iat"], 2_000);
        assert_eq!(v["auth_time"], 1_000);
        assert_eq!(v["nonce"], "n-0S6_WzA2Mj");
        assert_eq!(v["at_hash"], at_hash("at"));
        assert_eq!(v["email"], "a@example.com");
        assert!(v.get("preferred_username").is_none());
        assert_eq!(v["sid"], "s-1");
        assert!(v.get("groups").is_none(), "the groups scope was not granted");
        let with_groups = IdTokenInput { scope: &Scope::parse("openid groups").unwrap(), ..input };
        let v = serde_json::to_value(id_token_claims(&with_groups).unwrap()).unwrap();
        assert_eq!(v["groups"], serde_json::json!(["staff"]));
        assert_eq!(v["locale"], "fr-FR", "requested in the claims parameter");
        assert!(v.get("zoneinfo").is_none(), "neither in the scope nor requested");
        assert_eq!(v["amr"], serde_json::json!(["pwd", "otp", "mfa"]));
        assert_eq!(v["acr"], crate::domain::ACR_MULTI_FACTOR);
    }
}
