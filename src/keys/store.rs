//! The in-memory key store shared by the HTTP workers: which key signs, the published JWKS, and the keys that
//! verify, rebuilt from the stored records on every change.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::JwkSet;

use super::error::KeyError;
use super::generate::{generate_key, public_jwk};
use super::rotation::{KeyPolicy, RotationRefused, plan_maintenance, plan_revocation, plan_rotation};
use super::signing_key::SigningKey;
use crate::domain::{KeyRecord, KeyState, Timestamp};
use crate::storage::KeyStoreRepository;

/// One consistent view of the keys: who signs, what is published, what verifies.
pub struct KeySet {
    signer: Arc<SigningKey>,
    jwks_json: Arc<str>,
    verifiers: HashMap<String, DecodingKey>,
    /// (kid, state) pairs, to tell whether a reload changed anything.
    fingerprint: Vec<(String, KeyState)>,
}

impl KeySet {
    fn build(records: &[KeyRecord], now: Timestamp) -> Result<KeySet, KeyError> {
        let mut signer = None;
        let mut published = Vec::new();
        let mut verifiers = HashMap::new();
        for record in records {
            let state = record.state;
            if !state.is_published(record, now) {
                continue;
            }
            let jwk = public_jwk(record)?;
            let decoding = DecodingKey::from_jwk(&jwk)
                .map_err(|e| KeyError::BadKey { kid: record.kid.clone(), message: e.to_string() })?;
            verifiers.insert(record.kid.clone(), decoding);
            published.push(jwk);
            if state == KeyState::Current {
                signer = Some(Arc::new(SigningKey::from_pkcs8(&record.kid, &record.private_key)?));
            }
        }
        let signer = signer.ok_or(KeyError::NoCurrentKey)?;
        let jwks_json =
            serde_json::to_string(&JwkSet { keys: published }).map_err(|e| KeyError::Generation(e.to_string()))?.into();
        let fingerprint = records.iter().map(|r| (r.kid.clone(), r.state)).collect();
        Ok(KeySet { signer, jwks_json, verifiers, fingerprint })
    }
}

/// The in-memory key store shared by the HTTP workers. Reads are lock-free in practice (an `Arc` clone under a
/// read lock); the database is read only on reload.
pub struct KeyStore {
    current: RwLock<Arc<KeySet>>,
    policy: KeyPolicy,
}

impl std::fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyStore").field("policy", &self.policy).finish_non_exhaustive()
    }
}

impl KeyStore {
    /// Loads the keys, creating the first current and next keys on a fresh database.
    pub fn open(repo: &impl KeyStoreRepository, policy: KeyPolicy, now: Timestamp) -> Result<KeyStore, KeyError> {
        let set = Self::load_or_bootstrap(repo, policy, now)?;
        Ok(KeyStore { current: RwLock::new(Arc::new(set)), policy })
    }

    fn load_or_bootstrap(
        repo: &impl KeyStoreRepository,
        policy: KeyPolicy,
        now: Timestamp,
    ) -> Result<KeySet, KeyError> {
        let mut records = repo.load_keys()?;
        if records.is_empty() {
            // On a fresh database nothing has been published yet, so the very first key may sign at once.
            repo.bootstrap_keys(&[generate_key(KeyState::Current, now)?, generate_key(KeyState::Next, now)?])?;
            records = repo.load_keys()?;
        }
        if let Some(plan) = plan_maintenance(&records, policy, now)? {
            let new_key = plan.new_key_state.map(|s| generate_key(s, now)).transpose()?;
            repo.apply_rotation(plan.expected_current.as_deref(), &plan.updates, new_key.as_ref())?;
            records = repo.load_keys()?;
        }
        KeySet::build(&records, now)
    }

