//! What storage can fail with, and how that becomes a protocol step's [`Failure`].

use crate::domain::InvalidValue;
use crate::error::{Failure, InternalError};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database cannot be reached right now (no connection within the pool's timeout, or the connection
    /// dropped). Answered "temporarily unavailable"; the pool reconnects by itself.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("connecting to {location}: {message}")]
    Connect { location: String, message: String },
    #[error("query: {0}")]
    Query(diesel::result::Error),
    #[error("migration: {0}")]
    Migration(String),
    #[error("{0} already exists")]
    AlreadyExists(&'static str),
    /// A value refused by its domain rules (a client registration that breaks one, an imported record).
    #[error("{0}")]
    Invalid(#[from] InvalidValue),
    /// `Database::open_existing` found no database, or one without Tessera's schema, at this location.
    #[error("no Tessera database at {0}")]
    NotCreated(String),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// A signing key sealed at rest that the configured key-encryption key cannot open (none, another, altered).
    #[error("{0}")]
    KeyEncryption(String),
}

impl From<diesel::result::Error> for StorageError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _) => {
                StorageError::Unavailable(e.to_string())
            }
            // SQLite's write lock was not free within busy_timeout: the server is overloaded, not broken. Answered
            // "temporarily unavailable" with Retry-After (a 503 the client may retry), not a 500.
            Error::DatabaseError(_, ref info)
                if info.message().contains("database is locked")
                    || info.message().contains("database table is locked") =>
            {
                StorageError::Unavailable(e.to_string())
            }
            e => {
                metrics::counter!("tessera_db_errors_total").increment(1);
                StorageError::Query(e)
            }
        }
    }
}

impl From<StorageError> for InternalError {
    fn from(e: StorageError) -> Self {
        InternalError::new("storage", e)
    }
}

impl From<StorageError> for Failure {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Unavailable(reason) => Failure::Unavailable(reason),
            e => Failure::Internal(e.into()),
        }
    }
}

pub type StorageResult<T> = Result<T, StorageError>;

/// A stored value that no longer parses: corrupt, named by what it belongs to.
pub(super) fn corrupt(owner: impl std::fmt::Display) -> impl Fn(InvalidValue) -> StorageError {
    move |e| StorageError::Corrupt(format!("{owner}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorKind, Error};

    #[test]
    fn a_busy_sqlite_is_unavailable_and_other_query_errors_are_not() {
        let busy = Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new("database is locked".to_owned()));
        assert!(matches!(StorageError::from(busy), StorageError::Unavailable(_)));
        let unique = Error::DatabaseError(DatabaseErrorKind::UniqueViolation, Box::new("UNIQUE failed".to_owned()));
        assert!(matches!(StorageError::from(unique), StorageError::Query(_)));
        assert!(matches!(StorageError::from(Error::NotFound), StorageError::Query(_)));
    }
}
