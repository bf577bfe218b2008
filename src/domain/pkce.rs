//! The PKCE code challenge a request carries and a code is bound to (RFC 7636). Checking a verifier against it is
//! the protocol core's (`oauth::pkce`), which owns the digest.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::InvalidValue;

/// An S256 code challenge: base64url (no padding) of a SHA-256 digest, so exactly 43 characters (RFC 7636 §4.2).
/// Tessera supports no other method (RFC 9700 §2.1.1: "plain" is not to be used).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChallenge(String);

impl CodeChallenge {
    pub fn parse(raw: &str) -> Result<CodeChallenge, InvalidValue> {
        let base64url = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        if raw.len() != 43 || !raw.bytes().all(base64url) {
            return Err(InvalidValue("code_challenge is not a base64url SHA-256 digest".into()));
        }
        Ok(CodeChallenge(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for CodeChallenge {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CodeChallenge {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CodeChallenge, D::Error> {
        CodeChallenge::parse(&String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_digests_are_challenges() {
        assert!(CodeChallenge::parse("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM").is_ok());
        assert!(CodeChallenge::parse("short").is_err());
        assert!(CodeChallenge::parse(&"a".repeat(44)).is_err());
        assert!(CodeChallenge::parse("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM").is_err());
    }
}
