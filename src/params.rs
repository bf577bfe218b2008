//! Request parameters (RFC 6749 §3.1, §3.2): a map with no name repeated, empty values absent, and sizes bounded,
//! built by the HTTP layer from a query string or a form body and read by every protocol step.

use std::collections::HashMap;

use crate::error::OAuthError;

/// Longest value we accept for any single parameter. Generous for state and nonce, small enough that a request
/// cannot make us store or reflect megabytes.
pub const MAX_PARAM_LEN: usize = 4096;

/// Request parameters with no name repeated (RFC 6749 §3.1: "Request and response parameters MUST NOT be
/// included more than once"). Built by the HTTP layer; empty values count as absent (RFC 6749 §3.1).
#[derive(Debug, Clone, Default)]
pub struct Params(HashMap<String, String>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamsError {
    Repeated(String),
    TooLong(String),
    TooMany,
}

impl ParamsError {
    pub fn to_oauth(&self) -> OAuthError {
        match self {
            ParamsError::Repeated(name) => {
                OAuthError::invalid_request("a parameter was sent more than once").with_detail(name.clone())
            }
            ParamsError::TooLong(name) => {
                OAuthError::invalid_request("a parameter value is too long").with_detail(name.clone())
            }
            ParamsError::TooMany => OAuthError::invalid_request("too many parameters"),
        }
    }
}

impl Params {
    pub fn from_pairs<I, K, V>(pairs: I) -> Result<Params, ParamsError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let mut map = HashMap::new();
        for (name, value) in pairs {
            let (name, value) = (name.into(), value.into());
            if map.len() >= 64 {
                return Err(ParamsError::TooMany);
            }
            if value.len() > MAX_PARAM_LEN || name.len() > 128 {
                return Err(ParamsError::TooLong(name.chars().take(128).collect()));
            }
            if map.insert(name.clone(), value).is_some() {
                return Err(ParamsError::Repeated(name));
            }
        }
        Ok(Params(map))
    }

    /// The value, or `None` when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }

    pub fn required(&self, name: &'static str, description: &'static str) -> Result<&str, OAuthError> {
        self.get(name).ok_or_else(|| OAuthError::invalid_request(description).with_detail(name))
    }

    /// Every parameter, in no particular order (a pushed authorization request is stored as these pairs).
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_parameters_are_refused() {
        let err = Params::from_pairs([("a", "1"), ("b", "2"), ("a", "3")]).unwrap_err();
        assert_eq!(err, ParamsError::Repeated("a".into()));
    }

    #[test]
    fn empty_values_count_as_absent() {
        let p = Params::from_pairs([("state", ""), ("scope", "openid")]).unwrap();
        assert_eq!(p.get("state"), None);
        assert_eq!(p.get("scope"), Some("openid"));
    }

    #[test]
    fn long_values_are_refused() {
        let long = "x".repeat(MAX_PARAM_LEN + 1);
        assert!(matches!(Params::from_pairs([("state", long)]), Err(ParamsError::TooLong(_))));
    }
}
