//! Groups of users. A group's name is what the `groups` claim carries and what a client's `allowed_groups` lists.

use std::fmt;

use super::error::InvalidValue;

/// The group whose members may use the admin pages.
pub const ADMINS_GROUP: &str = "admins";

/// A group name: 1 to 64 characters, ASCII letters, digits and `.`, `_`, `-`, starting with a letter or digit. No
/// space or comma, so a list of them is written `g1,g2` on the command line and stored space-separated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupName(String);

impl GroupName {
    pub fn parse(raw: &str) -> Result<GroupName, InvalidValue> {
        if raw.is_empty() || raw.len() > 64 {
            return Err(InvalidValue(format!("group name {raw:?}: 1 to 64 characters")));
        }
        let first_ok = raw.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric());
        if !first_ok || !raw.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')) {
            return Err(InvalidValue(format!(
                "group name {raw:?}: ASCII letters, digits and . _ - only, starting with a letter or digit"
            )));
        }
        Ok(GroupName(raw.to_owned()))
    }

    /// A list of names separated by commas or spaces, without repeats, in the order given; empty is fine.
    pub fn parse_list(raw: &str) -> Result<Vec<GroupName>, InvalidValue> {
        let mut out: Vec<GroupName> = Vec::new();
        for item in raw.split([',', ' ']).filter(|s| !s.is_empty()) {
            let name = GroupName::parse(item)?;
            if !out.contains(&name) {
                out.push(name);
            }
        }
        Ok(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GroupName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A group as an operator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: GroupName,
    pub description: Option<String>,
    pub created_at: i64,
    /// The usernames of its members, sorted.
    pub members: Vec<String>,
}

/// A group's description: one line of at most 200 characters; empty means none.
pub fn parse_description(raw: &str) -> Result<Option<String>, InvalidValue> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > 200 || trimmed.chars().any(char::is_control) {
        return Err(InvalidValue("a group description is one line of at most 200 characters".into()));
    }
    Ok(Some(trimmed.to_owned()))
}

/// Whether a user in `member_of` may use a client restricted to `allowed` (no restriction when `allowed` is empty).
pub fn admits(allowed: &[GroupName], member_of: &[String]) -> bool {
    allowed.is_empty() || allowed.iter().any(|g| member_of.iter().any(|m| m == g.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(GroupName::parse("admins").is_ok());
        assert!(GroupName::parse("team-a.b_c1").is_ok());
        assert!(GroupName::parse("").is_err());
        assert!(GroupName::parse("-x").is_err());
        assert!(GroupName::parse("a b").is_err());
        assert!(GroupName::parse("a,b").is_err());
        assert!(GroupName::parse("é").is_err());
        assert!(GroupName::parse(&"a".repeat(65)).is_err());
        let list = GroupName::parse_list("b,a b").unwrap();
        assert_eq!(list.iter().map(GroupName::as_str).collect::<Vec<_>>(), ["b", "a"]);
        assert!(GroupName::parse_list("").unwrap().is_empty());
        assert!(GroupName::parse_list("ok,b@d").is_err());
    }

    #[test]
    fn restriction() {
        let allowed = GroupName::parse_list("staff,admins").unwrap();
        assert!(admits(&[], &[]));
        assert!(admits(&allowed, &["admins".into()]));
        assert!(!admits(&allowed, &["guests".into()]));
        assert!(!admits(&allowed, &[]));
    }

    #[test]
    fn descriptions() {
        assert_eq!(parse_description("  ").unwrap(), None);
        assert_eq!(parse_description(" Staff ").unwrap().as_deref(), Some("Staff"));
        assert!(parse_description("a\nb").is_err());
    }
}
