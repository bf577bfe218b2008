//! Errors, and the one place each kind is rendered.
//!
//! Which type to use where:
//! - [`OAuthError`]: a protocol error the client is allowed to see. Its `code` is one of the registered codes of
//!   RFC 6749 §4.1.2.1 / §5.2, OpenID Connect Core §3.1.2.6, RFC 6750 §3.1 and RFC 8707 §2 ([`ErrorCode`]); its
//!   `description` is a fixed string that goes on the wire; its `detail` only goes to the log.
//! - [`InternalError`]: our own failure (database, crypto, bug). Never shown: it is logged with an error id and
//!   answered with a generic `server_error` / 500 carrying that id.
//! - [`Failure`]: what a protocol step returns, one of the above or "the database is unavailable".
//!
//! Every renderer (token JSON, authorization redirect, error page, Bearer challenge) starts from one
//! [`WireError`], built by [`Failure::into_wire`]: the only place that picks the code, description, status,
//! error id and Retry-After, and the only place that logs a refusal.

use std::fmt;

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
    // RFC 8707 §2
    InvalidTarget,
    // RFC 9101 §7 (used by RFC 9126 §4 for a request_uri that is unknown, used or expired)
    InvalidRequestUri,
    // RFC 8628 §3.5
    AuthorizationPending,
    SlowDown,
    ExpiredToken,
    /// RFC 8628 §3.5 `access_denied` at the token endpoint: the same name as [`ErrorCode::AccessDenied`], but a
    /// token endpoint error, so 400 (RFC 6749 §5.2), not the 403 of our pages.
    #[serde(rename = "access_denied")]
    DeviceAccessDenied,
    // RFC 9449 §5 and §7.1
    InvalidDpopProof,
    // RFC 9449 §8 and §9
    UseDpopNonce,
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
            ErrorCode::InvalidTarget => "invalid_target",
            ErrorCode::InvalidRequestUri => "invalid_request_uri",
            ErrorCode::AuthorizationPending => "authorization_pending",
            ErrorCode::SlowDown => "slow_down",
            ErrorCode::ExpiredToken => "expired_token",
            ErrorCode::DeviceAccessDenied => "access_denied",
            ErrorCode::InvalidDpopProof => "invalid_dpop_proof",
            ErrorCode::UseDpopNonce => "use_dpop_nonce",
        }
    }

    /// The one status map: the HTTP status of a response carrying this error (token endpoint, RFC 6749 §5.2;
    /// Bearer errors, RFC 6750 §3.1; our error page). Errors redirected to the client travel in a 303 instead.
    pub fn http_status(self) -> u16 {
        match self {
            // RFC 6749 §5.2: "invalid_client ... the authorization server MAY return an HTTP 401".
            // We always do, so clients can tell authentication failures apart.
            ErrorCode::InvalidClient | ErrorCode::InvalidToken => 401,
            ErrorCode::InsufficientScope | ErrorCode::AccessDenied => 403,
            ErrorCode::ServerError => 500,
            ErrorCode::TemporarilyUnavailable => 503,
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
            | ErrorCode::RequestUriNotSupported
            | ErrorCode::InvalidTarget
            | ErrorCode::InvalidRequestUri
            | ErrorCode::AuthorizationPending
            | ErrorCode::SlowDown
            | ErrorCode::ExpiredToken
            | ErrorCode::DeviceAccessDenied
            // RFC 9449 §5 and §8: 400 at the token endpoint (a resource answers 401 with a DPoP challenge, §7.1).
            | ErrorCode::InvalidDpopProof
            | ErrorCode::UseDpopNonce => 400,
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

    /// Logs the error and returns the id to show the user, so support can find the log line. Called by
    /// [`Failure::into_wire`] only.
    fn log(&self) -> String {
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
    /// The service cannot serve this now (the database is unreachable, a queue or a rate limit is full): answered
    /// 503 with Retry-After and `temporarily_unavailable` (RFC 6749 §4.1.2.1) where the protocol has a place for
    /// it. The text goes to the log only.
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

/// Seconds a client should wait before retrying when the database is unavailable.
pub const RETRY_AFTER_SECS: u32 = 5;

/// A failure in the form every renderer writes: the registered code, a fixed description, the HTTP status, the
/// error id of an internal error (logged with it), and the Retry-After of an outage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    pub code: ErrorCode,
    pub description: &'static str,
    pub status: u16,
    pub error_id: Option<String>,
    pub retry_after_secs: Option<u32>,
}

impl Failure {
    /// The wire form of this failure, logged here and nowhere else: a refusal at info level with its log-only
    /// detail, an outage at warn, an internal error at error level with the id the response carries.
    /// The wire form for a page a person reads: every failure gets an error id, logged with the refusal, so the
    /// person can quote it and the operator find the line (an internal error has its own already).
    pub fn into_wire_with_id(self) -> WireError {
        if matches!(self, Failure::Internal(_)) {
            return self.into_wire();
        }
        let error_id = uuid::Uuid::new_v4().simple().to_string();
        let span = tracing::info_span!("error_page", error_id = %error_id);
        let mut wire = span.in_scope(|| self.into_wire());
        wire.error_id = Some(error_id);
        wire
    }

    pub fn into_wire(self) -> WireError {
        match self {
            Failure::OAuth(error) => {
                tracing::info!(error = %error.code, detail = error.detail.as_deref().unwrap_or(""), "request refused");
                WireError {
                    code: error.code,
                    description: error.description,
                    status: error.code.http_status(),
                    error_id: None,
                    retry_after_secs: None,
                }
            }
            Failure::Internal(internal) => WireError {
                code: ErrorCode::ServerError,
                description: "internal error",
                status: ErrorCode::ServerError.http_status(),
                error_id: Some(internal.log()),
                retry_after_secs: None,
            },
            Failure::Unavailable(reason) => {
                tracing::warn!(%reason, "temporarily unavailable");
                WireError {
                    code: ErrorCode::TemporarilyUnavailable,
                    description: "the service is temporarily unavailable; retry later",
                    status: ErrorCode::TemporarilyUnavailable.http_status(),
                    error_id: None,
                    retry_after_secs: Some(RETRY_AFTER_SECS),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One assertion per arm of the status map.
    #[test]
    fn the_status_map() {
        let cases = [
            // RFC 6749 §5.2
            (ErrorCode::InvalidRequest, 400),
            (ErrorCode::InvalidClient, 401),
            (ErrorCode::InvalidGrant, 400),
            (ErrorCode::UnauthorizedClient, 400),
            (ErrorCode::UnsupportedGrantType, 400),
            (ErrorCode::UnsupportedResponseType, 400),
            (ErrorCode::InvalidScope, 400),
            (ErrorCode::AccessDenied, 403),
            (ErrorCode::ServerError, 500),
            (ErrorCode::TemporarilyUnavailable, 503),
            // OpenID Connect Core §3.1.2.6
            (ErrorCode::LoginRequired, 400),
            (ErrorCode::ConsentRequired, 400),
            (ErrorCode::InteractionRequired, 400),
            (ErrorCode::RequestNotSupported, 400),
            (ErrorCode::RequestUriNotSupported, 400),
            // RFC 6750 §3.1
            (ErrorCode::InvalidToken, 401),
            (ErrorCode::InsufficientScope, 403),
            // RFC 8707 §2
            (ErrorCode::InvalidTarget, 400),
            (ErrorCode::InvalidRequestUri, 400),
            // RFC 8628 §3.5
            (ErrorCode::AuthorizationPending, 400),
            (ErrorCode::SlowDown, 400),
            (ErrorCode::ExpiredToken, 400),
            (ErrorCode::DeviceAccessDenied, 400),
        ];
        for (code, status) in cases {
            assert_eq!(code.http_status(), status, "{code}");
        }
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

    #[test]
    fn every_failure_has_one_wire_form() {
        let refused =
            Failure::from(OAuthError::invalid_grant("invalid refresh token").with_detail("expired")).into_wire();
        assert_eq!(
            refused,
            WireError {
                code: ErrorCode::InvalidGrant,
                description: "invalid refresh token",
                status: 400,
                error_id: None,
                retry_after_secs: None
            }
        );
        let internal = Failure::from(InternalError::new("test", anyhow::anyhow!("boom"))).into_wire();
        assert_eq!(
            (internal.code, internal.status, internal.description),
            (ErrorCode::ServerError, 500, "internal error")
        );
        assert_eq!(internal.error_id.as_ref().map(String::len), Some(32), "a logged error id");
        let outage = Failure::Unavailable("connection refused".into()).into_wire();
        assert_eq!((outage.code, outage.status), (ErrorCode::TemporarilyUnavailable, 503));
        assert_eq!(outage.retry_after_secs, Some(RETRY_AFTER_SECS));
        assert!(!outage.description.contains("refused"), "the reason stays in the log");
    }
}
