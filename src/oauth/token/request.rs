//! The token request, parsed at the edge: an unknown grant type never gets further.

use crate::domain::GrantType;
use crate::error::{ErrorCode, OAuthError};
use crate::params::Params;

/// A token request, parsed at the edge: an unknown grant type never gets further (RFC 6749 §5.2
/// unsupported_grant_type).
#[derive(Clone, PartialEq, Eq)]
pub enum TokenRequest {
    /// RFC 6749 §4.1.3
    AuthorizationCode {
        code: String,
        redirect_uri: Option<String>,
        code_verifier: Option<String>,
        /// RFC 8707 §2.2
        resource: Option<String>,
    },
    /// RFC 6749 §6
    RefreshToken { refresh_token: String, scope: Option<String>, resource: Option<String> },
    /// RFC 6749 §4.4
    ClientCredentials { scope: Option<String>, resource: Option<String> },
}

impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenRequest::AuthorizationCode { .. } => f.write_str("AuthorizationCode(<redacted>)"),
            TokenRequest::RefreshToken { .. } => f.write_str("RefreshToken(<redacted>)"),
            TokenRequest::ClientCredentials { scope, resource } => {
                write!(f, "ClientCredentials({scope:?}, {resource:?})")
            }
        }
    }
}

impl TokenRequest {
    pub fn parse(params: &Params) -> Result<TokenRequest, OAuthError> {
        let resource = params.get("resource").map(str::to_owned);
        match params.get("grant_type") {
            None => Err(OAuthError::invalid_request("grant_type is missing")),
            Some("authorization_code") => Ok(TokenRequest::AuthorizationCode {
                code: params.required("code", "code is missing")?.to_owned(),
                redirect_uri: params.get("redirect_uri").map(str::to_owned),
                code_verifier: params.get("code_verifier").map(str::to_owned),
                resource,
            }),
            Some("refresh_token") => Ok(TokenRequest::RefreshToken {
                refresh_token: params.required("refresh_token", "refresh_token is missing")?.to_owned(),
                scope: params.get("scope").map(str::to_owned),
                resource,
            }),
            Some("client_credentials") => {
                Ok(TokenRequest::ClientCredentials { scope: params.get("scope").map(str::to_owned), resource })
            }
            Some(_) => Err(OAuthError::new(ErrorCode::UnsupportedGrantType, "unsupported grant_type")),
        }
    }

    pub fn grant_type(&self) -> GrantType {
        match self {
            TokenRequest::AuthorizationCode { .. } => GrantType::AuthorizationCode,
            TokenRequest::RefreshToken { .. } => GrantType::RefreshToken,
            TokenRequest::ClientCredentials { .. } => GrantType::ClientCredentials,
        }
    }
}
