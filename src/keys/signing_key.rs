//! A private key parsed once, ready to sign.

use aws_lc_rs::signature::RsaKeyPair;

use super::error::KeyError;

/// A signing key parsed once: the aws-lc key pair signs without re-parsing the DER.
pub struct SigningKey {
    pub kid: String,
    pub(super) key_pair: RsaKeyPair,
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
