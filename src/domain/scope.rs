//! Scope values, RFC 6749 §3.3.

use std::collections::BTreeSet;
use std::fmt;

use super::InvalidValue;

/// A non-empty set of scope tokens. Order is not significant (RFC 6749 §3.3), so it is kept sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope(BTreeSet<String>);

/// The scope that makes an OAuth request an OpenID Connect one (OpenID Connect Core §3.1.2.1).
pub const OPENID: &str = "openid";

impl Scope {
    /// RFC 6749 §3.3: `scope = scope-token *( SP scope-token )`, `scope-token = 1*NQCHAR`,
    /// `NQCHAR = %x21 / %x23-5B / %x5D-7E`.
    pub fn parse(raw: &str) -> Result<Scope, InvalidValue> {
        let mut tokens = BTreeSet::new();
        for token in raw.split(' ') {
            if token.is_empty() {
                return Err(InvalidValue("scope has an empty token".into()));
            }
            if !token.bytes().all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b)) {
                return Err(InvalidValue("scope token has a character outside NQCHAR".into()));
            }
            tokens.insert(token.to_owned());
        }
        Ok(Scope(tokens))
    }

    pub fn contains(&self, token: &str) -> bool {
        self.0.contains(token)
    }

    pub fn is_subset_of(&self, other: &Scope) -> bool {
        self.0.is_subset(&other.0)
    }

    /// Keeps only the tokens this server knows; unknown ones are dropped, as RFC 6749 §3.3 allows
    /// ("The authorization server MAY fully or partially ignore the scope requested").
    pub fn intersect(&self, allowed: &[&str]) -> Scope {
        Scope(self.0.iter().filter(|t| allowed.contains(&t.as_str())).cloned().collect())
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for token in &self.0 {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(token)?;
            first = false;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_space_delimited_tokens_without_order_or_duplicates() {
        let s = Scope::parse("profile openid email openid").unwrap();
        assert_eq!(s.to_string(), "email openid profile");
        assert!(s.contains("openid"));
        assert!(!s.contains("phone"));
    }

    #[test]
    fn rejects_empty_tokens_and_forbidden_characters() {
        assert!(Scope::parse("").is_err());
        assert!(Scope::parse("openid  email").is_err());
        assert!(Scope::parse("openid ").is_err());
        assert!(Scope::parse("open\"id").is_err());
        assert!(Scope::parse("open\\id").is_err());
        assert!(Scope::parse("openid\temail").is_err());
        assert!(Scope::parse("é").is_err());
    }

    #[test]
    fn subset_and_intersection() {
        let granted = Scope::parse("openid email profile").unwrap();
        assert!(Scope::parse("openid email").unwrap().is_subset_of(&granted));
        assert!(!Scope::parse("openid phone").unwrap().is_subset_of(&granted));
        let known = Scope::parse("openid unknown email").unwrap().intersect(&["openid", "email"]);
        assert_eq!(known.to_string(), "email openid");
    }
}
