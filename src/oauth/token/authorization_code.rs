//! `grant_type=authorization_code`, RFC 6749 §4.1.3, with PKCE (RFC 7636 §4.6).

use super::audience;
use super::issue::{Issuance, TokenResponse, TokenStore, check_grant_key, holder_of, new_refresh_token, respond};
use super::policy::TokenPolicy;
use crate::domain::{AuthorizationCode, Client, Timestamp};
use crate::error::{Failure, OAuthError};
use crate::keys::KeyStore;
use crate::oauth::pkce;
use crate::secrets::token_hash;

/// The parameters of RFC 6749 §4.1.3 (plus `code_verifier`, RFC 7636 §4.5, and `resource`, RFC 8707 §2.2).
pub(super) struct CodeExchange<'a> {
    pub code: &'a str,
    pub redirect_uri: Option<&'a str>,
    pub code_verifier: Option<&'a str>,
    pub resource: Option<&'a str>,
}

pub(super) fn exchange(
    store: &impl TokenStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    client: &Client,
    request: CodeExchange<'_>,
    now: Timestamp,
) -> Result<TokenResponse, Failure> {
    let CodeExchange { code, redirect_uri, code_verifier, resource } = request;
    let code_hash = token_hash(code);
    let record = store.find_code(&code_hash)?.ok_or_else(|| invalid_code("unknown code"))?;
    check_not_reused(store, &record, now)?;
    check_not_expired(&record, now)?;
    check_issued_to(&record, client)?;
    check_redirect_uri(&record, redirect_uri)?;
    check_pkce(&record, code_verifier)?;
    let user = holder_of(store, &record.grant, USER_DISABLED)?;
    let audience = audience::of_grant(store, &record.grant, resource, &record.grant.scope)?;
    check_grant_key(store, policy, client, &record.grant)?;
    // Single use, decided by one conditional UPDATE: of concurrent redemptions exactly one gets here.
    if !store.redeem_code(&code_hash, now)? {
        store.revoke_grant(&record.grant.id, now)?;
        return Err(OAuthError::invalid_grant(CODE_USED)
            .with_detail("code redeemed concurrently; grant revoked")
            .into());
    }
    let refresh = new_refresh_token(policy, &record.grant, now);
    store.store_refresh_token(&record.grant.id, refresh.as_new(), now)?;
    let issuance = Issuance {
        grant: &record.grant,
        user: &user,
        client,
        scope: &record.grant.scope,
        audience,
        nonce: record.grant.nonce.as_deref(),
        refresh_token: Some(refresh),
    };
    respond(store, keys, policy, issuance, now)
}

/// The wire message for a code that does not exist or belongs to another client: one message for both, so a caller
/// cannot probe which codes exist. The other refusals name their reason (fixed texts below): they tell the caller
/// nothing about codes it does not already hold, and they tell the developer what to fix.
fn invalid_code(detail: &str) -> OAuthError {
    OAuthError::invalid_grant("invalid authorization code").with_detail(detail.to_owned())
}

pub const CODE_USED: &str = "authorization code already used";
pub const CODE_EXPIRED: &str = "authorization code expired";
pub const REDIRECT_URI_MISMATCH: &str = "redirect_uri does not match the authorization request";
pub const PKCE_MISMATCH: &str = "code_verifier does not match the code_challenge";
pub const USER_DISABLED: &str = "the user's account is disabled";

/// RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization server MUST deny the
/// request and SHOULD revoke (when possible) all tokens previously issued based on that authorization code."
fn check_not_reused(store: &impl TokenStore, record: &AuthorizationCode, now: Timestamp) -> Result<(), Failure> {
    if record.used || record.grant.revoked {
        store.revoke_grant(&record.grant.id, now)?;
        tracing::warn!(event = "code_reuse_detected", client_id = %record.grant.client_id, "authorization code reused; grant revoked");
        return Err(OAuthError::invalid_grant(CODE_USED).with_detail("code already used; grant revoked").into());
    }
    Ok(())
}

fn check_not_expired(record: &AuthorizationCode, now: Timestamp) -> Result<(), OAuthError> {
    if record.expires_at <= now {
        return Err(OAuthError::invalid_grant(CODE_EXPIRED)
            .with_detail(format!("code expired {} s ago", now - record.expires_at)));
    }
    Ok(())
}

/// RFC 6749 §4.1.3: "ensure that the authorization code was issued to the authenticated confidential client, or
/// if the client is public, ensure that the code was issued to client_id in the request".
fn check_issued_to(record: &AuthorizationCode, client: &Client) -> Result<(), OAuthError> {
    if record.grant.client_id != client.id {
        return Err(invalid_code("code issued to another client"));
    }
    Ok(())
}

/// RFC 6749 §4.1.3: redirect_uri is REQUIRED if it was included in the authorization request (always, for
/// OpenID Connect), "and their values MUST be identical".
fn check_redirect_uri(record: &AuthorizationCode, redirect_uri: Option<&str>) -> Result<(), OAuthError> {
    match redirect_uri {
        Some(uri) if uri == record.redirect_uri => Ok(()),
        Some(uri) => {
            let sent: String = uri.chars().take(300).collect();
            Err(OAuthError::invalid_grant(REDIRECT_URI_MISMATCH)
                .with_detail(format!("redirect_uri {sent:?}, the authorization request had {:?}", record.redirect_uri)))
        }
        None => Err(OAuthError::invalid_request("redirect_uri is missing")),
    }
}

/// RFC 7636 §4.6 and RFC 9700 §2.1.1: a challenge requires a matching verifier; a verifier without a challenge is
/// refused too (it signals a downgrade or injection).
fn check_pkce(record: &AuthorizationCode, code_verifier: Option<&str>) -> Result<(), OAuthError> {
    match (&record.code_challenge, code_verifier) {
        (Some(challenge), Some(verifier)) => {
            if pkce::verify(challenge, verifier) {
                Ok(())
            } else {
                Err(OAuthError::invalid_grant(PKCE_MISMATCH).with_detail("PKCE verification failed"))
            }
        }
        (Some(_), None) => Err(OAuthError::invalid_grant("code_verifier is missing")),
        (None, Some(_)) => Err(OAuthError::invalid_grant("code_verifier sent but no code_challenge was")),
        (None, None) => Ok(()),
    }
}
