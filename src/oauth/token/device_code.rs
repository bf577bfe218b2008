//! `grant_type=urn:ietf:params:oauth:grant-type:device_code`, RFC 8628 §3.4 and §3.5: the device polls with its
//! device code until the person at `/device` approves or denies, or the code expires; an approval is redeemed once.

use super::audience;
use super::issue::{Issuance, TokenResponse, TokenStore, check_grant_key, holder_of, new_refresh_token, respond};
use super::policy::TokenPolicy;
use crate::domain::{Client, Timestamp};
use crate::error::{ErrorCode, Failure, InternalError, OAuthError};
use crate::keys::KeyStore;
use crate::oauth::authorize::SLOW_DOWN_SECS;
use crate::secrets::token_hash;
use crate::storage::{DeviceRecord, DeviceStore};

pub(super) fn exchange(
    store: &(impl TokenStore + DeviceStore),
    keys: &KeyStore,
    policy: &TokenPolicy,
    client: &Client,
    device_code: &str,
    now: Timestamp,
) -> Result<TokenResponse, Failure> {
    let device_code_hash = token_hash(device_code);
    // RFC 8628 §3.4 with RFC 6749 §5.2: a device code that is unknown or another client's is invalid_grant (one
    // answer for both: nothing to probe).
    let record = store
        .find_device_authorization(&device_code_hash)?
        .filter(|r| r.client_id == client.id.as_str())
        .ok_or_else(|| OAuthError::invalid_grant("invalid device code"))?;
    check_not_expired(&record, now)?;
    match record.status.as_str() {
        "pending" => Err(pending(store, &record, now)?.into()),
        // §3.5 access_denied: "The authorization request was denied."
        "denied" => Err(OAuthError::new(ErrorCode::DeviceAccessDenied, "the user denied the request").into()),
        "approved" => redeem(store, keys, policy, client, &record, now),
        // Redeemed before: a device code gives tokens once (RFC 6749 §4.1.2's rule for codes; the grant stands).
        _ => Err(OAuthError::invalid_grant("device code already used").into()),
    }
}

/// RFC 8628 §3.5 expired_token: "The "device_code" has expired".
fn check_not_expired(record: &DeviceRecord, now: Timestamp) -> Result<(), OAuthError> {
    if record.expires_at <= now {
        return Err(OAuthError::new(ErrorCode::ExpiredToken, "the device code has expired")
            .with_detail(format!("expired {} s ago", now - record.expires_at)));
    }
    Ok(())
}

/// RFC 8628 §3.5: authorization_pending while the person has not answered; slow_down for a poll that comes sooner
/// than the interval after the last, and then "the interval MUST be increased by 5 seconds for this and all
/// subsequent requests". The poll time and interval are kept in the database, so every node sees them.
fn pending(store: &impl DeviceStore, record: &DeviceRecord, now: Timestamp) -> Result<OAuthError, Failure> {
    let too_soon = record.last_polled_at.is_some_and(|last| now - last < record.interval_secs);
    let interval = if too_soon { record.interval_secs + SLOW_DOWN_SECS } else { record.interval_secs };
    store.record_device_poll(&record.device_code_hash, now, interval)?;
    Ok(if too_soon {
        OAuthError::new(ErrorCode::SlowDown, "polling too fast; wait longer between requests")
            .with_detail(format!("interval now {interval} s"))
    } else {
        OAuthError::new(ErrorCode::AuthorizationPending, "the user has not answered yet")
    })
}

/// The approved request's tokens, as the code flow issues them (an ID token when the scope has openid), once: one
/// conditional UPDATE decides which of concurrent polls redeems.
fn redeem(
    store: &(impl TokenStore + DeviceStore),
    keys: &KeyStore,
    policy: &TokenPolicy,
    client: &Client,
    record: &DeviceRecord,
    now: Timestamp,
) -> Result<TokenResponse, Failure> {
    let grant_id = record
        .grant_id
        .as_deref()
        .ok_or_else(|| InternalError::new("redeeming a device code", anyhow::anyhow!("approved without a grant")))?;
    let grant = store.find_grant(grant_id)?.ok_or_else(|| OAuthError::invalid_grant("the grant has ended"))?;
    if grant.revoked {
        return Err(OAuthError::invalid_grant("the grant has ended").into());
    }
    let user = holder_of(store, &grant, "the grant has ended")?;
    let audience = audience::of_grant(store, &grant, None, &grant.scope)?;
    check_grant_key(store, policy, client, &grant)?;
    if !store.redeem_device(&record.device_code_hash)? {
        return Err(OAuthError::invalid_grant("device code already used").into());
    }
    let refresh = new_refresh_token(policy, &grant, now);
    store.store_refresh_token(&grant.id, refresh.as_new(), now)?;
    let issuance = Issuance {
        grant: &grant,
        user: &user,
        client,
        scope: &grant.scope,
        audience,
        nonce: None,
        refresh_token: Some(refresh),
    };
    respond(store, keys, policy, issuance, now)
}
