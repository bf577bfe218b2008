//! Grants and what hangs off them: one authorization of a client by a user, its authorization code and its
//! refresh tokens. Revoking the grant ends them all.

use super::claims_request::ClaimsRequest;
use super::client::ClientId;
use super::pkce::CodeChallenge;
use super::resource::ResourceId;
use super::scope::{OFFLINE_ACCESS, Scope};
use super::session::AuthenticationMethod;
use super::time::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: String,
    /// The user's subject.
    pub user_id: String,
    pub client_id: ClientId,
    pub scope: Scope,
    pub nonce: Option<String>,
    pub auth_time: Timestamp,
    pub revoked: bool,
    /// The `sid` of the browser session the grant was made in.
    pub session_id: Option<String>,
    /// The `claims` request parameter the grant was issued with.
    pub claims: ClaimsRequest,
    /// The API its access tokens are for (RFC 8707); none: the default audience.
    pub resource: Option<ResourceId>,
    /// When the grant ends whatever happens (its refresh tokens stop); none for grants made before this existed.
    pub expires_at: Option<Timestamp>,
    /// The methods the user proved when the grant was made (RFC 8176), for its ID tokens' `amr` and `acr`.
    pub methods: Vec<AuthenticationMethod>,
    /// RFC 9449: the JWK thumbprint of the DPoP key the grant is bound to (§10 `dpop_jkt` at the authorization
    /// request; §5 a public client's refresh tokens); none: not bound.
    pub dpop_jkt: Option<String>,
}

impl Grant {
    /// OpenID Connect Core §11: a grant with offline_access outlives the session it was made in.
    pub fn is_offline(&self) -> bool {
        self.scope.contains(OFFLINE_ACCESS)
    }

    /// Whether the grant has reached its absolute end.
    pub fn has_expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|end| end <= now)
    }
}

/// An authorization code (RFC 6749 §4.1.2), bound through its grant to client, user, scope and nonce, and itself
/// to the redirect URI and the PKCE challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationCode {
    pub grant: Grant,
    pub redirect_uri: String,
    pub code_challenge: Option<CodeChallenge>,
    pub expires_at: Timestamp,
    pub used: bool,
}

/// A refresh token (RFC 6749 §6); rotated at every use (RFC 9700 §4.14.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshToken {
    pub grant: Grant,
    pub expires_at: Timestamp,
    /// When it was exchanged for its successor, if it was.
    pub rotated_at: Option<Timestamp>,
}
