//! The rotating key store: RSA-2048 signing keys with a kid and a state.
//!
//! States: `next` (published in the JWKS, not signing yet) -> `current` (signs) -> `previous` (published until
//! the last token it signed has expired) -> `retired` (no longer published). A key becomes current only after it
//! has been published for `key_prepublish_secs`, which is longer than the JWKS cache lifetime plus the reload
//! interval, so a relying party never meets a kid its cached JWKS lacks.
//!
//! Keys are generated with the `rsa` crate (key generation is not the private-key operation RUSTSEC-2023-0071
//! is about) and signed with aws-lc-rs (constant-time, blinded), from a key pair parsed once per key set.
//! Private keys live in the database as PKCS#8 DER and never reach a log line (`KeyRecord`'s `Debug` redacts).

mod jwt;
mod rotation;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use aws_lc_rs::signature::RsaKeyPair;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, Jwk, JwkSet, KeyAlgorithm, PublicKeyUse, RSAKeyParameters, RSAKeyType,
    ThumbprintHash,
};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::traits::PublicKeyParts;

pub use jwt::{JwtError, sign_jwt};
pub use rotation::{KeyState, RotationPlan, RotationRefused, plan_maintenance, plan_rotation};

use crate::storage::{KeyRecord, KeyStoreRepository, StorageError, Timestamp};

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

/// A signing key parsed once: the aws-lc key pair signs without re-parsing the DER.
pub struct SigningKey {
    pub kid: String,
    key_pair: RsaKeyPair,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("kid", &self.kid).finish_non_exhaustive()
    }
}

impl SigningKey {
    pub fn from_pkcs8(kid: &str, der: &[u8]) -> Result<SigningKey, KeyError> {
        let key_pair = RsaKeyPair::from_pkcs8(der)
            .map_err(|e| KeyError::BadKey { kid: kid.to_owned(), message: e.to_string() })?;
        Ok(SigningKey { kid: kid.to_owned(), key_pair })
    }
}

/// One consistent view of the keys: who signs, what is published, what verifies.
pub struct KeySet {
    signer: Arc<SigningKey>,
    jwks_json: Arc<str>,
    verifiers: HashMap<String, DecodingKey>,
    /// (kid, state) pairs, to tell whether a reload changed anything.
    fingerprint: Vec<(String, String)>,
}

impl KeySet {
    fn build(records: &[KeyRecord], now: Timestamp) -> Result<KeySet, KeyError> {
        let mut signer = None;
        let mut published = Vec::new();
        let mut verifiers = HashMap::new();
        for record in records {
            let state = KeyState::parse(&record.state)
                .ok_or_else(|| KeyError::BadKey { kid: record.kid.clone(), message: "unknown state".into() })?;
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
        let fingerprint = records.iter().map(|r| (r.kid.clone(), r.state.clone())).collect();
        Ok(KeySet { signer, jwks_json, verifiers, fingerprint })
    }
}

/// The public JWK of a stored key: kty, use, alg, kid, n, e (RFC 7517 §4, RFC 7518 §6.3.1).
fn public_jwk(record: &KeyRecord) -> Result<Jwk, KeyError> {
    let private = rsa::RsaPrivateKey::from_pkcs8_der(&record.private_key)
        .map_err(|e| KeyError::BadKey { kid: record.kid.clone(), message: e.to_string() })?;
    Ok(rsa_jwk(&private, Some(record.kid.clone())))
}

fn rsa_jwk(private: &rsa::RsaPrivateKey, kid: Option<String>) -> Jwk {
    Jwk {
        common: CommonParameters {
            public_key_use: Some(PublicKeyUse::Signature),
            key_algorithm: Some(KeyAlgorithm::RS256),
            key_id: kid,
            ..CommonParameters::default()
        },
        algorithm: AlgorithmParameters::RSA(RSAKeyParameters {
            key_type: RSAKeyType::RSA,
            n: URL_SAFE_NO_PAD.encode(private.n().to_bytes_be()),
            e: URL_SAFE_NO_PAD.encode(private.e().to_bytes_be()),
        }),
    }
}

/// Generates a new RSA-2048 key in state `next`; its kid is the RFC 7638 JWK thumbprint.
pub fn generate_key(state: KeyState, now: Timestamp) -> Result<KeyRecord, KeyError> {
    let private =
        rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).map_err(|e| KeyError::Generation(e.to_string()))?;
    let der = private.to_pkcs8_der().map_err(|e| KeyError::Generation(e.to_string()))?;
    let kid =
        rsa_jwk(&private, None).thumbprint(ThumbprintHash::SHA256).map_err(|e| KeyError::Generation(e.to_string()))?;
    Ok(KeyRecord {
        kid,
        state: state.as_str().to_owned(),
        private_key: der.as_bytes().to_vec(),
        created_at: now,
        activated_at: (state == KeyState::Current).then_some(now),
        deactivated_at: None,
        publish_until: None,
    })
}

/// Timing rules for rotation, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct KeyPolicy {
    pub prepublish_secs: i64,
    pub rotation_interval_secs: i64,
    pub longest_token_ttl_secs: i64,
    /// A server may keep signing with a key for this long after another process rotated it away.
    pub reload_interval_secs: i64,
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
        let plan = plan_rotation(&records, self.policy, now)?;
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
            r.state == KeyState::Current.as_str()
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
