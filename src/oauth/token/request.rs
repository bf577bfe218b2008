//! The token request, parsed at the edge: an unknown grant type never gets further.

use crate::domain::GrantType;
use crate::domain::client::{DEVICE_CODE, TOKEN_EXCHANGE};
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
    /// RFC 8693 §2.1
    TokenExchange {
        subject_token: String,
        subject_token_type: String,
        actor_token: Option<String>,
        actor_token_type: Option<String>,
        requested_token_type: Option<String>,
        scope: Option<String>,
        resource: Option<String>,
        audience: Option<String>,
    },
    /// RFC 8628 §3.4
    DeviceCode { device_code: String },
}

impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenRequest::AuthorizationCode { .. } => f.write_str("AuthorizationCode(<redacted>)"),
            TokenRequest::RefreshToken { .. } => f.write_str("RefreshToken(<redacted>)"),
            TokenRequest::ClientCredentials { scope, resource } => {
                write!(f, "ClientCredentials({scope:?}, {resource:?})")
            }
            TokenRequest::TokenExchange { scope, resource, .. } => {
                write!(f, "TokenExchange(<redacted>, {scope:?}, {resource:?})")
            }
            TokenRequest::DeviceCode { .. } => f.write_str("DeviceCode(<redacted>)"),
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
            Some(TOKEN_EXCHANGE) => Ok(TokenRequest::TokenExchange {
                subject_token: params.required("subject_token", "subject_token is missing")?.to_owned(),
                subject_token_type: params.required("subject_token_type", "subject_token_type is missing")?.to_owned(),
                actor_token: params.get("actor_token").map(str::to_owned),
                actor_token_type: params.get("actor_token_type").map(str::to_owned),
                requested_token_type: params.get("requested_token_type").map(str::to_owned),
                scope: params.get("scope").map(str::to_owned),
                resource,
                audience: params.get("audience").map(str::to_owned),
            }),
            Some(DEVICE_CODE) => Ok(TokenRequest::DeviceCode {
                device_code: params.required("device_code", "device_code is missing")?.to_owned(),
            }),
            Some(_) => Err(OAuthError::new(ErrorCode::UnsupportedGrantType, "unsupported grant_type")),
        }
    }

    pub fn grant_type(&self) -> GrantType {
        match self {
            TokenRequest::AuthorizationCode { .. } => GrantType::AuthorizationCode,
            TokenRequest::RefreshToken { .. } => GrantType::RefreshToken,
            TokenRequest::ClientCredentials { .. } => GrantType::ClientCredentials,
            TokenRequest::TokenExchange { .. } => GrantType::TokenExchange,
            TokenRequest::DeviceCode { .. } => GrantType::DeviceCode,
        }
    }
}