    /// Re-reads the key set (a rotation by the CLI or another node); returns true if it changed.
    pub fn reload(&self, repo: &impl KeyStoreRepository, now: Timestamp) -> Result<bool, KeyError> {
        let set = Self::load_or_bootstrap(repo, self.policy, now)?;
        let changed = set.fingerprint != self.snapshot().fingerprint;
        if changed {
            self.replace(set);
        }
        Ok(changed)
    }

    /// Rotates now (`tessera keys rotate`): refused while the next key has not been published long enough.
    pub fn rotate(&self, repo: &impl KeyStoreRepository, now: Timestamp) -> Result<String, KeyError> {
        let records = repo.load_keys()?;
        // The key leaving stays published until the last token it signed has expired, whatever lifetime a client or
        // a resource gives its tokens.
        let registered = repo.longest_registered_token_ttl()?.unwrap_or(0);
        let policy =
            KeyPolicy { longest_token_ttl_secs: self.policy.longest_token_ttl_secs.max(registered), ..self.policy };
        let plan = plan_rotation(&records, policy, now)?;
        let new_key = plan.new_key_state.map(|s| generate_key(s, now)).transpose()?;
        if !repo.apply_rotation(plan.expected_current.as_deref(), &plan.updates, new_key.as_ref())? {
            return Err(RotationRefused::Concurrent.into());
        }
        let set = KeySet::build(&repo.load_keys()?, now)?;
        let kid = set.signer.kid.clone();
        self.replace(set);
        tracing::info!(event = "key_rotated", kid = %kid, "key rotated");
        Ok(kid)
    }

    /// Rotates if the current key has signed for `rotation_interval_secs` and the next key is ready.
    pub fn rotate_if_due(&self, repo: &impl KeyStoreRepository, now: Timestamp) -> Result<Option<String>, KeyError> {
        let records = repo.load_keys()?;
        let due = records.iter().any(|r| {
            r.state == KeyState::Current
                && r.activated_at.unwrap_or(r.created_at) + self.policy.rotation_interval_secs <= now
        });
        if !due {
            return Ok(None);
        }
        match self.rotate(repo, now) {
            Ok(kid) => Ok(Some(kid)),
            Err(KeyError::Refused(reason)) => {
                tracing::info!(%reason, "automatic key rotation postponed");
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Takes a compromised key out of signing and out of the JWKS (`tessera keys revoke`): tokens it signed stop
    /// verifying here at once and at every other node within `key_reload_interval_secs`. Returns the kid that
    /// signs from now on.
    pub fn revoke(&self, repo: &impl KeyStoreRepository, kid: &str, now: Timestamp) -> Result<String, KeyError> {
        let records = repo.load_keys()?;
        let plan = plan_revocation(&records, kid, now)?;
        let new_key = plan.new_key_state.map(|s| generate_key(s, now)).transpose()?;
        if !repo.apply_rotation(plan.expected_current.as_deref(), &plan.updates, new_key.as_ref())? {
            return Err(RotationRefused::Concurrent.into());
        }
        let set = KeySet::build(&repo.load_keys()?, now)?;
        let signer = set.signer.kid.clone();
        self.replace(set);
        tracing::warn!(event = "key_revoked", kid = %kid, signer = %signer, "signing key revoked");
        Ok(signer)
    }

    fn replace(&self, set: KeySet) {
        let mut guard = self.current.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard = Arc::new(set);
    }

    fn snapshot(&self) -> Arc<KeySet> {
        self.current.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// The key that signs now.
    pub fn signer(&self) -> Arc<SigningKey> {
        self.snapshot().signer.clone()
    }

    /// The JWKS document, serialised once per key set.
    pub fn jwks_json(&self) -> Arc<str> {
        self.snapshot().jwks_json.clone()
    }

    /// The verification key for a published kid.
    pub fn verifier(&self, kid: &str) -> Option<DecodingKey> {
        self.snapshot().verifiers.get(kid).cloned()
    }

    pub fn policy(&self) -> KeyPolicy {
        self.policy
    }
}
