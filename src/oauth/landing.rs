//! `GET /`: what the landing page needs to know.

use crate::error::Failure;
use crate::oauth::provider::Provider;
use crate::storage::ClientStore;

/// The landing page's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Landing {
    /// No client is registered yet: a fresh install, whose page says what to do next.
    pub fresh: bool,
}

pub fn landing(provider: &Provider) -> Result<Landing, Failure> {
    Ok(Landing { fresh: !provider.db.any_client_registered()? })
}
