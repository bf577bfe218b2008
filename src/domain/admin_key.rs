//! Admin API keys: what an operator hands a script or another system to call the admin API, each with the scopes
//! it may use.

use super::error::InvalidValue;
use super::time::Timestamp;

/// Every scope an admin API key may hold.
pub const ADMIN_SCOPES: &[&str] = &[
    "users:read",
    "users:write",
    "groups:read",
    "groups:write",
    "clients:read",
    "clients:write",
    "keys:read",
    "keys:write",
    "audit:read",
    "settings:read",
];

/// A key's scopes: a non-empty list of [`ADMIN_SCOPES`], separated by spaces or commas, without repeats.
pub fn parse_admin_scopes(raw: &str) -> Result<Vec<String>, InvalidValue> {
    let mut out: Vec<String> = Vec::new();
    for scope in raw.split([' ', ',']).filter(|s| !s.is_empty()) {
        if !ADMIN_SCOPES.contains(&scope) {
            return Err(InvalidValue(format!("unknown admin scope {scope:?} (one of {})", ADMIN_SCOPES.join(" "))));
        }
        if !out.iter().any(|s| s == scope) {
            out.push(scope.to_owned());
        }
    }
    if out.is_empty() {
        return Err(InvalidValue(format!("give at least one scope: {}", ADMIN_SCOPES.join(" "))));
    }
    Ok(out)
}

/// A key as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminKey {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl AdminKey {
    /// Usable at `now`: not revoked, not expired.
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|end| now < end)
    }

    pub fn allows(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        assert_eq!(parse_admin_scopes("users:read, audit:read users:read").unwrap(), ["users:read", "audit:read"]);
        assert!(parse_admin_scopes("").is_err());
        assert!(parse_admin_scopes("users:admin").is_err());
        let key = AdminKey {
            id: "k".into(),
            name: "n".into(),
            scopes: vec!["audit:read".into()],
            created_at: 0,
            expires_at: Some(10),
            revoked_at: None,
        };
        assert!(key.is_live(9) && !key.is_live(10));
        assert!(key.allows("audit:read") && !key.allows("users:read"));
    }
}
