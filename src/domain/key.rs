//! Signing keys as stored: a kid, a state in the rotation life cycle, and the private key.

use super::error::InvalidValue;
use super::signing_alg::SigningAlg;
use super::time::Timestamp;

/// The life cycle of a signing key: `next` (published, not signing yet) -> `current` (signs) -> `previous`
/// (published until the last token it signed has expired) -> `retired` (no longer published). A key an operator
/// declared compromised is `revoked`: out of the JWKS at once, whatever it signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    Next,
    Current,
    Previous,
    Retired,
    Revoked,
}

impl KeyState {
    pub fn parse(raw: &str) -> Result<KeyState, InvalidValue> {
        match raw {
            "next" => Ok(KeyState::Next),
            "current" => Ok(KeyState::Current),
            "previous" => Ok(KeyState::Previous),
            "retired" => Ok(KeyState::Retired),
            "revoked" => Ok(KeyState::Revoked),
            other => Err(InvalidValue(format!("unknown key state {other:?}"))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Next => "next",
            KeyState::Current => "current",
            KeyState::Previous => "previous",
            KeyState::Retired => "retired",
            KeyState::Revoked => "revoked",
        }
    }

    /// Next and current keys are published; a previous key until the last token it signed has expired.
    pub fn is_published(self, record: &KeyRecord, now: Timestamp) -> bool {
        match self {
            KeyState::Next | KeyState::Current => true,
            KeyState::Previous => record.publish_until.is_none_or(|until| now < until),
            KeyState::Retired | KeyState::Revoked => false,
        }
    }
}

/// One stored signing key.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyRecord {
    /// The RFC 7638 JWK thumbprint.
    pub kid: String,
    /// The one algorithm it signs with; each algorithm has its own ring of keys.
    pub alg: SigningAlg,
    pub state: KeyState,
    /// PKCS#8 DER of the private key (RSA, P-256 or Ed25519, as `alg` says).
    pub private_key: Vec<u8>,
    /// Published from this moment.
    pub created_at: Timestamp,
    /// Became current.
    pub activated_at: Option<Timestamp>,
    /// Stopped signing.
    pub deactivated_at: Option<Timestamp>,
    /// Previous keys: the last moment a token it signed can be valid.
    pub publish_until: Option<Timestamp>,
}

impl std::fmt::Debug for KeyRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRecord")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("state", &self.state)
            .field("private_key", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("activated_at", &self.activated_at)
            .field("deactivated_at", &self.deactivated_at)
            .field("publish_until", &self.publish_until)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip() {
        for s in [KeyState::Next, KeyState::Current, KeyState::Previous, KeyState::Retired, KeyState::Revoked] {
            assert_eq!(KeyState::parse(s.as_str()), Ok(s));
        }
        assert!(KeyState::parse("active").is_err());
    }

    #[test]
    fn private_keys_never_reach_debug_output() {
        let record = KeyRecord {
            kid: "k".into(),
            alg: SigningAlg::RS256,
            state: KeyState::Current,
            private_key: b"secret-der".to_vec(),
            created_at: 0,
            activated_at: None,
            deactivated_at: None,
            publish_until: None,
        };
        assert!(!format!("{record:?}").contains("secret"));
    }
}
