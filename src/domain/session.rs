//! Signing in: the methods a user proved themselves with, the browser login session they open, and who is
//! signed in as far as one authorization request is concerned.

use serde::{Deserialize, Serialize};

use super::error::InvalidValue;
use super::time::Timestamp;

/// How a user proved who they are, named by its RFC 8176 Authentication Method Reference value (`amr`). Recorded
/// on the session in the order used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuthenticationMethod {
    /// RFC 8176 §2 `pwd`: a password.
    #[serde(rename = "pwd")]
    Password,
}

impl AuthenticationMethod {
    pub fn amr(self) -> &'static str {
        match self {
            AuthenticationMethod::Password => "pwd",
        }
    }

    pub fn parse(amr: &str) -> Result<AuthenticationMethod, InvalidValue> {
        match amr {
            "pwd" => Ok(AuthenticationMethod::Password),
            other => Err(InvalidValue(format!("unknown authentication method {other:?}"))),
        }
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
}
