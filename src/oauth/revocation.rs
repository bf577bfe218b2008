//! Token revocation, RFC 7009, and token introspection, RFC 7662: both for an authenticated client, about the
//! tokens issued to that client only.

use serde::Serialize;

use super::access_token::{AccessTokenClaims, verify_access_token};
use super::token::TokenPolicy;
use crate::domain::Client;
use crate::error::Failure;
use crate::keys::KeyStore;
use crate::secrets::token_hash;
use crate::storage::{GrantStore, RefreshTokenRecord, Timestamp};

/// What a presented token turned out to be, if it is ours, live, and issued to `client`.
enum Known {
    Refresh(RefreshTokenRecord),
    Access(AccessTokenClaims),
}

/// RFC 7009 §2.1 `token_type_hint` / RFC 7662 §2.1: a hint only; an unknown hint is ignored and both kinds are
/// tried ("the authorization server ... MAY ignore the hint").
fn identify(
    store: &impl GrantStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    client: &Client,
    token: &str,
    hint: Option<&str>,
) -> Result<Option<Known>, Failure> {
    let find_refresh = || -> Result<Option<RefreshTokenRecord>, Failure> {
        Ok(store.find_refresh_token(&token_hash(token))?.filter(|r| r.grant.client_id == client.id.as_str()))
    };
    let find_access = || {
        verify_access_token(keys, token, &policy.issuer, &policy.access_token_audience)
            .ok()
            .filter(|c| c.client_id == client.id.as_str())
    };
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
/// revoking an access token stops that token (by jti). §2.2: unknown, foreign or already invalid tokens still get
/// a 200, so the response reveals nothing.
pub fn revoke(
    store: &impl GrantStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    client: &Client,
    token: &str,
    hint: Option<&str>,
    now: Timestamp,
) -> Result<(), Failure> {
    match identify(store, keys, policy, client, token, hint)? {
        Some(Known::Refresh(record)) => {
            store.revoke_grant(&record.grant.id, now)?;
            tracing::info!(event = "token_revoked", kind = "refresh_token", client_id = %client.id, "grant revoked");
        }
        Some(Known::Access(claims)) => {
            store.revoke_access_token(&claims.jti)?;
            tracing::info!(event = "token_revoked", kind = "access_token", client_id = %client.id, "access token revoked");
        }
        None => {}
    }
    Ok(())
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
    Ok(match identify(store, keys, policy, client, token, hint)? {
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
