//! `grant_type=refresh_token`, RFC 6749 §6, with rotation and reuse detection (RFC 9700 §4.14.2).

use super::{Issuance, TokenPolicy, TokenResponse, TokenStore, new_refresh_token, respond};
use crate::domain::{Client, Scope};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::keys::KeyStore;
use crate::secrets::token_hash;
use crate::storage::{RefreshTokenRecord, Timestamp};

pub(super) fn refresh(
    store: &impl TokenStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    client: &Client,
    refresh_token: &str,
    scope: Option<&str>,
    now: Timestamp,
) -> Result<TokenResponse, Failure> {
    let old_hash = token_hash(refresh_token);
    let record = store.find_refresh_token(&old_hash)?.ok_or_else(|| invalid_refresh("unknown refresh token"))?;
    check_issued_to(&record, client)?;
    check_not_reused(store, &record, now)?;
    check_live(&record, now)?;
    let scope = check_scope(&record, scope)?;
    let successor = new_refresh_token(policy, now);
    if !store.rotate_refresh_token(&old_hash, &record.grant.id, successor.as_new(), now)? {
        // Another request rotated it between our read and our write: treat as reuse.
        store.revoke_grant(&record.grant.id, now)?;
        return Err(invalid_refresh("refresh token rotated concurrently").into());
    }
    // OpenID Connect Core §12.2: the new ID token keeps auth_time and carries no nonce.
    let issuance = Issuance { grant: &record.grant, scope: &scope, nonce: None, refresh_token: Some(successor) };
    respond(store, keys, policy, issuance, now)
}

fn invalid_refresh(detail: &str) -> OAuthError {
    OAuthError::invalid_grant("invalid refresh token").with_detail(detail.to_owned())
}

/// RFC 6749 §6: "validate the refresh token and ensure that it was issued to the authenticated client".
fn check_issued_to(record: &RefreshTokenRecord, client: &Client) -> Result<(), OAuthError> {
    if record.grant.client_id != client.id.as_str() {
        return Err(invalid_refresh("refresh token issued to another client"));
    }
    Ok(())
}

/// RFC 9700 §4.14.2: a rotated refresh token presented again means one of two parties holds a stolen copy;
/// the authorization server "revokes the active refresh token" — the whole grant goes.
fn check_not_reused(store: &impl TokenStore, record: &RefreshTokenRecord, now: Timestamp) -> Result<(), Failure> {
    if record.rotated {
        store.revoke_grant(&record.grant.id, now)?;
        tracing::warn!(event = "refresh_token_reuse_detected", client_id = %record.grant.client_id, "refresh token reused; grant revoked");
        return Err(invalid_refresh("refresh token already rotated").into());
    }
    Ok(())
}

fn check_live(record: &RefreshTokenRecord, now: Timestamp) -> Result<(), OAuthError> {
    if record.grant.revoked {
        return Err(invalid_refresh("grant revoked"));
    }
    if record.expires_at <= now {
        return Err(invalid_refresh("refresh token expired"));
    }
    Ok(())
}

/// RFC 6749 §6: the requested scope "MUST NOT include any scope not originally granted".
fn check_scope(record: &RefreshTokenRecord, requested: Option<&str>) -> Result<String, OAuthError> {
    let Some(requested) = requested else { return Ok(record.grant.scope.clone()) };
    let invalid = || OAuthError::new(ErrorCode::InvalidScope, "scope exceeds the original grant");
    let requested = Scope::parse(requested).map_err(|_| invalid())?;
    let granted = Scope::parse(&record.grant.scope).map_err(|_| invalid())?;
    if !requested.is_subset_of(&granted) {
        return Err(invalid());
    }
    Ok(requested.to_string())
}
