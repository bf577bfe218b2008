//! OpenID Connect Back-Channel Logout 1.0: the logout token (§2.4) and its delivery (§2.5) to every client that
//! signed in during an ended session. Used by every place that ends sessions: logout, a sign-in as another user,
//! and the CLI's password change.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::domain::{AuditEvent, Grant, Timestamp};
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
    keys: &KeyStore,
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
        // Back-Channel Logout §2.4: signed as the client's ID tokens are.
        let key = match keys.signer_for(record.client.id_token_signed_response_alg) {
            Ok(key) => key,
            Err(e) => {
                tracing::error!(error = %e, client_id = %grant.client_id, "no key to sign a logout token");
                continue;
            }
        };
        match logout_token(&key, issuer, grant.client_id.as_str(), &grant.user_id, grant.session_id.as_deref(), now) {
            Ok(token) => notices.push(LogoutNotice { client_id: grant.client_id.to_string(), uri, token }),
            Err(e) => tracing::error!(error = %e, "signing a logout token"),
        }
    }
    notices
}

/// Delivers logout tokens. A client registers its `backchannel_logout_uri`, so Tessera would POST wherever a
/// client says: only to https URIs on public addresses, resolved at send time (a host that resolves to loopback,
/// link-local or a private network is refused), unless `allow_private_networks` (development) lets http and
/// private targets through.
#[derive(Clone)]
pub struct Backchannel {
    allow_private_networks: bool,
    /// Where failed deliveries go as audit events (`backchannel_logout_failed`, which the integration doctor
    /// explains); the server sets it (`with_failure_log`), the CLI does not.
    failure_log: Option<FailureLog>,
}

/// Takes an audit event from a delivery task (on the async runtime: it must not block).
pub type FailureLog = Arc<dyn Fn(AuditEvent) + Send + Sync>;

impl std::fmt::Debug for Backchannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backchannel").field("allow_private_networks", &self.allow_private_networks).finish()
    }
}

impl Backchannel {
    pub fn new(allow_private_networks: bool) -> Backchannel {
        Backchannel { allow_private_networks, failure_log: None }
    }

    /// Records every client whose deliveries failed with `log` (one event per client and ending).
    pub fn with_failure_log(mut self, log: FailureLog) -> Backchannel {
        self.failure_log = Some(log);
        self
    }

    /// Signs the logout tokens for `grants` and sends them in the background, so the request that ended the sessions
    /// does not wait for the clients. A client that is down is logged, not retried. Needs a Tokio runtime (the
    /// server's); without one, nothing is sent.
    pub fn notify(&self, store: &impl ClientStore, keys: &KeyStore, issuer: &str, grants: &[Grant], now: Timestamp) {
        if grants.is_empty() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        for (client_id, notices) in by_client(logout_notices(store, keys, issuer, grants, now)) {
            let (allow, failure_log) = (self.allow_private_networks, self.failure_log.clone());
            runtime.spawn(async move {
                let uri = notices.first().map(|n| n.uri.clone()).unwrap_or_default();
                let mut failures = Vec::new();
                for notice in notices {
                    if let Err(reason) = deliver(allow, notice).await {
                        failures.push(reason);
                    }
                }
                if let (Some(log), Some(reason)) = (failure_log, failures.first()) {
                    let event = AuditEvent::new("backchannel_logout_failed", now).client(&client_id);
                    log(event.with("uri", &uri).with("reason", reason).with("sessions", failures.len().to_string()));
                }
            });
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
        let notices = logout_notices(store, keys, issuer, grants, now);
        if notices.is_empty() {
            return Ok(0);
        }
        let count = notices.len();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async {
            for notice in notices {
                // The outcome is in the log; the CLI prints how many clients it told.
                let _ = deliver(self.allow_private_networks, notice).await;
            }
        });
        Ok(count)
    }
}

/// Whether an address is reachable on the public internet: not loopback, private, link-local, shared (CGNAT),
/// benchmarking, reserved, unspecified, multicast or broadcast; an IPv6 address that carries an IPv4 one (mapped,
/// compatible, NAT64, 6to4) is judged by the IPv4 address inside.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            let shared = a == 100 && (64..128).contains(&b);
            let benchmarking = a == 198 && (b == 18 || b == 19);
            let reserved = a >= 240;
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || shared
                || benchmarking
                || reserved)
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let embedded =
                |high: u16, low: u16| Ipv4Addr::new((high >> 8) as u8, high as u8, (low >> 8) as u8, low as u8);
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            // ::a.b.c.d (IPv4-compatible, deprecated), 64:ff9b::/96 (NAT64), 2002::/16 (6to4).
            if s[..6] == [0; 6] || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return !v6.is_unspecified() && !v6.is_loopback() && is_public(IpAddr::V4(embedded(s[6], s[7])));
            }
            if s[0] == 0x2002 {
                return is_public(IpAddr::V4(embedded(s[1], s[2])));
            }
            let site_local = (s[0] & 0xffc0) == 0xfec0;
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || v6.is_unique_local()
                || v6.is_unicast_link_local()
                || site_local)
        }
    }
}

/// GETs a small document from a client's server (its `logo_uri`, its `jwks_uri`) under the same rules as a logout
/// token: the addresses of [`resolve_target`] only, no redirects, at most `timeout` in all. A non-2xx answer is
/// refused. Errors name `what` and the URI, for the operator.
pub async fn get_from_client(
    what: &str,
    uri: &str,
    allow_private_networks: bool,
    timeout: Duration,
) -> Result<reqwest::Response, String> {
    let refused = |reason: String| format!("{what} {uri:?}: {reason}");
    let (url, addresses) = resolve_target(uri, allow_private_networks).await.map_err(refused)?;
    let host = url.host_str().unwrap_or_default().to_owned();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .resolve_to_addrs(&host, &addresses)
        .build()
        .map_err(|e| refused(e.to_string()))?;
    let response = http.get(url).send().await.map_err(|e| refused(format!("fetching it failed: {e}")))?;
    if !response.status().is_success() {
        return Err(refused(format!("the server answered {} (redirects are not followed)", response.status())));
    }
    Ok(response)
}

