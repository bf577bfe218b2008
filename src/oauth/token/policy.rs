//! What the token endpoint issues with: lifetimes, the audience, and the refresh grace, from the settings, the
//! client's registration and the resource the token is for.

use crate::domain::{Client, Resource, SigningAlg};

/// Settings the token endpoint needs, copied out of [`crate::config::Settings`].
#[derive(Debug, Clone)]
pub struct TokenPolicy {
    pub issuer: String,
    /// `aud` of access tokens for the default audience (RFC 9068 §3); a resource's tokens name the resource.
    pub access_token_audience: String,
    pub access_token_ttl_secs: i64,
    pub id_token_ttl_secs: i64,
    pub refresh_token_ttl_secs: i64,
    /// How long a just-rotated refresh token still yields the same successor (RFC 9700 §4.14.2 leaves room for it).
    pub refresh_token_reuse_grace_secs: i64,
    /// A browser session unused this long has ended, and its online grants with it.
    pub session_idle_secs: i64,
    /// The client's `id_token_signed_response_alg`; `None`, the server's first `signing_algs`.
    pub id_token_alg: Option<SigningAlg>,
    /// The resource's `access_token_signed_response_alg`; `None`, the server's first `signing_algs`.
    pub access_token_alg: Option<SigningAlg>,
    /// RFC 9449: the thumbprint of the DPoP key this request proved, which its access token is bound to (`cnf.jkt`).
    pub dpop_jkt: Option<String>,
    /// RFC 8693's grant is on (`token_exchange`).
    pub token_exchange: bool,
    /// RFC 8628's grant is on (`device_authorization`).
    pub device_code: bool,
}

impl TokenPolicy {
    /// The policy with the client's own token lifetimes and refresh grace, where it has them.
    pub fn for_client(&self, client: &Client) -> TokenPolicy {
        TokenPolicy {
            access_token_ttl_secs: client.access_token_ttl_secs.unwrap_or(self.access_token_ttl_secs),
            refresh_token_ttl_secs: client.refresh_token_ttl_secs.unwrap_or(self.refresh_token_ttl_secs),
            refresh_token_reuse_grace_secs: client
                .refresh_token_reuse_grace_secs
                .unwrap_or(self.refresh_token_reuse_grace_secs),
            id_token_alg: client.id_token_signed_response_alg,
            ..self.clone()
        }
    }

    /// The policy for access tokens to `resource` (RFC 8707): its indicator as the audience, and its lifetime when
    /// that is shorter.
    pub fn for_audience(&self, resource: Option<&Resource>) -> TokenPolicy {
        let Some(resource) = resource else { return self.clone() };
        TokenPolicy {
            access_token_audience: resource.id.to_string(),
            access_token_ttl_secs: resource
                .access_token_ttl_secs
                .map_or(self.access_token_ttl_secs, |ttl| ttl.min(self.access_token_ttl_secs)),
            access_token_alg: resource.access_token_signed_response_alg,
            ..self.clone()
        }
    }
}
