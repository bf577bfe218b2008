//! The lifetimes and audience the token endpoint issues with, from the settings and the client's registration.

use crate::domain::Client;

/// Settings the token endpoint needs, copied out of [`crate::config::Settings`].
#[derive(Debug, Clone)]
pub struct TokenPolicy {
    pub issuer: String,
    pub access_token_audience: String,
    pub access_token_ttl_secs: i64,
    pub id_token_ttl_secs: i64,
    pub refresh_token_ttl_secs: i64,
    /// How long a just-rotated refresh token still yields the same successor (RFC 9700 §4.14.2 leaves room for it).
    pub refresh_token_reuse_grace_secs: i64,
}

impl TokenPolicy {
    /// The policy with the client's own token lifetimes, where it has them.
    pub fn for_client(&self, client: &Client) -> TokenPolicy {
        TokenPolicy {
            access_token_ttl_secs: client.access_token_ttl_secs.unwrap_or(self.access_token_ttl_secs),
            refresh_token_ttl_secs: client.refresh_token_ttl_secs.unwrap_or(self.refresh_token_ttl_secs),
            ..self.clone()
        }
    }
}
