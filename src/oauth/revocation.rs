//! Token revocation, RFC 7009, and token introspection, RFC 7662: both for an authenticated client, about the
//! tokens issued to that client only.

use serde::Serialize;

use super::access_token::{AccessTokenClaims, verify_access_token};
use super::token::TokenPolicy;
use crate::domain::Client;
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::keys::KeyStore;
use crate::secrets::token_hash;
use crate::storage::{GrantStore, RefreshTokenRecord, Timestamp};

/// What a presented token turned out to be, if it is ours, live, and issued to `client`.
enum Known {
    Refresh(RefreshTokenRecord),
    Access(AccessTokenClaims),
}

impl Known {
    fn client_id(&self) -> &str {
        match self {
            Known::Refresh(record) => &record.grant.client_id,
            Known::Access(claims) => &claims.client_id,
        }
    }
}

/// What the token is, whoever it was issued to. RFC 7009 §2.1 `token_type_hint` / RFC 7662 §2.1: a hint only;
/// both kinds are tried ("the authorization server ... MAY ignore the hint").
fn identify(
    store: &impl GrantStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    token: &str,
    hint: Option<&str>,
) -> Result<Option<Known>, Failure> {
    let find_refresh =
        || -> Result<Option<RefreshTokenRecord>, Failure> { Ok(store.find_refresh_token(&token_hash(token))?) };
    let find_access = || verify_access_token(keys, token, &policy.issuer, &policy.access_token_audience).ok();
    if hint == Some("access_token")
        && let Some(claims) = find_access()
    {
        return Ok(Some(Known::Access(claims)));
    }
    if let Some(record) = find_refresh()? {
        return Ok(Some(Known::Refresh(record)));
    }
    Ok(find_access().map(Known::Access))
}

/// RFC 7009 §2.1: revoking a refresh token ends its grant (its other refresh tokens and its access tokens);
/// revoking an access token stops that token (by jti). §2.2: an unknown or already invalid token still gets a
/// 200. A token of another client is refused: "verifies whether the token was issued to the client making the
/// revocation request. If this validation fails, the request is refused and the client is informed of the error".
pub fn revoke(
    store: &impl GrantStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    client: &Client,
    token: &str,
    hint: Option<&str>,
    now: Timestamp,
) -> Result<(), Failure> {
    match identify(store, keys, policy, token, hint)? {
        Some(known) if known.client_id() != client.id.as_str() => {
            Err(OAuthError::new(ErrorCode::UnauthorizedClient, "the token was not issued to this client").into())
        }
        Some(Known::Refresh(record)) => {
            store.revoke_grant(&record.grant.id, now)?;
            tracing::info!(event = "token_revoked", kind = "refresh_token", client_id = %client.id, "grant revoked");
            Ok(())
        }
        Some(Known::Access(claims)) => {
            store.revoke_access_token(&claims.jti)?;
            tracing::info!(event = "token_revoked", kind = "access_token", client_id = %client.id, "access token revoked");
            Ok(())
        }
        None => Ok(()),
    }
}

/// RFC 7662 §2.2 response. Inactive tokens are `{"active": false}` and nothing else.
#[derive(Debug, Default, Serialize)]
pub struct Introspection {
    pub active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<&'static str>,
}

pub fn introspect(
    store: &impl GrantStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    client: &Client,
    token: &str,
    hint: Option<&str>,
    now: Timestamp,
) -> Result<Introspection, Failure> {
    // RFC 7662 §2.2: a token of another client is simply inactive to this caller.
    let known = identify(store, keys, policy, token, hint)?.filter(|k| k.client_id() == client.id.as_str());
    Ok(match known {
        Some(Known::Refresh(r)) if r.rotated_at.is_none() && !r.grant.revoked && r.expires_at > now => Introspection {
            active: true,
            scope: Some(r.grant.scope.clone()),
            client_id: Some(r.grant.client_id.clone()),
            // The refresh token's grant knows the user by subject already; no lookup needed.
            sub: Some(r.grant.user_id.clone()),
            iss: Some(policy.issuer.clone()),
            exp: Some(r.expires_at),
            token_type: Some("refresh_token"),
            ..Introspection::default()
        },
        Some(Known::Access(c)) if store.access_token_is_live(&c.jti)? => Introspection {
            active: true,
            scope: Some(c.scope),
            client_id: Some(c.client_id),
            sub: Some(c.sub),
            aud: Some(c.aud),
            iss: Some(c.iss),
            exp: Some(c.exp),
            iat: Some(c.iat),
            token_type: Some("Bearer"),
        },
        _ => Introspection::default(),
    })
}
