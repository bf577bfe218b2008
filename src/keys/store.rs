//! The in-memory key store shared by the HTTP workers: which key signs, the published JWKS, and the keys that
//! verify, rebuilt from the stored records on every change.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use aws_lc_rs::signature::ParsedPublicKey;
use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::JwkSet;

use super::error::KeyError;
use super::generate::{generate_key, parsed_public_key, public_jwk};
use super::rotation::{KeyPolicy, RotationRefused, plan_maintenance, plan_revocation, plan_rotation};
use super::signing_key::SigningKey;
use crate::domain::{KeyRecord, KeyState, SigningAlg, Timestamp};
use crate::storage::KeyStoreRepository;

/// One consistent view of the keys: who signs for each algorithm, what is published, what verifies.
pub struct KeySet {
    /// The current key of every enabled algorithm's ring.
    signers: BTreeMap<SigningAlg, Arc<SigningKey>>,
    /// The first algorithm's: signs whatever names no algorithm of its own.
    default_signer: Arc<SigningKey>,
    jwks_json: Arc<str>,
    /// Each published kid with the one algorithm it verifies (RFC 8725 §3.1: the key decides the algorithm, never
    /// the token's header).
    verifiers: HashMap<String, (SigningAlg, DecodingKey)>,
    /// The same keys, parsed once, for the checks on the request path (`KeyStore::verify_signature`).
    parsed: HashMap<String, (SigningAlg, ParsedPublicKey)>,
    /// (kid, state) pairs, to tell whether a reload changed anything.
    fingerprint: Vec<(String, KeyState)>,
}

/// The keys of one algorithm's ring.
fn ring(records: &[KeyRecord], alg: SigningAlg) -> Vec<KeyRecord> {
    records.iter().filter(|r| r.alg == alg).cloned().collect()
}

