//! Proof Key for Code Exchange, RFC 7636, S256 only (RFC 9700 §2.1.1: "plain" is not to be used).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::domain::CodeChallenge;
use crate::error::OAuthError;
use crate::secrets::constant_time_eq;

/// RFC 7636 §4.3: `code_challenge_method` defaults to "plain" when absent, which we do not support, so the method
/// must be sent and be S256.
pub fn parse_challenge(challenge: Option<&str>, method: Option<&str>) -> Result<Option<CodeChallenge>, OAuthError> {
    match (challenge, method) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(OAuthError::invalid_request("code_challenge_method without code_challenge")),
        (Some(_), None) | (Some(_), Some("plain")) => {
            Err(OAuthError::invalid_request("code_challenge_method must be S256"))
        }
        (Some(_), Some(m)) if m != "S256" => Err(OAuthError::invalid_request("code_challenge_method must be S256")),
        (Some(c), Some(_)) => CodeChallenge::parse(c)
            .map(Some)
            .map_err(|_| OAuthError::invalid_request("code_challenge is not a base64url SHA-256 digest")),
    }
}

/// RFC 7636 §4.6: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge, compared in constant time.
pub fn verify(challenge: &CodeChallenge, verifier: &str) -> bool {
    if !is_valid_verifier(verifier) {
        return false;
    }
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    constant_time_eq(URL_SAFE_NO_PAD.encode(digest).as_bytes(), challenge.as_str().as_bytes())
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
        let c = parse_challenge(Some(CHALLENGE), Some("S256")).unwrap().unwrap();
        assert!(verify(&c, VERIFIER));
        assert!(!verify(&c, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl"));
        assert!(!verify(&c, ""));
        assert!(!verify(&c, CHALLENGE));
    }

    #[test]
    fn plain_and_missing_methods_are_refused() {
        assert!(parse_challenge(Some(CHALLENGE), None).is_err());
        assert!(parse_challenge(Some(CHALLENGE), Some("plain")).is_err());
        assert!(parse_challenge(Some(CHALLENGE), Some("s256")).is_err());
        assert!(parse_challenge(None, Some("S256")).is_err());
        assert_eq!(parse_challenge(None, None).unwrap(), None);
    }

    #[test]
    fn malformed_challenges_are_refused() {
        assert!(parse_challenge(Some("short"), Some("S256")).is_err());
        assert!(parse_challenge(Some(&"a".repeat(44)), Some("S256")).is_err());
        assert!(parse_challenge(Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"), Some("S256")).is_err());
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
