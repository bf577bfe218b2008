//! Issuing the authorization code (RFC 6749 §4.1.2): 256 random bits, stored hashed, single use, bound to client,
//! redirect URI, PKCE challenge, nonce, scope, user and auth_time through its grant.

use super::redirect::{AuthorizationResponse, VerifiedRedirect};
use crate::domain::{Authentication, AuthorizationRequest, Grant, OFFLINE_ACCESS, Timestamp};
use crate::error::Failure;
use crate::oauth::provider::TransactionPolicy;
use crate::secrets::{random_token, token_hash};
use crate::storage::{GrantStore, NewCode};

/// Creates the grant and its code, and returns the response that carries the code to the client. An offline grant
/// lives `offline_grant_ttl_secs` at most; an online one no longer than a session can (and ends with its session).
pub fn issue_code(
    store: &impl GrantStore,
    request: &AuthorizationRequest,
    authentication: &Authentication,
    issuer: &str,
    policy: &TransactionPolicy,
    now: Timestamp,
) -> Result<AuthorizationResponse, Failure> {
    let code = random_token(32);
    let grant = grant_for(request, authentication, policy, now);
    let new_code = NewCode {
        code_hash: token_hash(code.expose()),
        redirect_uri: request.redirect_uri.clone(),
        code_challenge: request.code_challenge.clone(),
        expires_at: now + policy.authorization_code_ttl_secs,
    };
    store.issue_code(&grant, &new_code, now)?;
    Ok(VerifiedRedirect::of_request(request).respond(issuer, &[("code", code.expose())]))
}

/// The grant an approved request makes, a code's or a device's. An offline grant lives `offline_grant_ttl_secs` at
/// most; an online one no longer than a session can (and ends with its session).
pub fn grant_for(
    request: &AuthorizationRequest,
    authentication: &Authentication,
    policy: &TransactionPolicy,
    now: Timestamp,
) -> Grant {
    let grant_ttl =
        if request.scope.contains(OFFLINE_ACCESS) { policy.offline_grant_ttl_secs } else { policy.session_ttl_secs };
    Grant {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: authentication.user_id.clone(),
        client_id: request.client_id.clone(),
        scope: request.scope.clone(),
        nonce: request.nonce.clone(),
        auth_time: authentication.auth_time,
        revoked: false,
        session_id: authentication.session_id.clone(),
        claims: request.claims.clone(),
        resource: request.resource.clone(),
        expires_at: Some(now + grant_ttl),
        methods: authentication.methods.clone(),
        // RFC 9449 §10.1: the code (and so the grant) is bound to the key named at the authorization request.
        dpop_jkt: request.dpop_jkt.clone(),
    }
}
