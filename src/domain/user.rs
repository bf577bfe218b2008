//! End users.

use std::fmt;

use super::attributes::UserAttributes;
use super::error::InvalidValue;

/// A login name: 1 to 64 characters, letters, digits and `.`, `_`, `-`, `@`. Never used as the subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Username, InvalidValue> {
        if raw.is_empty() || raw.chars().count() > 64 {
            return Err(InvalidValue("a username has 1 to 64 characters".into()));
        }
        if !raw.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')) {
            return Err(InvalidValue("a username has only letters, digits and . _ - @".into()));
        }
        Ok(Username(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A user as the protocol core sees it. The password hash stays in storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The OpenID `sub`: random, stable, never the username (OpenID Connect Core §2, §8).
    pub subject: String,
    pub username: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    /// The other standard claims (OpenID Connect Core §5.1).
    pub attributes: UserAttributes,
    /// Unix seconds of the last change to the user's information (the `updated_at` claim).
    pub updated_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(Username::parse("alice").is_ok());
        assert!(Username::parse("alice.smith@example.com").is_ok());
        assert!(Username::parse("").is_err());
        assert!(Username::parse("a b").is_err());
        assert!(Username::parse("<script>").is_err());
        assert!(Username::parse(&"a".repeat(65)).is_err());
    }
}
