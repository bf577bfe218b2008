//! Token revocation, RFC 7009, and token introspection, RFC 7662: both for an authenticated client, about the
//! tokens issued to that client only.

use serde::Serialize;

use super::access_token::{AccessTokenClaims, Confirmation, Standing, standing, verify_access_token};
use super::client_auth::{ClientCredentials, authenticate_client};
use super::provider::Provider;
use super::token::TokenPolicy;
use crate::domain::{Client, ClientKind, RefreshToken, Timestamp};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::keys::KeyStore;
use crate::oidc::metadata::{INTROSPECTION_PATH, REVOCATION_PATH};
use crate::secrets::token_hash;
use crate::storage::{GrantStore, ResourceStore};

/// What a presented token turned out to be, if it is ours, live, and issued to `client`.
enum Known {
    Refresh(RefreshToken),
    Access(AccessTokenClaims),
}

impl Known {
    fn client_id(&self) -> &str {
        match self {
            Known::Refresh(record) => record.grant.client_id.as_str(),
            Known::Access(claims) => &claims.client_id,
        }
    }
}

/// What the token is, whoever it was issued to. RFC 7009 §2.1 `token_type_hint` / RFC 7662 §2.1: a hint only;
/// both kinds are tried ("the authorization server ... MAY ignore the hint").
fn identify(
    store: &(impl GrantStore + ResourceStore),
    keys: &KeyStore,
    policy: &TokenPolicy,
    token: &str,
    hint: Option<&str>,
    now: Timestamp,
) -> Result<Option<Known>, Failure> {
    let find_refresh =
        || -> Result<Option<RefreshToken>, Failure> { Ok(store.find_refresh_token(&token_hash(token))?) };
    // An access token of ours is for the default audience or for a registered resource (RFC 8707).
    let resources = store.list_resources()?;
    let audiences: Vec<&str> =
        std::iter::once(policy.access_token_audience.as_str()).chain(resources.iter().map(|r| r.id.as_str())).collect();
    let find_access = || verify_access_token(keys, token, &policy.issuer, &audiences, now).ok();
    // Our access tokens are JWTs (three dot-separated parts), our refresh tokens never contain a dot: try first what
    // the token looks like, or what the hint says, so the common case needs no refresh-token lookup.
    let access_first = hint == Some("access_token") || (hint.is_none() && token.matches('.').count() == 2);
    if access_first && let Some(claims) = find_access() {
        return Ok(Some(Known::Access(claims)));
    }
    if let Some(record) = find_refresh()? {
        return Ok(Some(Known::Refresh(record)));
    }
    Ok(find_access().map(Known::Access))
}

/// A revocation or introspection request: the client's credentials and the token it asks about (RFC 7009 §2.1,
/// RFC 7662 §2.1).
pub struct TokenQuery {
    pub credentials: ClientCredentials,
    /// The caller's address, for throttling failed client authentication.
    pub source: String,
    pub token: String,
    pub token_type_hint: Option<String>,
}

/// `POST /oauth/revoke`: authenticates the client, then revokes.
pub fn revocation_request(provider: &Provider, query: &TokenQuery) -> Result<(), Failure> {
    let now = provider.now();
    let context = provider.assertion_context(REVOCATION_PATH);
    let client = authenticate_client(&provider.db, &context, &query.credentials, &query.source, provider.now())?;
    let hint = query.token_type_hint.as_deref();
    revoke(&provider.db, &provider.keys, &provider.tokens, &client, &query.token, hint, now)
}

/// `POST /oauth/introspect`: authenticates the client (a confidential one), then introspects.
pub fn introspection_request(provider: &Provider, query: &TokenQuery) -> Result<Introspection, Failure> {
    let now = provider.now();
    let context = provider.assertion_context(INTROSPECTION_PATH);
    let client = authenticate_client(&provider.db, &context, &query.credentials, &query.source, provider.now())?;
    // RFC 7662 §2.1: the endpoint "MUST also require some form of authorization"; a public client proves nothing,
    // so only confidential clients may introspect.
    if client.kind == ClientKind::Public {
        return Err(OAuthError::new(ErrorCode::InvalidClient, "client authentication failed")
            .with_detail("public clients cannot introspect")
            .into());
    }
    let hint = query.token_type_hint.as_deref();
    introspect(&provider.db, &provider.keys, &provider.tokens, &client, &query.token, hint, now)
}

/// RFC 7009 §2.1: revoking a refresh token ends its grant (its other refresh tokens and its access tokens);
/// revoking an access token stops that token (by jti). §2.2: an unknown or already invalid token still gets a
/// 200. A token of another client is refused: "verifies whether the token was issued to the client making the
/// revocation request. If this validation fails, the request is refused and the client is informed of the error".
fn revoke(
    store: &(impl GrantStore + ResourceStore),
    keys: &KeyStore,
    policy: &TokenPolicy,
    client: &Client,
    token: &str,
    hint: Option<&str>,
    now: Timestamp,
) -> Result<(), Failure> {
    match identify(store, keys, policy, token, hint, now)? {
        Some(known) if known.client_id() != client.id.as_str() => {
            Err(OAuthError::new(ErrorCode::UnauthorizedClient, "the token was not issued to this client").into())
        }
        Some(Known::Refresh(record)) => {
            store.revoke_grant(&record.grant.id, now)?;
            tracing::info!(event = "token_revoked", kind = "refresh_token", client_id = %client.id, "grant revoked");
            Ok(())
        }
        Some(Known::Access(claims)) => {
            store.revoke_access_token(&claims.jti, claims.exp)?;
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
    /// RFC 9449 §6.2: the key a DPoP-bound token is bound to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cnf: Option<Confirmation>,
}

fn introspect(
    store: &(impl GrantStore + ResourceStore),
    keys: &KeyStore,
    policy: &TokenPolicy,
    client: &Client,
    token: &str,
    hint: Option<&str>,
    now: Timestamp,
) -> Result<Introspection, Failure> {
    // RFC 7662 §2.2: a token of another client is simply inactive to this caller.
    let known = identify(store, keys, policy, token, hint, now)?.filter(|k| k.client_id() == client.id.as_str());
    Ok(match known {
        Some(Known::Refresh(r)) if r.rotated_at.is_none() && !r.grant.revoked && r.expires_at > now => Introspection {
            active: true,
            scope: Some(r.grant.scope.to_string()),
            client_id: Some(r.grant.client_id.to_string()),
            // The refresh token's grant knows the user by subject already; no lookup needed.
            sub: Some(r.grant.user_id.clone()),
            iss: Some(policy.issuer.clone()),
            exp: Some(r.expires_at),
            token_type: Some("refresh_token"),
            ..Introspection::default()
        },
        Some(Known::Access(c)) if matches!(standing(store, &c, now)?, Standing::Live(_)) => Introspection {
            active: true,
            scope: Some(c.scope),
            client_id: Some(c.client_id),
            sub: Some(c.sub),
            aud: Some(c.aud),
            iss: Some(c.iss),
            exp: Some(c.exp),
            iat: Some(c.iat),
            // RFC 9449 §6.2: "the token_type ... DPoP" and the `cnf` with `jkt` for a DPoP-bound token.
            token_type: Some(if c.cnf.is_some() { "DPoP" } else { "Bearer" }),
            cnf: c.cnf,
        },
        _ => Introspection::default(),
    })
}
