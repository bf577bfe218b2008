//! What the key store can fail with.

use super::rotation::RotationRefused;
use crate::domain::SigningAlg;
use crate::storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("key {kid}: {message}")]
    BadKey { kid: String, message: String },
    #[error("key generation: {0}")]
    Generation(String),
    #[error("no current {0} signing key")]
    NoCurrentKey(SigningAlg),
    #[error("{0} is not in signing_algs: add it there, or register the client or resource with another algorithm")]
    NotEnabled(SigningAlg),
    #[error(transparent)]
    Refused(#[from] RotationRefused),
}
