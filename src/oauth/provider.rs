//! The protocol core's shared parts: the stores, the key store, the clock, the policies from the settings, the
//! password checker and the back-channel sender. Every endpoint's core takes a `&Provider`.

use std::sync::Arc;

use super::authentication::PasswordChecker;
use super::client_auth::AssertionContext;
use super::dpop::DpopPolicy;
use super::rate_limit::AddressRateLimit;
use super::throttle;
use super::token::TokenPolicy;
use crate::clock::SharedClock;
use crate::config::{MfaPolicy, RegistrationMode};
use crate::domain::{KeyState, Timestamp};
use crate::error::{Failure, InternalError};
use crate::keys::KeyStore;
use crate::oidc::backchannel::Backchannel;
use crate::oidc::client_jwks::ClientJwksCache;
use crate::oidc::metadata::TOKEN_PATH;
use crate::storage::{AuditLog, Database, Housekeeping, KeyStoreRepository, SessionStore};

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
    /// A grant with offline_access ends this long after it was made, whatever happens.
    pub offline_grant_ttl_secs: i64,
    /// When a second factor is asked (the `mfa` setting).
    pub mfa: MfaPolicy,
    /// RFC 9126: a pushed request's request_uri lives this long.
    pub pushed_request_ttl_secs: i64,
    /// RFC 9126 §5: every client must push its authorization requests.
    pub require_pushed_requests: bool,
    /// RFC 8628 §3.2: a device code lives this long, unless its client says otherwise.
    pub device_code_ttl_secs: i64,
}

/// Dynamic client registration (RFC 7591 / 7592), from the settings.
pub struct RegistrationPolicy {
    pub mode: RegistrationMode,
    /// Whether a `logo_uri` may be fetched from a private address (as for back-channel logout).
    pub allow_private_networks: bool,
    /// Open registrations per address, in this node's memory.
    pub open_rate: AddressRateLimit,
}

/// Open registrations allowed per address and second (with a burst of five seconds' worth).
pub const OPEN_REGISTRATIONS_PER_SECOND: u32 = 1;

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
    /// New authorization requests per address, in this node's memory.
    pub authorize_rate: AddressRateLimit,
    /// The `jwks_uri` documents of private_key_jwt clients, fetched and cached by this node.
    pub client_jwks: ClientJwksCache,
    /// Audit events older than this are purged by [`Provider::maintain`] (`audit_retention_days`).
    pub audit_retention_secs: i64,
    /// `registration`: the registration endpoint's mode and limits.
    pub registration: RegistrationPolicy,
    /// The WebAuthn relying party (`passkeys` on and an issuer host that is a domain name), else `None`.
    pub passkeys: Option<crate::oauth::authentication::passkey::Passkeys>,
    /// DPoP (RFC 9449): `dpop`, `dpop_nonce`, `dpop_proof_window_secs`, and the nonce key.
    pub dpop: DpopPolicy,
    /// Client assertions are accepted (`private_key_jwt`).
    pub private_key_jwt: bool,
    /// `account_profile_edit`: people may change their own name and picture on the account page.
    pub account_profile_edit: bool,
}

impl Provider {
    pub fn now(&self) -> Timestamp {
        self.clock.now().timestamp()
    }

    /// What a client assertion at the endpoint `path` may name as its audience, and the client key cache.
    pub fn assertion_context(&self, path: &str) -> AssertionContext<'_> {
        AssertionContext {
            audiences: [self.issuer.clone(), format!("{}{TOKEN_PATH}", self.issuer), format!("{}{path}", self.issuer)],
            jwks: &self.client_jwks,
            enabled: self.private_key_jwt,
        }
    }

    /// What every node does every `key_reload_interval_secs`: re-read the key set (rotations by the CLI or another
    /// node) and rotate when the current key is due; end the browser sessions that expired, with their online
    /// grants, and tell their clients (Back-Channel Logout); forget quiet addresses; purge what has expired.
    /// Idempotent: several nodes may run it at once.
    pub fn maintain(&self) -> anyhow::Result<()> {
        let now = self.now();
        self.keys.rotate_if_due(&self.db, now)?;
        if self.keys.reload(&self.db, now)? {
            tracing::info!("key set reloaded");
        }
        let ended = self.db.end_expired_sessions(now, now - self.transaction.session_idle_secs)?;
        if !ended.is_empty() {
            tracing::info!(event = "sessions_expired", grants = ended.len(), "expired sessions ended");
            self.backchannel.notify(&self.db, &self.keys, &self.issuer, &ended, now);
        }
        self.authorize_rate.forget_quiet_addresses();
        let longest_access =
            self.db.longest_registered_token_ttl()?.unwrap_or(0).max(self.tokens.access_token_ttl_secs);
        let purged = self.db.purge_expired(now, throttle::WINDOW_SECS, longest_access)?;
        if purged > 0 {
            tracing::debug!(purged, "expired rows purged");
        }
        self.key_metrics(now)?;
        let purged = self.db.purge_audit(now - self.audit_retention_secs)?;
        if purged > 0 {
            tracing::debug!(purged, "audit events past audit_retention_days purged");
        }
        Ok(())
    }

    /// The current key's age and the time to its scheduled rotation, as gauges (a rotation that keeps failing shows
    /// as a negative time to rotation).
    fn key_metrics(&self, now: Timestamp) -> anyhow::Result<()> {
        let keys = self.db.load_keys()?;
        if let Some(current) = keys.iter().find(|k| k.state == KeyState::Current) {
            let since = current.activated_at.unwrap_or(current.created_at);
            let interval = self.keys.policy().rotation_interval_secs;
            metrics::gauge!("tessera_signing_key_age_seconds").set((now - since) as f64);
            metrics::gauge!("tessera_signing_key_next_rotation_seconds").set((since + interval - now) as f64);
        }
        Ok(())
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
