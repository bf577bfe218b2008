//! The protocol core's shared parts: the stores, the key store, the clock, the policies from the settings, the
//! password checker and the back-channel sender. Every endpoint's core takes a `&Provider`.

use std::sync::Arc;

use super::authentication::PasswordChecker;
use super::token::TokenPolicy;
use crate::clock::SharedClock;
use crate::domain::Timestamp;
use crate::error::{Failure, InternalError};
use crate::keys::KeyStore;
use crate::oidc::backchannel::Backchannel;
use crate::storage::Database;

/// How long the steps of the authorization transaction live, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct TransactionPolicy {
    /// A parked request waits this long for the user.
    pub interaction_ttl_secs: i64,
    /// Authorization codes live this long.
    pub authorization_code_ttl_secs: i64,
    /// A browser session lasts this long after sign-in (absolute lifetime).
    pub session_ttl_secs: i64,
    /// A browser session unused this long ends.
    pub session_idle_secs: i64,
}

pub struct Provider {
    /// The issuer without a trailing slash; every endpoint URL is built from it.
    pub issuer: String,
    pub db: Database,
    pub keys: Arc<KeyStore>,
    pub clock: SharedClock,
    pub tokens: TokenPolicy,
    pub transaction: TransactionPolicy,
    pub passwords: PasswordChecker,
    pub backchannel: Backchannel,
}

impl Provider {
    pub fn now(&self) -> Timestamp {
        self.clock.now().timestamp()
    }

    /// Ready for traffic: the database answers and a key signs (readiness probes).
    pub fn readiness(&self) -> Result<(), Failure> {
        self.db.ping()?;
        if self.keys.signer().kid.is_empty() {
            return Err(InternalError::new("readiness", anyhow::anyhow!("no signing key")).into());
        }
        Ok(())
    }
}
