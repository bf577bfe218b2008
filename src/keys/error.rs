//! What the key store can fail with.

use super::rotation::RotationRefused;
use crate::storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("key {kid}: {message}")]
    BadKey { kid: String, message: String },
    #[error("key generation: {0}")]
    Generation(String),
    #[error("no current signing key")]
    NoCurrentKey,
    #[error(transparent)]
    Refused(#[from] RotationRefused),
}