/// The body of a [`get_from_client`] answer, refused as soon as it passes `max_bytes`.
pub async fn read_at_most(
    what: &str,
    uri: &str,
    mut response: reqwest::Response,
    max_bytes: usize,
) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| format!("{what} {uri:?}: reading it failed: {e}"))? {
        body.extend_from_slice(&chunk);
        if body.len() > max_bytes {
            return Err(format!("{what} {uri:?}: larger than {} KiB", max_bytes / 1024));
        }
    }
    Ok(body)
}

/// Where a logout token may go: the addresses the URI's host resolves to now, all public unless
/// `allow_private_networks`; https unless `allow_private_networks`.
pub async fn resolve_target(uri: &str, allow_private_networks: bool) -> Result<(Url, Vec<SocketAddr>), String> {
    let url = Url::parse(uri).map_err(|e| format!("not a URL: {e}"))?;
    if url.scheme() != "https" && !allow_private_networks {
        return Err("not https (http needs backchannel_logout_allow_private_networks)".into());
    }
    let host = url.host_str().ok_or("no host")?.trim_start_matches('[').trim_end_matches(']').to_owned();
    let port = url.port_or_known_default().ok_or("no port")?;
    let addresses: Vec<SocketAddr> =
        tokio::net::lookup_host((host.as_str(), port)).await.map_err(|e| format!("resolving {host}: {e}"))?.collect();
    if addresses.is_empty() {
        return Err(format!("{host} resolves to no address"));
    }
    if !allow_private_networks && let Some(private) = addresses.iter().find(|a| !is_public(a.ip())) {
        return Err(format!("{host} resolves to {} (loopback, link-local or private)", private.ip()));
    }
    Ok((url, addresses))
}

/// The notices grouped by client, in their order.
fn by_client(notices: Vec<LogoutNotice>) -> Vec<(String, Vec<LogoutNotice>)> {
    let mut groups: Vec<(String, Vec<LogoutNotice>)> = Vec::new();
    for notice in notices {
        match groups.iter_mut().find(|(client_id, _)| *client_id == notice.client_id) {
            Some((_, group)) => group.push(notice),
            None => groups.push((notice.client_id.clone(), vec![notice])),
        }
    }
    groups
}

/// POSTs one logout token (form parameter `logout_token`, §2.5) to the addresses checked just before, so the check
/// and the connection see the same resolution; the outcome goes to the log, and a failure's reason (no secret, no
/// token) to the caller.
async fn deliver(allow_private_networks: bool, notice: LogoutNotice) -> Result<(), String> {
    let client_id = notice.client_id;
    let (url, addresses) = match resolve_target(&notice.uri, allow_private_networks).await {
        Ok(target) => target,
        Err(reason) => {
            tracing::warn!(event = "backchannel_logout_refused", client_id = %client_id, %reason, "back-channel logout target refused");
            metrics::counter!("tessera_backchannel_deliveries_total", "outcome" => "refused_target").increment(1);
            return Err(format!("target refused: {reason}"));
        }
    };
    let host = url.host_str().unwrap_or_default().to_owned();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(5))
        .resolve_to_addrs(&host, &addresses)
        .build();
    let http = match http {
        Ok(http) => http,
        Err(e) => {
            tracing::error!(client_id = %client_id, error = %e, "back-channel logout client");
            return Err("no HTTP client".to_owned());
        }
    };
    match http.post(url).form(&[("logout_token", notice.token)]).send().await {
        Ok(response) if response.status().is_success() => {
            tracing::info!(event = "backchannel_logout_sent", client_id = %client_id, "logout token delivered");
            metrics::counter!("tessera_backchannel_deliveries_total", "outcome" => "delivered").increment(1);
            Ok(())
        }
        Ok(response) => {
            tracing::warn!(client_id = %client_id, status = %response.status(), "back-channel logout refused");
            metrics::counter!("tessera_backchannel_deliveries_total", "outcome" => "rejected").increment(1);
            Err(format!("HTTP {}", response.status().as_u16()))
        }
        Err(e) => {
            tracing::warn!(client_id = %client_id, error = %e, "back-channel logout failed");
            let outcome = if e.is_timeout() { "timeout" } else { "failed" };
            metrics::counter!("tessera_backchannel_deliveries_total", "outcome" => outcome).increment(1);
            Err(if e.is_timeout() {
                "timeout".to_owned()
            } else if e.is_connect() {
                "connection refused or unreachable".to_owned()
            } else {
                "request failed".to_owned()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_targets() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fc00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "::",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1::248", "::ffff:93.184.216.34"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[actix_web::test]
    async fn http_and_private_targets_are_refused_unless_allowed() {
        assert!(resolve_target("http://93.184.216.34/logout", false).await.unwrap_err().contains("https"));
        assert!(resolve_target("https://127.0.0.1/logout", false).await.unwrap_err().contains("loopback"));
        assert!(resolve_target("https://localhost:8443/logout", false).await.is_err());
        let (_, addresses) = resolve_target("http://127.0.0.1:9/logout", true).await.unwrap();
        assert_eq!(addresses, ["127.0.0.1:9".parse().unwrap()]);
    }
}
