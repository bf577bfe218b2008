//! OpenID Connect Back-Channel Logout 1.0: the logout token (§2.4) and its delivery (§2.5) to every client that
//! signed in during an ended session. Used by every place that ends sessions: logout, a sign-in as another user,
//! and the CLI's password change.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::domain::{Grant, Timestamp};
use crate::keys::{JwtError, KeyStore, SigningKey, sign_jwt};
use crate::storage::ClientStore;

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
    grants: &[Grant],
    now: Timestamp,
) -> Vec<LogoutNotice> {
    let mut seen = std::collections::HashSet::new();
    let mut notices = Vec::new();
    for grant in grants {
        if !seen.insert((grant.client_id.clone(), grant.session_id.clone())) {
            continue;
        }
        let Ok(Some(record)) = store.find_client(grant.client_id.as_str()) else { continue };
        let Some(uri) = record.client.backchannel_logout_uri else { continue };
        match logout_token(key, issuer, grant.client_id.as_str(), &grant.user_id, grant.session_id.as_deref(), now) {
            Ok(token) => notices.push(LogoutNotice { client_id: grant.client_id.to_string(), uri, token }),
            Err(e) => tracing::error!(error = %e, "signing a logout token"),
        }
    }
    notices
}

/// Delivers logout tokens: one HTTP client (no redirects followed, short timeouts) per process.
#[derive(Debug, Clone)]
pub struct Backchannel {
    http: reqwest::Client,
}

impl Backchannel {
    pub fn new() -> Result<Backchannel, reqwest::Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(5))
            .build()?;
        Ok(Backchannel { http })
    }

    /// Signs the logout tokens for `grants` and sends them in the background, so the request that ended the sessions
    /// does not wait for the clients. A client that is down is logged, not retried. Needs a Tokio runtime (the
    /// server's); without one, nothing is sent.
    pub fn notify(&self, store: &impl ClientStore, keys: &KeyStore, issuer: &str, grants: &[Grant], now: Timestamp) {
        if grants.is_empty() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        for notice in logout_notices(store, &keys.signer(), issuer, grants, now) {
            runtime.spawn(deliver(self.http.clone(), notice));
        }
    }

    /// Signs and sends the logout tokens for `grants`, waiting for every delivery (the CLI, which exits right after);
    /// returns how many clients were notified.
    pub fn notify_and_wait(
        &self,
        store: &impl ClientStore,
        keys: &KeyStore,
        issuer: &str,
        grants: &[Grant],
        now: Timestamp,
    ) -> std::io::Result<usize> {
        let notices = logout_notices(store, &keys.signer(), issuer, grants, now);
        if notices.is_empty() {
            return Ok(0);
        }
        let count = notices.len();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async {
            for notice in notices {
                deliver(self.http.clone(), notice).await;
            }
        });
        Ok(count)
    }
}

/// POSTs one logout token (form parameter `logout_token`, §2.5); the outcome goes to the log.
async fn deliver(http: reqwest::Client, notice: LogoutNotice) {
    let client_id = notice.client_id;
    match http.post(&notice.uri).form(&[("logout_token", notice.token)]).send().await {
        Ok(response) if response.status().is_success() => {
            tracing::info!(event = "backchannel_logout_sent", client_id = %client_id, "logout token delivered");
        }
        Ok(response) => {
            tracing::warn!(client_id = %client_id, status = %response.status(), "back-channel logout refused")
        }
        Err(e) => tracing::warn!(client_id = %client_id, error = %e, "back-channel logout failed"),
    }
}
