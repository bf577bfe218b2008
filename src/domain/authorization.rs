//! An authorization request that passed both phases of the authorization endpoint (RFC 6749 §4.1.1, OpenID
//! Connect Core §3.1.2.1), typed: what is parked behind the login and consent pages and what a code is issued for.

use serde::{Deserialize, Serialize};

use super::claims_request::ClaimsRequest;
use super::client::ClientId;
use super::pkce::CodeChallenge;
use super::resource::ResourceId;
use super::scope::Scope;
use super::session::{ACR_MULTI_FACTOR, ACR_VALUES};
use super::time::Timestamp;

/// How the authorization response travels back (OAuth 2.0 Multiple Response Type Encoding Practices §2.1, OAuth 2.0
/// Form Post Response Mode).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    /// In the redirect URI's query (the default for the code flow).
    #[default]
    Query,
    /// As a form the browser POSTs to the redirect URI.
    FormPost,
}

/// OpenID Connect Core §3.1.2.1 `prompt`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prompt {
    pub none: bool,
    pub login: bool,
    pub consent: bool,
}

/// A validated authorization request. Stored as this JSON while it is parked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationRequest {
    pub client_id: ClientId,
    /// The redirect URI of the request, verified against the client's registration in phase 1.
    pub redirect_uri: String,
    pub state: Option<String>,
    #[serde(default)]
    pub response_mode: ResponseMode,
    /// Only supported scopes, always containing `openid`.
    pub scope: Scope,
    pub code_challenge: Option<CodeChallenge>,
    pub nonce: Option<String>,
    pub prompt: Prompt,
    pub max_age: Option<Timestamp>,
    pub login_hint: Option<String>,
    /// The subject of a verified `id_token_hint`, or of `sub` requested with a value in the `claims` parameter:
    /// the user the client expects to be signed in.
    #[serde(default)]
    pub expected_subject: Option<String>,
    /// The supported claims named in the `claims` parameter (OpenID Connect Core §5.5).
    #[serde(default, skip_serializing_if = "ClaimsRequest::is_empty")]
    pub claims: ClaimsRequest,
    /// The API the access tokens are for (RFC 8707 `resource`); none: the default audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceId>,
    /// OpenID Connect Core §3.1.2.1 `ui_locales`: the languages the user prefers for the pages, space-separated
    /// BCP 47 tags, best first. Kept as sent (bounded): only the pages read it, and an unknown tag is skipped there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui_locales: Option<String>,
    /// What the request asks of the authentication's strength (`acr_values`, an `acr` in the `claims` parameter).
    #[serde(default, skip_serializing_if = "AcrRequest::is_any")]
    pub acr: AcrRequest,
    /// A device authorization request (RFC 8628 §3.3) entered at `/device`: the hash of its device code. The
    /// sign-in and consent steps are the same; the outcome goes to the device's row, not to a redirect URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// RFC 9449 §10 `dpop_jkt`: the thumbprint of the DPoP key the code may only be redeemed with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpop_jkt: Option<String>,
}

/// The authentication level a request asks for: OpenID Connect Core §3.1.2.1 `acr_values` ("in order of
/// preference", voluntary) and §5.5.1.1 an `acr` claim requested in the ID token, maybe essential.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcrRequest {
    /// Nothing asked, or the single-factor level preferred.
    #[default]
    Any,
    /// Multi-factor preferred: a session without it steps up; a user without a second factor still signs in.
    MultiFactor,
    /// Multi-factor essential (§5.5.1.1: "MUST treat that as a failed authentication attempt" if it cannot be
    /// satisfied): a user without a second factor cannot sign in.
    MultiFactorEssential,
}

impl AcrRequest {
    pub fn is_any(&self) -> bool {
        *self == AcrRequest::Any
    }

    /// From the `acr_values` parameter and the `acr` member of the `claims` parameter's `id_token` (its `value`
    /// or `values`, and `essential`). The first supported value in the order given decides; values Tessera does not
    /// issue are skipped (voluntary), so a request naming none of ours asks nothing.
    pub fn from_request(acr_values: Option<&str>, claim: Option<(Vec<String>, bool)>) -> AcrRequest {
        fn first_supported<'a>(mut values: impl Iterator<Item = &'a str>) -> Option<bool> {
            values.find(|v| ACR_VALUES.contains(v)).map(|v| v == ACR_MULTI_FACTOR)
        }
        if let Some((values, essential)) = claim
            && first_supported(values.iter().map(String::as_str)) == Some(true)
        {
            return if essential { AcrRequest::MultiFactorEssential } else { AcrRequest::MultiFactor };
        }
        match acr_values.and_then(|v| first_supported(v.split(' '))) {
            Some(true) => AcrRequest::MultiFactor,
            _ => AcrRequest::Any,
        }
    }
}

impl AuthorizationRequest {
    /// What the user consents to: the scope, plus the scope values whose claims the `claims` parameter asks for
    /// (asking for `email` by name releases what the `email` scope would, so it needs the same consent).
    pub fn consent_scope(&self) -> Scope {
        self.scope.union(self.claims.implied_scopes())
    }
}