impl KeySet {
    /// Keys of an algorithm `signing_algs` no longer lists are neither published nor trusted: Tessera verifies
    /// exactly the algorithms it signs with.
    fn build(records: &[KeyRecord], policy: KeyPolicy, now: Timestamp) -> Result<KeySet, KeyError> {
        let mut signers = BTreeMap::new();
        let mut published = Vec::new();
        let mut verifiers = HashMap::new();
        let mut parsed = HashMap::new();
        for alg in policy.algs.iter() {
            for record in records.iter().filter(|r| r.alg == alg) {
                let state = record.state;
                if !state.is_published(record, now) {
                    continue;
                }
                let jwk = public_jwk(record)?;
                let decoding = DecodingKey::from_jwk(&jwk)
                    .map_err(|e| KeyError::BadKey { kid: record.kid.clone(), message: e.to_string() })?;
                verifiers.insert(record.kid.clone(), (alg, decoding));
                parsed.insert(record.kid.clone(), (alg, parsed_public_key(record)?));
                published.push(jwk);
                if state == KeyState::Current {
                    signers.insert(alg, Arc::new(SigningKey::from_record(record)?));
                }
            }
            if !signers.contains_key(&alg) {
                return Err(KeyError::NoCurrentKey(alg));
            }
        }
        let jwks_json =
            serde_json::to_string(&JwkSet { keys: published }).map_err(|e| KeyError::Generation(e.to_string()))?.into();
        let fingerprint = records.iter().map(|r| (r.kid.clone(), r.state)).collect();
        let default_alg = policy.algs.default_alg();
        let default_signer = signers.get(&default_alg).cloned().ok_or(KeyError::NoCurrentKey(default_alg))?;
        Ok(KeySet { signers, default_signer, jwks_json, verifiers, parsed, fingerprint })
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
    /// Loads the keys, creating the first current and next keys of every enabled algorithm that has none yet.
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
        for alg in policy.algs.iter() {
            if records.iter().any(|r| r.alg == alg) {
                continue;
            }
            // A ring that has never been published may sign at once: on a fresh database, and for an algorithm
            // just added to `signing_algs`, no relying party can expect a key of it yet (clients are given the
            // algorithm afterwards, with --id-token-signed-response-alg, and fetch the JWKS on an unknown kid).
            let first = [generate_key(alg, KeyState::Current, now)?, generate_key(alg, KeyState::Next, now)?];
            repo.bootstrap_keys(alg, &first)?;
            records = repo.load_keys()?;
        }
        for alg in policy.algs.iter() {
            if let Some(plan) = plan_maintenance(&ring(&records, alg), policy, now)? {
                let new_key = plan.new_key_state.map(|s| generate_key(alg, s, now)).transpose()?;
                repo.apply_rotation(alg, plan.expected_current.as_deref(), &plan.updates, new_key.as_ref())?;
                records = repo.load_keys()?;
            }
        }
        KeySet::build(&records, policy, now)
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

    /// Rotates every enabled algorithm's ring now (`tessera keys rotate`): refused while a next key has not been
    /// published long enough. Returns the kid that signs for the first algorithm.
    pub fn rotate(&self, repo: &impl KeyStoreRepository, now: Timestamp) -> Result<String, KeyError> {
        let mut first = None;
        for alg in self.policy.algs.iter() {
            let kid = self.rotate_ring(repo, alg, now)?;
            first.get_or_insert(kid);
        }
        first.ok_or(KeyError::NoCurrentKey(self.policy.algs.default_alg()))
    }

    /// Rotates one algorithm's ring now (`tessera keys rotate --alg ALG`); returns the kid that signs for it.
    pub fn rotate_ring(
        &self,
        repo: &impl KeyStoreRepository,
        alg: SigningAlg,
        now: Timestamp,
    ) -> Result<String, KeyError> {
        let records = ring(&repo.load_keys()?, alg);
        // The key leaving stays published until the last token it signed has expired, whatever lifetime a client or
        // a resource gives its tokens.
        let registered = repo.longest_registered_token_ttl()?.unwrap_or(0);
        let policy =
            KeyPolicy { longest_token_ttl_secs: self.policy.longest_token_ttl_secs.max(registered), ..self.policy };
        let plan = plan_rotation(&records, policy, now)?;
        let new_key = plan.new_key_state.map(|s| generate_key(alg, s, now)).transpose()?;
        if !repo.apply_rotation(alg, plan.expected_current.as_deref(), &plan.updates, new_key.as_ref())? {
            return Err(RotationRefused::Concurrent.into());
        }
        let set = KeySet::build(&repo.load_keys()?, self.policy, now)?;
        let kid = set.signers.get(&alg).map(|s| s.kid.clone()).ok_or(KeyError::NoCurrentKey(alg))?;
        self.replace(set);
        tracing::info!(event = "key_rotated", kid = %kid, alg = %alg, "key rotated");
        Ok(kid)
    }

    /// Rotates each ring whose current key has signed for `rotation_interval_secs` and whose next key is ready;
    /// returns the kids that sign now for the rings rotated.
    pub fn rotate_if_due(&self, repo: &impl KeyStoreRepository, now: Timestamp) -> Result<Option<String>, KeyError> {
        let records = repo.load_keys()?;
        let mut rotated = None;
        for alg in self.policy.algs.iter() {
            let due = records.iter().any(|r| {
                r.alg == alg
                    && r.state == KeyState::Current
                    && r.activated_at.unwrap_or(r.created_at) + self.policy.rotation_interval_secs <= now
            });
            if !due {
                continue;
            }
            match self.rotate_ring(repo, alg, now) {
                Ok(kid) => {
                    rotated.get_or_insert(kid);
                }
                Err(KeyError::Refused(reason)) => {
                    tracing::info!(%reason, alg = %alg, "automatic key rotation postponed");
                }
                Err(e) => return Err(e),
            }
        }
        Ok(rotated)
    }

    /// Takes a compromised key out of signing and out of the JWKS (`tessera keys revoke`): tokens it signed stop
    /// verifying here at once and at every other node within `key_reload_interval_secs`. Returns the kid that
    /// signs for its algorithm from now on.
    pub fn revoke(&self, repo: &impl KeyStoreRepository, kid: &str, now: Timestamp) -> Result<String, KeyError> {
        let records = repo.load_keys()?;
        let alg = records
            .iter()
            .find(|r| r.kid == kid)
            .map(|r| r.alg)
            .ok_or_else(|| RotationRefused::UnknownKey(kid.to_owned()))?;
        let plan = plan_revocation(&ring(&records, alg), kid, now)?;
        let new_key = plan.new_key_state.map(|s| generate_key(alg, s, now)).transpose()?;
        if !repo.apply_rotation(alg, plan.expected_current.as_deref(), &plan.updates, new_key.as_ref())? {
            return Err(RotationRefused::Concurrent.into());
        }
        let set = KeySet::build(&repo.load_keys()?, self.policy, now)?;
        let signer = repo
            .load_keys()?
            .into_iter()
            .find(|r| r.alg == alg && r.state == KeyState::Current)
            .map(|r| r.kid)
            .ok_or(KeyError::NoCurrentKey(alg))?;
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

    /// The key that signs now for the first of `signing_algs` (whatever names no algorithm of its own).
    pub fn signer(&self) -> Arc<SigningKey> {
        self.snapshot().default_signer.clone()
    }

    /// The key that signs now for `alg`, or the default algorithm's when `alg` is `None`. An algorithm that
    /// `signing_algs` does not enable (a client registered with it before the setting changed) is an error.
    pub fn signer_for(&self, alg: Option<SigningAlg>) -> Result<Arc<SigningKey>, KeyError> {
        let set = self.snapshot();
        match alg {
            None => Ok(set.default_signer.clone()),
            Some(alg) => set.signers.get(&alg).cloned().ok_or(KeyError::NotEnabled(alg)),
        }
    }

    /// The algorithms keys are kept for, the default first.
    pub fn algs(&self) -> crate::domain::SigningAlgs {
        self.policy.algs
    }

    /// The JWKS document, serialised once per key set.
    pub fn jwks_json(&self) -> Arc<str> {
        self.snapshot().jwks_json.clone()
    }

    /// The verification key for a published kid, only if `alg` (the token header's) is the algorithm that kid
    /// signs with: each kid is pinned to its key type and algorithm (RFC 8725 §3.1), so an RS256 key never checks
    /// a PS256 or HS256 signature, and an algorithm Tessera does not sign with finds no key at all.
    pub fn verifier(&self, kid: &str, alg: jsonwebtoken::Algorithm) -> Result<DecodingKey, NoVerifier> {
        let set = self.snapshot();
        let (key_alg, key) = set.verifiers.get(kid).ok_or(NoVerifier::UnknownKid)?;
        if jws_algorithm(*key_alg) != alg {
            return Err(NoVerifier::OtherAlgorithm);
        }
        Ok(key.clone())
    }

    /// Whether `signature` is a valid signature of `message` (a JWS signing input, RFC 7515 §5.2 step 8) by the
    /// published key `kid`, under the same pinning as [`KeyStore::verifier`]: `alg` must be that kid's algorithm.
    pub fn verify_signature(
        &self,
        kid: &str,
        alg: jsonwebtoken::Algorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, NoVerifier> {
        let set = self.snapshot();
        let (key_alg, key) = set.parsed.get(kid).ok_or(NoVerifier::UnknownKid)?;
        if jws_algorithm(*key_alg) != alg {
            return Err(NoVerifier::OtherAlgorithm);
        }
        Ok(key.verify_sig(message, signature).is_ok())
    }

    pub fn policy(&self) -> KeyPolicy {
        self.policy
    }
}

/// Why a token's kid and alg found no key to verify it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoVerifier {
    /// Not a published kid (or one of an algorithm Tessera no longer signs with).
    UnknownKid,
    /// The kid is published, for another algorithm than the header names.
    OtherAlgorithm,
}

/// The jsonwebtoken name of an algorithm.
pub fn jws_algorithm(alg: SigningAlg) -> jsonwebtoken::Algorithm {
    match alg {
        SigningAlg::RS256 => jsonwebtoken::Algorithm::RS256,
        SigningAlg::PS256 => jsonwebtoken::Algorithm::PS256,
        SigningAlg::ES256 => jsonwebtoken::Algorithm::ES256,
        SigningAlg::EdDSA => jsonwebtoken::Algorithm::EdDSA,
    }
}
