//! OpenID Connect RP-Initiated Logout 1.0 (the request) and Back-Channel Logout 1.0 (the logout token).

use serde::{Deserialize, Serialize};

use super::id_token::{IdTokenHint, verify_id_token_hint};
use crate::domain::Client;
use crate::error::{Failure, OAuthError};
use crate::keys::{JwtError, KeyStore, SigningKey, sign_jwt};
use crate::oauth::Params;
use crate::storage::{ClientStore, GrantRecord, Timestamp};

/// Back-Channel Logout §2.4: "the Logout Token MUST be explicitly typed" (RFC 8725 §3.11).
pub const LOGOUT_TOKEN_TYP: &str = "logout+jwt";
pub const BACKCHANNEL_LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// Back-Channel Logout §2.4 claims: iss, aud, iat, exp, jti, events, and sub and/or sid; never a nonce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogoutTokenClaims {
    pub iss: String,
    pub aud: String,
    pub iat: Timestamp,
    pub exp: Timestamp,
    pub jti: String,
    pub sub: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sid: Option<String>,
    pub events: serde_json::Value,
}

pub fn logout_token(
    key: &SigningKey,
    issuer: &str,
    client_id: &str,
    sub: &str,
    sid: Option<&str>,
    now: Timestamp,
) -> Result<String, JwtError> {
    let claims = LogoutTokenClaims {
        iss: issuer.to_owned(),
        aud: client_id.to_owned(),
        iat: now,
        exp: now + 120,
        jti: uuid::Uuid::new_v4().to_string(),
        sub: sub.to_owned(),
        sid: sid.map(str::to_owned),
        events: serde_json::json!({ BACKCHANNEL_LOGOUT_EVENT: {} }),
    };
    sign_jwt(key, LOGOUT_TOKEN_TYP, &claims)
}

/// A logout token to deliver to one client (Back-Channel Logout §2.5).
#[derive(Debug, Clone)]
pub struct LogoutNotice {
    pub client_id: String,
    pub uri: String,
    pub token: String,
}

/// One logout token per client and session among `grants`, for the clients that registered a
/// `backchannel_logout_uri`.
pub fn logout_notices(
    store: &impl ClientStore,
    key: &SigningKey,
    issuer: &str,
    grants: &[GrantRecord],
    now: Timestamp,
) -> Vec<LogoutNotice> {
    let mut seen = std::collections::HashSet::new();
    let mut notices = Vec::new();
    for grant in grants {
        if !seen.insert((grant.client_id.clone(), grant.session_id.clone())) {
            continue;
        }
        let Ok(Some(record)) = store.find_client(&grant.client_id) else { continue };
        let Some(uri) = record.client.backchannel_logout_uri else { continue };
        match logout_token(key, issuer, &grant.client_id, &grant.user_id, grant.session_id.as_deref(), now) {
            Ok(token) => notices.push(LogoutNotice { client_id: grant.client_id.clone(), uri, token }),
            Err(e) => tracing::error!(error = %e, "signing a logout token"),
        }
    }
    notices
}

/// A checked logout request.
#[derive(Debug, Clone)]
pub struct LogoutRequest {
    pub hint: Option<IdTokenHint>,
    /// The registered post-logout redirect URI to return to (with `state`), when one was asked for and matches.
    pub post_logout_redirect_uri: Option<String>,
    pub state: Option<String>,
    pub client: Option<Client>,
}

/// RP-Initiated Logout §2 and §3: every failure here is shown on our page, never redirected.
pub fn check_logout_request(
    store: &impl ClientStore,
    keys: &KeyStore,
    issuer: &str,
    params: &Params,
) -> Result<LogoutRequest, Failure> {
    let hint = params
        .get("id_token_hint")
        .map(|h| {
            verify_id_token_hint(keys, h, issuer).map_err(|e| {
                OAuthError::invalid_request("id_token_hint is not an ID token issued here").with_detail(e.to_string())
            })
        })
        .transpose()?;
    // §2: "When both client_id and id_token_hint are present, the OP MUST verify that the Client Identifier
    // matches the one used when issuing the ID Token."
    let client_id = match (params.get("client_id"), &hint) {
        (Some(id), Some(h)) if id != h.client_id => {
            return Err(OAuthError::invalid_request("client_id does not match the id_token_hint").into());
        }
        (Some(id), _) => Some(id.to_owned()),
        (None, Some(h)) => Some(h.client_id.clone()),
        (None, None) => None,
    };
    let client = match &client_id {
        Some(id) => Some(store.find_client(id)?.ok_or_else(|| OAuthError::invalid_request("unknown client"))?.client),
        None => None,
    };
    // §3: the URI "MUST have been previously registered with the OP" and is compared exactly.
    let post_logout_redirect_uri = match params.get("post_logout_redirect_uri") {
        None => None,
        Some(uri) => {
            let client = client.as_ref().ok_or_else(|| {
                OAuthError::invalid_request("post_logout_redirect_uri needs client_id or id_token_hint")
            })?;
            if !client.post_logout_redirect_uris.iter().any(|r| r.as_str() == uri) {
                return Err(OAuthError::invalid_request("post_logout_redirect_uri is not registered").into());
            }
            Some(uri.to_owned())
        }
    };
    Ok(LogoutRequest { hint, post_logout_redirect_uri, state: params.get("state").map(str::to_owned), client })
}
