//! The admin API's failures, as RFC 9457 problem details (the HTTP layer writes them as `application/problem+json`).

use crate::storage::StorageError;

/// RFC 9457 §3.1: `status`, a short `title` for the kind of problem, a `detail` for this occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminError {
    pub status: u16,
    pub title: &'static str,
    pub detail: String,
}

impl AdminError {
    pub fn new(status: u16, title: &'static str, detail: impl Into<String>) -> AdminError {
        AdminError { status, title, detail: detail.into() }
    }

    /// No key, or one that is unknown, revoked or expired: 401 (RFC 6750 §3.1 invalid_token, as a problem).
    pub fn unauthenticated() -> AdminError {
        AdminError::new(401, "Unauthorized", "send a live admin API key as `Authorization: Bearer tsk_…`")
    }

    /// The key lacks the scope (RFC 6750 §3.1 insufficient_scope).
    pub fn forbidden(scope: &str) -> AdminError {
        AdminError::new(403, "Forbidden", format!("this key lacks the scope {scope}"))
    }

    pub fn not_found(what: impl Into<String>) -> AdminError {
        AdminError::new(404, "Not Found", what)
    }

    pub fn invalid(detail: impl Into<String>) -> AdminError {
        AdminError::new(400, "Bad Request", detail)
    }
}

impl From<StorageError> for AdminError {
    fn from(e: StorageError) -> AdminError {
        match e {
            StorageError::AlreadyExists(what) => AdminError::new(409, "Conflict", format!("{what} already exists")),
            StorageError::Invalid(e) => AdminError::invalid(e.0),
            StorageError::Unavailable(_) => AdminError::new(503, "Service Unavailable", "the database is unavailable"),
            e => {
                let id = uuid::Uuid::new_v4().to_string();
                tracing::error!(error_id = %id, error = %e, "admin API storage failure");
                AdminError::new(500, "Internal Server Error", format!("error id {id}"))
            }
        }
    }
}

impl From<crate::domain::InvalidValue> for AdminError {
    fn from(e: crate::domain::InvalidValue) -> AdminError {
        AdminError::invalid(e.0)
    }
}

impl std::fmt::Display for AdminError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}

/// So the CLI, which shares the operator's operations (`operations.rs`), reports their refusals as its own errors.
impl std::error::Error for AdminError {}
