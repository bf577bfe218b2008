//! Proof Key for Code Exchange, RFC 7636, S256 only (RFC 9700 §2.1.1: "plain" is not to be used).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::OAuthError;
use crate::secrets::constant_time_eq;

/// A validated S256 code challenge: base64url of a SHA-256 digest, so exactly 43 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChallenge(String);

impl CodeChallenge {
    /// RFC 7636 §4.3: `code_challenge_method` defaults to "plain" when absent, which we do not support, so the
    /// method must be sent and be S256.
    pub fn parse(challenge: Option<&str>, method: Option<&str>) -> Result<Option<CodeChallenge>, OAuthError> {
        match (challenge, method) {
            (None, None) => Ok(None),
            (None, Some(_)) => Err(OAuthError::invalid_request("code_challenge_method without code_challenge")),
            (Some(_), None) | (Some(_), Some("plain")) => {
                Err(OAuthError::invalid_request("code_challenge_method must be S256"))
            }
            (Some(_), Some(m)) if m != "S256" => Err(OAuthError::invalid_request("code_challenge_method must be S256")),
            (Some(c), Some(_)) => {
                if c.len() != 43 || !c.bytes().all(is_base64url) {
                    return Err(OAuthError::invalid_request("code_challenge is not a base64url SHA-256 digest"));
                }
                Ok(Some(CodeChallenge(c.to_owned())))
            }
        }
    }

    /// Wraps a challenge read back from storage (validated when it was stored).
    pub fn from_stored(challenge: String) -> CodeChallenge {
        CodeChallenge(challenge)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// RFC 7636 §4.6: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge, compared in constant time.
    pub fn verify(&self, verifier: &str) -> bool {
        if !is_valid_verifier(verifier) {
            return false;
        }
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
        constant_time_eq(URL_SAFE_NO_PAD.encode(digest).as_bytes(), self.0.as_bytes())
    }
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// RFC 7636 §4.1: `code-verifier = 43*128unreserved`, `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"`.
pub fn is_valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7636 Appendix B.
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn rfc7636_appendix_b_example_verifies() {
        let c = CodeChallenge::parse(Some(CHALLENGE), Some("S256")).unwrap().unwrap();
        assert!(c.verify(VERIFIER));
        assert!(!c.verify("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl"));
        assert!(!c.verify(""));
        assert!(!c.verify(CHALLENGE));
    }

    #[test]
    fn plain_and_missing_methods_are_refused() {
        assert!(CodeChallenge::parse(Some(CHALLENGE), None).is_err());
        assert!(CodeChallenge::parse(Some(CHALLENGE), Some("plain")).is_err());
        assert!(CodeChallenge::parse(Some(CHALLENGE), Some("s256")).is_err());
        assert!(CodeChallenge::parse(None, Some("S256")).is_err());
        assert_eq!(CodeChallenge::parse(None, None).unwrap(), None);
    }

    #[test]
    fn malformed_challenges_are_refused() {
        assert!(CodeChallenge::parse(Some("short"), Some("S256")).is_err());
        assert!(CodeChallenge::parse(Some(&"a".repeat(44)), Some("S256")).is_err());
        assert!(CodeChallenge::parse(Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"), Some("S256")).is_err());
    }

    #[test]
    fn verifier_syntax() {
        assert!(is_valid_verifier(VERIFIER));
        assert!(!is_valid_verifier(&"a".repeat(42)));
        assert!(is_valid_verifier(&"a".repeat(128)));
        assert!(!is_valid_verifier(&"a".repeat(129)));
        assert!(!is_valid_verifier(&format!("{}+", "a".repeat(43))));
    }
}
