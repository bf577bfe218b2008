//! Private signing keys and TOTP secrets encrypted at rest under an operator's key-encryption key (KEK).
//!
//! Without a KEK, `signing_keys.private_key` holds the PKCS#8 DER as it always did, and `user_totp.secret` the raw
//! TOTP secret. With one, every private key and every TOTP secret is stored sealed with AES-256-GCM (aws-lc-rs, the
//! library that signs): a stolen database file, dump or export then holds no usable signing key, and no seed that
//! would let its thief compute a user's second factor, without the KEK, which lives outside the database (a file or
//! the environment).
//!
//! The sealed form is `MAGIC | kek id (8) | nonce (12) | ciphertext | tag (16)`. PKCS#8 DER always starts with a
//! SEQUENCE tag (0x30), never with `MAGIC`, so sealed and plain rows can be told apart: a database encrypted on one
//! start keeps working, and a plain one is sealed at the first start with a KEK. The kek id (the first 8 bytes of
//! SHA-256 of the KEK) turns a wrong KEK into a clear error instead of a failed decryption. The row's identity is the
//! associated data (a key's `kid`; `user_totp:` and the user id for a TOTP secret, [`totp_label`]), so a sealed
//! value copied onto another row does not open. A TOTP secret is random bytes, not DER: a plain one that happened to
//! begin with `MAGIC` (one chance in 2^40) would be taken for sealed and fail to open, a clear error, never a wrong
//! secret.
//!
//! Written here rather than taken from a crate: the whole of it is one AEAD call each way, which aws-lc-rs provides.

use std::path::Path;

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::digest::{SHA256, digest};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;

use super::error::{StorageError, StorageResult};

const MAGIC: &[u8; 5] = b"TKEK1";
const KEK_ID_LEN: usize = 8;
const KEK_LEN: usize = 32;

/// The operator's key-encryption key: 32 random bytes, given base64-encoded (`openssl rand -base64 32`).
pub struct KeyEncryptionKey {
    key: LessSafeKey,
    id: [u8; KEK_ID_LEN],
}

impl std::fmt::Debug for KeyEncryptionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyEncryptionKey(<redacted>)")
    }
}

impl KeyEncryptionKey {
    /// The KEK from the settings `key_encryption_key` (the base64 value itself, meant for the environment) or
    /// `key_encryption_key_file` (a file holding it); neither gives `None` (keys stored as PKCS#8), both is refused.
    pub fn from_settings(value: &str, file: &str) -> Result<Option<KeyEncryptionKey>, String> {
        match (value.trim().is_empty(), file.trim().is_empty()) {
            (true, true) => Ok(None),
            (false, false) => {
                Err("set key_encryption_key or key_encryption_key_file, not both (they name the same key)".into())
            }
            (false, true) => {
                KeyEncryptionKey::from_base64(value).map(Some).map_err(|e| format!("key_encryption_key: {e}"))
            }
            (true, false) => {
                let text = std::fs::read_to_string(Path::new(file.trim()))
                    .map_err(|e| format!("key_encryption_key_file {}: {e}", file.trim()))?;
                KeyEncryptionKey::from_base64(&text)
                    .map(Some)
                    .map_err(|e| format!("key_encryption_key_file {}: {e}", file.trim()))
            }
        }
    }

    pub fn from_base64(text: &str) -> Result<KeyEncryptionKey, String> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| "not base64; make one with `openssl rand -base64 32`".to_owned())?;
        if bytes.len() != KEK_LEN {
            return Err(format!("{} bytes where 32 are needed; make one with `openssl rand -base64 32`", bytes.len()));
        }
        let unbound = UnboundKey::new(&AES_256_GCM, &bytes).map_err(|_| "unusable as an AES-256 key".to_owned())?;
        let mut id = [0u8; KEK_ID_LEN];
        id.copy_from_slice(&digest(&SHA256, &bytes).as_ref()[..KEK_ID_LEN]);
        Ok(KeyEncryptionKey { key: LessSafeKey::new(unbound), id })
    }

    /// Seals `plain`, the secret of the row `label` names (its associated data).
    pub fn seal(&self, label: &str, plain: &[u8]) -> StorageResult<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let mut sealed = plain.to_vec();
        self.key
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(label.as_bytes()), &mut sealed)
            .map_err(|_| StorageError::KeyEncryption(format!("sealing {label} failed")))?;
        let mut out = Vec::with_capacity(MAGIC.len() + KEK_ID_LEN + NONCE_LEN + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.id);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens what [`seal`](Self::seal) made for `label`; `what` names it in errors ("signing key …").
    fn open(&self, label: &str, what: &str, stored: &[u8]) -> StorageResult<Vec<u8>> {
        let rest = &stored[MAGIC.len()..];
        if rest.len() < KEK_ID_LEN + NONCE_LEN {
            return Err(StorageError::Corrupt(format!("{what}: truncated sealed value")));
        }
        let (id, rest) = rest.split_at(KEK_ID_LEN);
        if id != self.id {
            return Err(StorageError::KeyEncryption(format!(
                "{what} was sealed under another key-encryption key than the one configured"
            )));
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let nonce =
            Nonce::try_assume_unique_for_key(nonce).map_err(|_| StorageError::Corrupt(format!("{what}: bad nonce")))?;
        let mut buffer = sealed.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(label.as_bytes()), &mut buffer)
            .map_err(|_| StorageError::KeyEncryption(format!("{what} does not open: altered or moved")))?;
        Ok(plain.to_vec())
    }
}

