//! `grant_type=client_credentials`, RFC 6749 §4.4: a confidential client acting on its own behalf. The access
//! token's subject is the client (RFC 9068 §2.2: "the sub claim ... SHOULD correspond to ... the client
//! identifier"); no refresh token (§4.4.3: "A refresh token SHOULD NOT be included") and no ID token (no user).
//!
//! A client's `sub` never collides with a user's: users' subjects are random UUIDs, and a client id can never have
//! that shape (`ClientId::parse`).

use super::audience;
use super::issue::{TokenResponse, TokenStore, issue_access_token};
use super::policy::TokenPolicy;
use crate::domain::{Client, ClientKind, Scope, Timestamp};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::keys::KeyStore;

pub(super) fn grant(
    store: &impl TokenStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    client: &Client,
    scope: Option<&str>,
    resource: Option<&str>,
    now: Timestamp,
) -> Result<TokenResponse, Failure> {
    // RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential clients."
    if client.kind != ClientKind::Confidential {
        return Err(
            OAuthError::new(ErrorCode::UnauthorizedClient, "client_credentials needs a confidential client").into()
        );
    }
    let scope = check_scope(client, scope)?;
    let audience = audience::of_request(store, resource, &scope)?;
    let policy = policy.for_audience(audience.resource.as_ref());
    let id = client.id.as_str();
    let scope = audience.scope.to_string();
    let access_token = issue_access_token(keys, &policy, id, id, &scope, None, None, None, now)?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: policy.access_token_ttl_secs,
        refresh_token: None,
        id_token: None,
        scope,
        issued_token_type: None,
    })
}

/// RFC 6749 §3.3: a scope the client may not have is refused with invalid_scope. Without a scope, the token carries
/// none (there is no default scope).
fn check_scope(client: &Client, scope: Option<&str>) -> Result<Scope, OAuthError> {
    let Some(raw) = scope else { return Ok(Scope::empty()) };
    let scope = Scope::parse(raw).map_err(|_| OAuthError::new(ErrorCode::InvalidScope, "scope is malformed"))?;
    // Scopes that describe a user (the scope registry says which) are meaningless without one.
    if scope.needs_user() {
        return Err(OAuthError::new(ErrorCode::InvalidScope, "user scopes need a user"));
    }
    if !scope.is_subset_of(&client.scope) {
        return Err(OAuthError::new(ErrorCode::InvalidScope, "a scope is not allowed for this client")
            .with_detail(format!("asked {scope}, allowed {}", client.scope)));
    }
    Ok(scope)
}
