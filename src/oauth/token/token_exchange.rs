//! `grant_type=urn:ietf:params:oauth:grant-type:token-exchange`, RFC 8693: a client registered for it exchanges an
//! access token of ours (the subject token) for one to another resource, with the same scope or a narrower one. With
//! an `actor_token` (also one of ours), the new token says who acts for the subject (`act`, §4.1: delegation).
//!
//! The new token stays bound to the subject token's grant (its jti names that grant), so revoking the grant or the
//! session it came from ends the exchanged token too; it never outlives the subject token.

use super::audience::Audience;
use super::issue::{TokenResponse, TokenStore, issue_access_token_with};
use super::policy::TokenPolicy;
use crate::domain::{Client, ClientKind, Scope, Timestamp};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::keys::KeyStore;
use crate::oauth::access_token::{AccessTokenClaims, Standing, grant_of, standing, verify_access_token};
use crate::oauth::resource::{check_resource, scope_for_audience};

/// RFC 8693 §3: the token type identifier of an OAuth 2.0 access token, the only kind exchanged and issued here.
pub const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";

/// What a token exchange request carries (RFC 8693 §2.1).
pub(super) struct Exchange<'a> {
    pub subject_token: &'a str,
    pub subject_token_type: &'a str,
    pub actor_token: Option<&'a str>,
    pub actor_token_type: Option<&'a str>,
    pub requested_token_type: Option<&'a str>,
    pub scope: Option<&'a str>,
    pub resource: Option<&'a str>,
    pub audience: Option<&'a str>,
}

/// RFC 8693 §2.2.2: "If the request itself is not valid or if either the subject_token or actor_token are invalid
/// for any reason, or are unacceptable based on policy, the invalid_request error code MUST be used."
fn invalid(description: &'static str, detail: impl Into<String>) -> Failure {
    OAuthError::invalid_request(description).with_detail(detail.into()).into()
}

pub(super) fn exchange(
    store: &impl TokenStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    client: &Client,
    request: Exchange<'_>,
    now: Timestamp,
) -> Result<TokenResponse, Failure> {
    // The exchanging party is a service acting with the token it was given: it must prove who it is.
    if client.kind != ClientKind::Confidential {
        return Err(OAuthError::new(ErrorCode::UnauthorizedClient, "token exchange needs a confidential client").into());
    }
    if request.subject_token_type != ACCESS_TOKEN_TYPE {
        return Err(invalid("unsupported subject_token_type", request.subject_token_type));
    }
    if request.requested_token_type.is_some_and(|t| t != ACCESS_TOKEN_TYPE) {
        return Err(invalid("unsupported requested_token_type", request.requested_token_type.unwrap_or_default()));
    }
    let resources = store.list_resources()?;
    let mut audiences: Vec<&str> = vec![policy.access_token_audience.as_str()];
    audiences.extend(resources.iter().map(|r| r.id.as_str()));
    let subject = live_token(store, keys, policy, &audiences, request.subject_token, now, "subject_token")?;
    let actor = match (request.actor_token, request.actor_token_type) {
        (None, None) => None,
        (Some(token), Some(ACCESS_TOKEN_TYPE)) => {
            Some(live_token(store, keys, policy, &audiences, token, now, "actor_token")?)
        }
        // §2.1: actor_token_type "is REQUIRED when the actor_token parameter is present ... and MUST NOT be included
        // otherwise".
        (Some(_), _) => return Err(invalid("unsupported or missing actor_token_type", "actor")),
        (None, Some(_)) => return Err(invalid("actor_token_type without actor_token", "actor")),
    };
    // §2.1 `resource` and `audience`: where the new token is for. Tessera's audiences are its resources (RFC 8707)
    // and the default audience; anything else is §2.2.2's invalid_target.
    if request.resource.is_some() && request.audience.is_some_and(|a| Some(a) != request.resource) {
        return Err(OAuthError::new(ErrorCode::InvalidTarget, "resource and audience name different targets").into());
    }
    let target = match request.resource.or(request.audience) {
        Some(raw) if raw == policy.access_token_audience => None,
        raw => check_resource(raw, &resources)?,
    };
    // §2.1 scope: equal to or narrower than the subject token's; without one, the subject token's scope.
    let subject_scope = Scope::parse(&subject.scope).unwrap_or_else(|_| Scope::empty());
    let asked = match request.scope {
        Some(raw) => Scope::parse(raw).map_err(|_| OAuthError::new(ErrorCode::InvalidScope, "scope is malformed"))?,
        None => subject_scope.clone(),
    };
    if !asked.is_subset_of(&subject_scope) {
        return Err(OAuthError::new(ErrorCode::InvalidScope, "the scope is wider than the subject token's").into());
    }
    let audience = Audience { scope: scope_for_audience(&asked, target.as_ref(), &resources), resource: target };
    let policy = policy.for_audience(audience.resource.as_ref());
    let scope = audience.scope.to_string();
    // §4.1 `act`: the actor, with the chain of earlier actors nested inside (the actor token's own `act`).
    let act = actor.map(|a| match a.act {
        Some(earlier) => serde_json::json!({ "sub": a.sub, "act": earlier }),
        None => serde_json::json!({ "sub": a.sub }),
    });
    let remaining = subject.exp - now;
    let ttl = policy.access_token_ttl_secs.min(remaining);
    let access_token = issue_access_token_with(
        keys,
        &TokenPolicy { access_token_ttl_secs: ttl, ..policy.clone() },
        &subject.sub,
        client.id.as_str(),
        &scope,
        grant_of(&subject.jti),
        subject.auth_time,
        None,
        act,
        now,
    )?;
    tracing::info!(event = "token_exchanged", client_id = %client.id, subject_client = %subject.client_id, "token exchanged");
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: ttl,
        refresh_token: None,
        id_token: None,
        scope,
        issued_token_type: Some(ACCESS_TOKEN_TYPE),
    })
}

/// An access token of ours that verifies (signature, issuer, one of our audiences, not expired) and still stands.
#[allow(clippy::too_many_arguments)] // the token, where it may be for, and what to call it in the log
fn live_token(
    store: &impl TokenStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    audiences: &[&str],
    token: &str,
    now: Timestamp,
    what: &'static str,
) -> Result<AccessTokenClaims, Failure> {
    let claims = verify_access_token(keys, token, &policy.issuer, audiences, now)
        .map_err(|e| invalid("the token is invalid or has expired", format!("{what}: {e}")))?;
    match standing(store, &claims, now)? {
        Standing::Live(_) => Ok(claims),
        Standing::Dead(why) => Err(invalid("the token is invalid or has expired", format!("{what}: {why}"))),
    }
}
