//! `grant_type=refresh_token`, RFC 6749 §6, with rotation and reuse detection (RFC 9700 §4.14.2).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::audience;
use super::issue::{
    FreshRefreshToken, Issuance, TokenResponse, TokenStore, check_grant_key, check_holder, refresh_token_expiry,
    respond,
};
use super::policy::TokenPolicy;
use crate::domain::{AuditEvent, Client, ClientKind, RefreshToken, Scope, Timestamp};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::keys::KeyStore;
use crate::oauth::audit::record as record_audit;
use crate::secrets::{SecretString, token_hash};

/// The parameters of RFC 6749 §6 (plus `resource`, RFC 8707 §2.2).
pub(super) struct Refresh<'a> {
    pub refresh_token: &'a str,
    pub scope: Option<&'a str>,
    pub resource: Option<&'a str>,
}

pub(super) fn refresh(
    store: &impl TokenStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    client: &Client,
    request: Refresh<'_>,
    now: Timestamp,
) -> Result<TokenResponse, Failure> {
    let Refresh { refresh_token, scope, resource } = request;
    let old_hash = token_hash(refresh_token);
    let (record, holder) =
        store.find_refresh_token_and_holder(&old_hash)?.ok_or_else(|| invalid_refresh("unknown refresh token"))?;
    check_issued_to(&record, client)?;
    // RFC 9449 §5: only public clients' refresh tokens are bound to the key (a confidential client's are bound by
    // its authentication).
    if client.kind == ClientKind::Public {
        check_grant_key(store, policy, client, &record.grant)?;
    }
    check_live(&record, now)?;
    check_grant_live(store, policy, &record, now)?;
    // `tessera user disable`: the grants of a disabled account stop refreshing (and start again when it is enabled).
    let user = check_holder(Some(holder), &record.grant, "the user's account is disabled")?;
    check_allowed_groups(store, client, &record)?;
    let scope = check_scope(&record, scope)?;
    let audience = audience::of_grant(store, &record.grant, resource, &scope)?;
    let successor = successor_of(policy, &record, refresh_token, now);
    let rotated_now = record.rotated_at.is_none()
        && store.rotate_refresh_token(&old_hash, &record.grant.id, successor.as_new(), now)?;
    if !rotated_now {
        // Rotated before (known from our read), or by a concurrent request between our read and our write (read
        // again only then).
        let rotated_at = match record.rotated_at {
            Some(at) => at,
            None => store.find_refresh_token(&old_hash)?.and_then(|r| r.rotated_at).unwrap_or(now),
        };
        check_within_grace(store, policy, &record, &successor, rotated_at, now)?;
    }
    // OpenID Connect Core §12.2: the new ID token keeps auth_time and carries no nonce.
    let issuance = Issuance {
        grant: &record.grant,
        user: &user,
        client,
        scope: &scope,
        audience,
        nonce: None,
        refresh_token: Some(successor),
    };
    respond(store, keys, policy, issuance, now)
}

/// The successor of a refresh token is derived from it with a key only the server knows (the grant's id, never
/// sent anywhere), so every request presenting the same token within the grace window gets the same successor
/// without the server keeping any plaintext token.
fn successor_of(policy: &TokenPolicy, record: &RefreshToken, presented: &str, now: Timestamp) -> FreshRefreshToken {
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, record.grant.id.as_bytes());
    let tag = aws_lc_rs::hmac::sign(&key, presented.as_bytes());
    let value = SecretString::new(URL_SAFE_NO_PAD.encode(tag.as_ref()));
    let hash = token_hash(value.expose());
    FreshRefreshToken { value, hash, expires_at: refresh_token_expiry(policy, &record.grant, now) }
}