/// Whether a stored value is sealed.
pub fn is_sealed(stored: &[u8]) -> bool {
    stored.starts_with(MAGIC)
}

/// The associated data of the TOTP secret of `user_id` (a `user_totp` row).
pub fn totp_label(user_id: &str) -> String {
    format!("user_totp:{user_id}")
}

/// What a column holds for the secret `plain` of the row `label` names (a key's `kid`, or [`totp_label`]).
pub fn to_stored(kek: Option<&KeyEncryptionKey>, label: &str, plain: &[u8]) -> StorageResult<Vec<u8>> {
    match kek {
        // An empty private key (a retired or revoked key) stays empty: there is nothing to protect.
        Some(kek) if !plain.is_empty() => kek.seal(label, plain),
        _ => Ok(plain.to_vec()),
    }
}

/// The secret of the row `label` names from what its column holds; `what` names it in errors.
pub fn from_stored(kek: Option<&KeyEncryptionKey>, label: &str, what: &str, stored: Vec<u8>) -> StorageResult<Vec<u8>> {
    if !is_sealed(&stored) {
        return Ok(stored);
    }
    match kek {
        Some(kek) => kek.open(label, what, &stored),
        None => Err(StorageError::KeyEncryption(format!(
            "{what} is encrypted at rest: set key_encryption_key_file (TESSERA_KEY_ENCRYPTION_KEY_FILE) or \
             key_encryption_key (TESSERA_KEY_ENCRYPTION_KEY) to the key-encryption key it was sealed with"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kek(byte: u8) -> KeyEncryptionKey {
        KeyEncryptionKey::from_base64(&STANDARD.encode([byte; KEK_LEN])).unwrap()
    }

    #[test]
    fn a_sealed_key_opens_with_its_kek_and_kid_only() {
        let der = b"\x30\x82 pretend pkcs8".to_vec();
        let sealed = to_stored(Some(&kek(1)), "kid-a", &der).unwrap();
        assert!(is_sealed(&sealed));
        assert!(!sealed.windows(der.len()).any(|w| w == der.as_slice()), "the plaintext must not be in the row");
        assert_eq!(from_stored(Some(&kek(1)), "kid-a", "key kid-a", sealed.clone()).unwrap(), der);
        // Another KEK, another row's kid, no KEK, a flipped bit: all refused, none panics.
        assert!(matches!(
            from_stored(Some(&kek(2)), "kid-a", "key kid-a", sealed.clone()),
            Err(StorageError::KeyEncryption(_))
        ));
        assert!(matches!(
            from_stored(Some(&kek(1)), "kid-b", "key kid-b", sealed.clone()),
            Err(StorageError::KeyEncryption(_))
        ));
        assert!(matches!(from_stored(None, "kid-a", "key kid-a", sealed.clone()), Err(StorageError::KeyEncryption(_))));
        let mut altered = sealed.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert!(from_stored(Some(&kek(1)), "kid-a", "key kid-a", altered).is_err());
        assert!(from_stored(Some(&kek(1)), "kid-a", "key kid-a", sealed[..10].to_vec()).is_err());
    }

    #[test]
    fn plain_and_empty_keys_pass_through() {
        let der = b"\x30plain".to_vec();
        assert_eq!(from_stored(Some(&kek(1)), "k", "key k", der.clone()).unwrap(), der);
        assert_eq!(from_stored(None, "k", "key k", der.clone()).unwrap(), der);
        assert!(to_stored(Some(&kek(1)), "k", &[]).unwrap().is_empty());
        assert_eq!(to_stored(None, "k", &der).unwrap(), der);
    }

    #[test]
    fn the_kek_setting_is_checked() {
        assert!(KeyEncryptionKey::from_settings("", "").unwrap().is_none());
        assert!(KeyEncryptionKey::from_settings("abc", "/x").is_err());
        assert!(KeyEncryptionKey::from_settings("bm90IDMyIGJ5dGVz", "").unwrap_err().contains("32 are needed"));
        assert!(KeyEncryptionKey::from_settings("", "/nonexistent/kek").unwrap_err().contains("/nonexistent/kek"));
        let good = STANDARD.encode([7u8; KEK_LEN]);
        assert!(KeyEncryptionKey::from_settings(&good, "").unwrap().is_some());
        assert!(!format!("{:?}", kek(1)).contains('1'), "Debug never shows the key");
    }
}
