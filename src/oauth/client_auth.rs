//! Client authentication at the token endpoint, RFC 6749 §2.3 and §3.2.1.
//!
//! Methods: client_secret_basic, client_secret_post and none (public clients, RFC 6749 §2.1 / RFC 7636).

use crate::domain::AuditEvent;
use crate::domain::{AuthMethod, Client, ClientKind, Timestamp};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::oauth::audit::record;
use crate::secrets::{constant_time_eq, token_hash};
use crate::storage::{AuditLog, ClientStore};

/// How the client presented itself, as extracted from the request (at most one method, RFC 6749 §2.3).
#[derive(Clone, PartialEq, Eq)]
pub enum ClientCredentials {
    /// `Authorization: Basic`, id and secret already form-decoded (RFC 6749 §2.3.1).
    Basic { client_id: String, secret: String },
    /// `client_id` and `client_secret` in the body.
    Post { client_id: String, secret: String },
    /// Only `client_id` in the body: a public client.
    None { client_id: String },
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientCredentials::Basic { client_id, .. } => write!(f, "Basic({client_id}, <redacted>)"),
            ClientCredentials::Post { client_id, .. } => write!(f, "Post({client_id}, <redacted>)"),
            ClientCredentials::None { client_id } => write!(f, "None({client_id})"),
        }
    }
}

impl ClientCredentials {
    pub fn client_id(&self) -> &str {
        match self {
            ClientCredentials::Basic { client_id, .. }
            | ClientCredentials::Post { client_id, .. }
            | ClientCredentials::None { client_id } => client_id,
        }
    }
}

/// `invalid_client`; the HTTP layer adds the `WWW-Authenticate` challenge (RFC 6749 §5.2).
fn invalid_client(detail: &str) -> OAuthError {
    OAuthError::new(ErrorCode::InvalidClient, "client authentication failed").with_detail(detail.to_owned())
}

/// Authenticates the client. Every failure is the same `invalid_client` on the wire, so the response does not
/// tell an unknown client from a wrong secret.
///
/// Nothing throttles it: a client secret is 256 random bits that no burst of guesses can find, while a lock would
/// let anyone who shares the real client's address (a NAT, the reverse proxy) lock it out. So a correct secret
/// always authenticates, and a failure is logged with the caller's address `source`, never stored.
///
/// After `tessera client rotate-secret --overlap-secs N`, the previous secret works too until `now` passes its end.
pub fn authenticate_client(
    store: &(impl ClientStore + AuditLog),
    credentials: &ClientCredentials,
    source: &str,
    now: Timestamp,
) -> Result<Client, Failure> {
    let result = check_credentials(store, credentials, now);
    if let Err(Failure::OAuth(e)) = &result {
        tracing::warn!(
            event = "client_authentication_failed",
            client_id = %credentials.client_id(),
            source,
            reason = e.detail.as_deref().unwrap_or(""),
            "client authentication failed"
        );
        let method = match credentials {
            ClientCredentials::Basic { .. } => AuthMethod::ClientSecretBasic,
            ClientCredentials::Post { .. } => AuthMethod::ClientSecretPost,
            ClientCredentials::None { .. } => AuthMethod::None,
        };
        let event =
            AuditEvent::new("client_authentication_failed", now).client(credentials.client_id()).address(source);
        record(store, event.with("reason", e.detail.as_deref().unwrap_or("")).with("method", method.as_str()));
    }
    result
}

fn check_credentials(
    store: &impl ClientStore,
    credentials: &ClientCredentials,
    now: Timestamp,
) -> Result<Client, Failure> {
    let record = store.find_client(credentials.client_id())?.ok_or_else(|| invalid_client("unknown client_id"))?;
    // A client registered with one token_endpoint_auth_method may not use another (OpenID Connect Core §9).
    let used = match credentials {
        ClientCredentials::Basic { .. } => AuthMethod::ClientSecretBasic,
        ClientCredentials::Post { .. } => AuthMethod::ClientSecretPost,
        ClientCredentials::None { .. } => AuthMethod::None,
    };
    if record.client.auth_method.is_some_and(|registered| registered != used) {
        return Err(invalid_client("authentication method differs from the registered one").into());
    }
    match (credentials, record.client.kind, &record.secret_hash) {
        (
            ClientCredentials::Basic { secret, .. } | ClientCredentials::Post { secret, .. },
            ClientKind::Confidential,
            Some(expected),
        ) => {
            // Secrets are 256-bit random values stored as SHA-256; comparing the hashes in constant time reveals
            // nothing about the secret. Both comparisons always run (`|`, not `||`), so the time does not tell
            // which secret matched, or whether a previous one exists.
            let presented = token_hash(secret);
            let current = constant_time_eq(presented.as_bytes(), expected.as_bytes());
            let previous = record.previous_secret.as_ref().filter(|p| now < p.expires_at);
            let previous_hash = previous.map_or(expected.as_bytes(), |p| p.hash.as_bytes());
            let matches_previous = constant_time_eq(presented.as_bytes(), previous_hash) && previous.is_some();
            if current | matches_previous {
                Ok(record.client)
            } else {
                Err(invalid_client("wrong client secret").into())
            }
        }
        (ClientCredentials::None { .. }, ClientKind::Public, _) => Ok(record.client),
        (ClientCredentials::None { .. }, ClientKind::Confidential, _) => {
            Err(invalid_client("confidential client sent no secret").into())
        }
        _ => Err(invalid_client("public client sent a secret, or the client has no secret").into()),
    }
}