/// RFC 9700 §4.14.2: a rotated refresh token presented again means one of two parties holds a stolen copy; the
/// authorization server revokes the grant. Except within a short grace window after the rotation (two tabs of
/// one app refreshing at once): the same successor again, as long as that successor has not been used itself.
fn check_within_grace(
    store: &impl TokenStore,
    policy: &TokenPolicy,
    record: &RefreshToken,
    successor: &FreshRefreshToken,
    rotated_at: Timestamp,
    now: Timestamp,
) -> Result<(), Failure> {
    let successor_unused = store.find_refresh_token(&successor.hash)?.is_some_and(|s| s.rotated_at.is_none());
    let grace = policy.refresh_token_reuse_grace_secs;
    if grace > 0 && now - rotated_at <= grace && successor_unused {
        tracing::info!(event = "refresh_token_grace", client_id = %record.grant.client_id, "rotated refresh token reused within the grace window");
        return Ok(());
    }
    store.revoke_grant(&record.grant.id, now)?;
    tracing::warn!(event = "refresh_token_reuse_detected", client_id = %record.grant.client_id, "refresh token reused; grant revoked");
    let event = AuditEvent::new("refresh_token_reuse_detected", now).client(record.grant.client_id.as_str());
    record_audit(
        store,
        event
            .user(&record.grant.user_id)
            .with("reason", "a rotated refresh token was presented again; the grant was revoked"),
    );
    Err(invalid_refresh("refresh token already rotated").into())
}

fn invalid_refresh(detail: &str) -> OAuthError {
    OAuthError::invalid_grant("invalid refresh token").with_detail(detail.to_owned())
}

/// RFC 6749 §6: "validate the refresh token and ensure that it was issued to the authenticated client".
fn check_issued_to(record: &RefreshToken, client: &Client) -> Result<(), OAuthError> {
    if record.grant.client_id != client.id {
        return Err(invalid_refresh("refresh token issued to another client"));
    }
    Ok(())
}

fn check_live(record: &RefreshToken, now: Timestamp) -> Result<(), OAuthError> {
    if record.grant.revoked {
        return Err(invalid_refresh("grant revoked"));
    }
    if record.expires_at <= now {
        return Err(invalid_refresh("refresh token expired"));
    }
    if record.grant.has_expired(now) {
        return Err(invalid_refresh("grant expired"));
    }
    Ok(())
}

/// OpenID Connect Core §11: a grant without offline_access lives as long as the browser session it was made in.
/// The session must still be live (not past its absolute or idle end); a refresh counts as use of it, as the user
/// is still at the application. A session that has ended is refused here; ending it (maintenance, logout) revokes
/// its grants and tells their clients, once.
fn check_grant_live(
    store: &impl TokenStore,
    policy: &TokenPolicy,
    record: &RefreshToken,
    now: Timestamp,
) -> Result<(), Failure> {
    let grant = &record.grant;
    let Some(sid) = grant.session_id.as_deref().filter(|_| !grant.is_offline()) else { return Ok(()) };
    if store.touch_session(sid, now, now - policy.session_idle_secs)? {
        return Ok(());
    }
    Err(invalid_refresh("the browser session of this online grant has ended").into())
}

/// `client update --allowed-groups`: a user who is no longer in one of the client's groups (removed from it, or the
/// restriction added after the grant) cannot refresh: RFC 6749 §5.2 invalid_grant, the grant being no longer valid.
fn check_allowed_groups(store: &impl TokenStore, client: &Client, record: &RefreshToken) -> Result<(), Failure> {
    if client.allowed_groups.is_empty() || client.admits(&store.groups_of(&record.grant.user_id)?) {
        return Ok(());
    }
    Err(OAuthError::invalid_grant("the user may no longer use this client")
        .with_detail(format!("sub {} is in none of the client's allowed groups", record.grant.user_id))
        .into())
}

/// RFC 6749 §6: the requested scope "MUST NOT include any scope not originally granted".
fn check_scope(record: &RefreshToken, requested: Option<&str>) -> Result<Scope, OAuthError> {
    let Some(requested) = requested else { return Ok(record.grant.scope.clone()) };
    let invalid = || OAuthError::new(ErrorCode::InvalidScope, "scope exceeds the original grant");
    let requested = Scope::parse(requested).map_err(|_| invalid())?;
    if !requested.is_subset_of(&record.grant.scope) {
        return Err(invalid());
    }
    Ok(requested)
}
