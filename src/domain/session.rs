//! Signing in: the methods a user proved themselves with, the browser login session they open, and who is
//! signed in as far as one authorization request is concerned.

use serde::{Deserialize, Serialize};

use super::client_context::ClientContext;
use super::error::InvalidValue;
use super::time::Timestamp;

/// How a user proved who they are, named by its RFC 8176 Authentication Method Reference value (`amr`). Recorded
/// on the session in the order used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuthenticationMethod {
    /// RFC 8176 §2 `pwd`: a password.
    #[serde(rename = "pwd")]
    Password,
    /// RFC 8176 §2 `otp`: a one-time password, a TOTP code (RFC 6238) or one of the single-use recovery codes.
    #[serde(rename = "otp")]
    OneTimePassword,
    /// RFC 8176 §2 `hwk`: "Proof-of-possession (PoP) of a hardware-secured key": a passkey bound to one device
    /// (not backup eligible).
    #[serde(rename = "hwk")]
    HardwareKey,
    /// RFC 8176 §2 `swk`: "Proof-of-possession (PoP) of a software-secured key": a synced passkey (backup
    /// eligible, so its private key can leave the device).
    #[serde(rename = "swk")]
    SoftwareKey,
    /// RFC 8176 §2 `user`: "User presence test. Evidence that the end user is present and interacting with the
    /// device": the authenticator verified the user (WebAuthn UV flag) when a passkey was used alone.
    #[serde(rename = "user")]
    UserPresence,
}

/// OpenID Connect Core §2 `acr` values Tessera issues and advertises (`acr_values_supported`): no registry names
/// levels, so they are URNs of our own. Single factor: a password alone.
pub const ACR_SINGLE_FACTOR: &str = "urn:tessera:acr:single-factor";
/// Two distinct factors (RFC 8176 `mfa`): a password and a one-time code.
pub const ACR_MULTI_FACTOR: &str = "urn:tessera:acr:multi-factor";
/// Every `acr` value, weakest first.
pub const ACR_VALUES: [&str; 2] = [ACR_SINGLE_FACTOR, ACR_MULTI_FACTOR];

impl AuthenticationMethod {
    pub fn amr(self) -> &'static str {
        match self {
            AuthenticationMethod::Password => "pwd",
            AuthenticationMethod::OneTimePassword => "otp",
            AuthenticationMethod::HardwareKey => "hwk",
            AuthenticationMethod::SoftwareKey => "swk",
            AuthenticationMethod::UserPresence => "user",
        }
    }

    /// RFC 8176 §2 `mfa`: "Multiple-factor authentication", more than one distinct method proved.
    pub fn is_multi_factor(methods: &[AuthenticationMethod]) -> bool {
        methods.iter().any(|m| *m != methods[0])
    }

    /// The ID token's `amr` (RFC 8176): the methods in the order proved, each once, then `mfa` when they are more
    /// than one factor.
    pub fn amr_claim(methods: &[AuthenticationMethod]) -> Vec<String> {
        let mut amr: Vec<String> = Vec::new();
        for method in methods {
            if !amr.iter().any(|a| a == method.amr()) {
                amr.push(method.amr().to_owned());
            }
        }
        if AuthenticationMethod::is_multi_factor(methods) {
            amr.push("mfa".to_owned());
        }
        amr
    }

    /// The ID token's `acr`: the level these methods reach.
    pub fn acr_of(methods: &[AuthenticationMethod]) -> &'static str {
        if AuthenticationMethod::is_multi_factor(methods) { ACR_MULTI_FACTOR } else { ACR_SINGLE_FACTOR }
    }

    pub fn parse(amr: &str) -> Result<AuthenticationMethod, InvalidValue> {
        match amr {
            "pwd" => Ok(AuthenticationMethod::Password),
            "otp" => Ok(AuthenticationMethod::OneTimePassword),
            "hwk" => Ok(AuthenticationMethod::HardwareKey),
            "swk" => Ok(AuthenticationMethod::SoftwareKey),
            "user" => Ok(AuthenticationMethod::UserPresence),
            other => Err(InvalidValue(format!("unknown authentication method {other:?}"))),
        }
    }

    /// A passkey (`hwk` or `swk`).
    pub fn is_passkey(self) -> bool {
        matches!(self, AuthenticationMethod::HardwareKey | AuthenticationMethod::SoftwareKey)
    }

    /// A list as stored: the `amr` values, space-separated.
    pub fn list_to_string(methods: &[AuthenticationMethod]) -> String {
        methods.iter().map(|m| m.amr()).collect::<Vec<_>>().join(" ")
    }

    pub fn parse_list(raw: &str) -> Result<Vec<AuthenticationMethod>, InvalidValue> {
        raw.split(' ').filter(|s| !s.is_empty()).map(AuthenticationMethod::parse).collect()
    }
}

/// A browser login session (single sign-on). The cookie value is a secret and is stored hashed; `sid` is public
/// (it goes into ID tokens and logout tokens, OpenID Connect Back-Channel Logout 1.0 §2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub sid: String,
    pub user_id: String,
    pub auth_time: Timestamp,
    pub expires_at: Timestamp,
    pub methods: Vec<AuthenticationMethod>,
    /// The browser and address the session was opened from (empty when not known).
    pub client: ClientContext,
}

/// Who is signed in, as far as one authorization request is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authentication {
    pub user_id: String,
    pub auth_time: Timestamp,
    /// True when the user signed in during this very request, so prompt=login and max_age are satisfied.
    pub fresh: bool,
    /// The browser session's `sid`, recorded with the grant (logout ends the grants of a session).
    pub session_id: Option<String>,
    pub methods: Vec<AuthenticationMethod>,
}

impl Authentication {
    /// The authentication a live session stands for.
    pub fn of_session(session: Session) -> Authentication {
        Authentication {
            user_id: session.user_id,
            auth_time: session.auth_time,
            fresh: false,
            session_id: Some(session.sid),
            methods: session.methods,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_stored_as_their_amr_values() {
        let methods = vec![AuthenticationMethod::Password];
        let stored = AuthenticationMethod::list_to_string(&methods);
        assert_eq!(stored, "pwd");
        assert_eq!(AuthenticationMethod::parse_list(&stored).unwrap(), methods);
        assert_eq!(AuthenticationMethod::parse_list("").unwrap(), vec![]);
        assert!(AuthenticationMethod::parse_list("pwd sms").is_err());
    }

    #[test]
    fn amr_and_acr_follow_the_factors_proved() {
        use AuthenticationMethod::{OneTimePassword, Password};
        assert_eq!(AuthenticationMethod::amr_claim(&[Password]), ["pwd"]);
        assert_eq!(AuthenticationMethod::acr_of(&[Password]), ACR_SINGLE_FACTOR);
        assert_eq!(AuthenticationMethod::amr_claim(&[Password, OneTimePassword]), ["pwd", "otp", "mfa"]);
        assert_eq!(AuthenticationMethod::acr_of(&[Password, OneTimePassword]), ACR_MULTI_FACTOR);
        assert_eq!(AuthenticationMethod::amr_claim(&[Password, Password]), ["pwd"], "one factor twice is one factor");
        assert!(!AuthenticationMethod::is_multi_factor(&[]));
        assert_eq!(AuthenticationMethod::parse_list("pwd otp").unwrap(), [Password, OneTimePassword]);
    }
}
