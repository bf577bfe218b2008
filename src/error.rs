//! Errors, and the one place each kind is rendered.
//!
//! Which type to use where:
//! - [`OAuthError`]: a protocol error the client is allowed to see. Its `code` is one of the registered codes of
//!   RFC 6749 §4.1.2.1 / §5.2, OpenID Connect Core §3.1.2.6 and RFC 6750 §3.1 ([`ErrorCode`]); its `description`
//!   is a fixed string that goes on the wire; its `detail` only goes to the log.
//! - [`InternalError`]: our own failure (database, crypto, bug). Never shown: it is logged with an error id and
//!   answered with a generic `server_error` / 500 carrying that id.
//! - [`StorageError`](crate::storage::StorageError) converts into `InternalError`.

use std::fmt;

use actix_web::http::StatusCode;
use serde::Serialize;

/// The closed set of error codes Tessera puts on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    // RFC 6749 §4.1.2.1 and §5.2
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    UnsupportedResponseType,
    InvalidScope,
    AccessDenied,
    ServerError,
    TemporarilyUnavailable,
    // OpenID Connect Core §3.1.2.6
    LoginRequired,
    ConsentRequired,
    InteractionRequired,
    RequestNotSupported,
    RequestUriNotSupported,
    // RFC 6750 §3.1
    InvalidToken,
    InsufficientScope,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidClient => "invalid_client",
            ErrorCode::InvalidGrant => "invalid_grant",
            ErrorCode::UnauthorizedClient => "unauthorized_client",
            ErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            ErrorCode::UnsupportedResponseType => "unsupported_response_type",
            ErrorCode::InvalidScope => "invalid_scope",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::ServerError => "server_error",
            ErrorCode::TemporarilyUnavailable => "temporarily_unavailable",
            ErrorCode::LoginRequired => "login_required",
            ErrorCode::ConsentRequired => "consent_required",
            ErrorCode::InteractionRequired => "interaction_required",
            ErrorCode::RequestNotSupported => "request_not_supported",
            ErrorCode::RequestUriNotSupported => "request_uri_not_supported",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::InsufficientScope => "insufficient_scope",
        }
    }

    /// HTTP status for a JSON error response (token endpoint, RFC 6749 §5.2; userinfo, RFC 6750 §3.1).
    /// Authorization endpoint errors travel in a redirect and do not use this.
    pub fn http_status(self) -> StatusCode {
        match self {
            // RFC 6749 §5.2: "invalid_client ... the authorization server MAY return an HTTP 401".
            // We always do, so clients can tell authentication failures apart.
            ErrorCode::InvalidClient | ErrorCode::InvalidToken => StatusCode::UNAUTHORIZED,
            ErrorCode::InsufficientScope | ErrorCode::AccessDenied => StatusCode::FORBIDDEN,
            ErrorCode::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::TemporarilyUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::InvalidRequest
            | ErrorCode::InvalidGrant
            | ErrorCode::UnauthorizedClient
            | ErrorCode::UnsupportedGrantType
            | ErrorCode::UnsupportedResponseType
            | ErrorCode::InvalidScope
            | ErrorCode::LoginRequired
            | ErrorCode::ConsentRequired
            | ErrorCode::InteractionRequired
            | ErrorCode::RequestNotSupported
            | ErrorCode::RequestUriNotSupported => StatusCode::BAD_REQUEST,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A protocol error: what the client sees (`code`, `description`) and what only the log sees (`detail`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub code: ErrorCode,
    /// Fixed text, safe to show. Deliberately generic where precision would help an attacker.
    pub description: &'static str,
    /// For the log only. Never contains a secret, token or password.
    pub detail: Option<String>,
}

impl OAuthError {
    pub fn new(code: ErrorCode, description: &'static str) -> Self {
        OAuthError { code, description, detail: None }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn invalid_request(description: &'static str) -> Self {
        Self::new(ErrorCode::InvalidRequest, description)
    }

    pub fn invalid_grant(description: &'static str) -> Self {
        Self::new(ErrorCode::InvalidGrant, description)
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.description)?;
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

/// Our own failure. Shown to nobody; logged once with an error id by [`InternalError::log`].
#[derive(Debug, thiserror::Error)]
#[error("{context}: {source}")]
pub struct InternalError {
    context: &'static str,
    #[source]
    source: anyhow::Error,
}

impl InternalError {
    pub fn new(context: &'static str, source: impl Into<anyhow::Error>) -> Self {
        InternalError { context, source: source.into() }
    }

    /// Logs the error and returns the id to show the user, so support can find the log line.
    pub fn log(&self) -> String {
        let error_id = uuid::Uuid::new_v4().simple().to_string();
        tracing::error!(error_id = %error_id, error = %format!("{:#}", self.source), context = self.context, "internal error");
        error_id
    }
}

/// The outcome of a protocol step that can fail: the client's fault, ours, or the database's absence.
#[derive(Debug)]
pub enum Failure {
    OAuth(OAuthError),
    Internal(InternalError),
    /// The database is unreachable: answered 503 with Retry-After and `temporarily_unavailable` (RFC 6749
    /// §4.1.2.1) where the protocol has a place for it. The text goes to the log only.
    Unavailable(String),
}

impl From<OAuthError> for Failure {
    fn from(e: OAuthError) -> Self {
        Failure::OAuth(e)
    }
}

impl From<InternalError> for Failure {
    fn from(e: InternalError) -> Self {
        Failure::Internal(e)
    }
}

impl From<crate::storage::StorageError> for Failure {
    fn from(e: crate::storage::StorageError) -> Self {
        match e {
            crate::storage::StorageError::Unavailable(reason) => Failure::Unavailable(reason),
            e => Failure::Internal(e.into()),
        }
    }
}

/// Seconds a client should wait before retrying when the database is unavailable.
pub const RETRY_AFTER_SECS: u32 = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_endpoint_statuses_follow_rfc6749_section_5_2() {
        assert_eq!(ErrorCode::InvalidRequest.http_status(), StatusCode::BAD_REQUEST);
        assert_eq!(ErrorCode::InvalidClient.http_status(), StatusCode::UNAUTHORIZED);
        assert_eq!(ErrorCode::InvalidGrant.http_status(), StatusCode::BAD_REQUEST);
        assert_eq!(ErrorCode::UnauthorizedClient.http_status(), StatusCode::BAD_REQUEST);
        assert_eq!(ErrorCode::UnsupportedGrantType.http_status(), StatusCode::BAD_REQUEST);
        assert_eq!(ErrorCode::InvalidScope.http_status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn bearer_statuses_follow_rfc6750_section_3_1() {
        assert_eq!(ErrorCode::InvalidToken.http_status(), StatusCode::UNAUTHORIZED);
        assert_eq!(ErrorCode::InsufficientScope.http_status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn other_statuses() {
        assert_eq!(ErrorCode::ServerError.http_status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(ErrorCode::TemporarilyUnavailable.http_status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(ErrorCode::AccessDenied.http_status(), StatusCode::FORBIDDEN);
        assert_eq!(ErrorCode::UnsupportedResponseType.http_status(), StatusCode::BAD_REQUEST);
        assert_eq!(ErrorCode::LoginRequired.http_status(), StatusCode::BAD_REQUEST);
        assert_eq!(ErrorCode::ConsentRequired.http_status(), StatusCode::BAD_REQUEST);
        assert_eq!(ErrorCode::InteractionRequired.http_status(), StatusCode::BAD_REQUEST);
        assert_eq!(ErrorCode::RequestNotSupported.http_status(), StatusCode::BAD_REQUEST);
        assert_eq!(ErrorCode::RequestUriNotSupported.http_status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn codes_serialize_as_registered_names() {
        assert_eq!(serde_json::to_string(&ErrorCode::InvalidGrant).unwrap(), "\"invalid_grant\"");
        assert_eq!(ErrorCode::LoginRequired.as_str(), "login_required");
        assert_eq!(
            serde_json::to_string(&ErrorCode::UnsupportedGrantType).unwrap(),
            format!("\"{}\"", ErrorCode::UnsupportedGrantType.as_str())
        );
    }
}
