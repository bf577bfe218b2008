//! Who calls the admin API: an admin API key (with its scopes), or an administrator signed in to the admin pages,
//! who presents the access token Tessera issued to its own admin client (`tessera-admin`) and may use every scope
//! while a member of the `admins` group (checked in the database at each call).

use super::error::AdminError;
use super::keys::{PREFIX, authenticate_key};
use crate::domain::{ADMINS_GROUP, AdminKey, Timestamp};
use crate::oauth::access_token::{Standing, standing, verify_access_token};
use crate::oauth::provider::Provider;
use crate::storage::{AccountStore, GroupStore, UserStore};

/// The client id of Tessera's own admin pages (an OpenID Connect client of Tessera, registered at first start).
pub use crate::domain::client::BUILT_IN_ADMIN_CLIENT_ID as ADMIN_CLIENT_ID;

/// The acting key or administrator of an admin operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// An admin API key, limited to its scopes.
    Key(AdminKey),
    /// A member of `admins` signed in through the admin pages: every scope.
    User { id: String, username: String },
}

impl Actor {
    /// Whether this actor may use `scope` (one of `domain::ADMIN_SCOPES`).
    pub fn allows(&self, scope: &str) -> bool {
        match self {
            Actor::Key(key) => key.allows(scope),
            Actor::User { .. } => true,
        }
    }

    /// The actor of the audit events it causes: `key:<id>` or `user:<username>`.
    pub fn audit_name(&self) -> String {
        match self {
            Actor::Key(key) => format!("key:{}", key.id),
            Actor::User { username, .. } => format!("user:{username}"),
        }
    }

    /// The same actor with `scope` alone (a key) when an operation reads back what it wrote.
    pub fn reader(&self, scope: &str) -> Actor {
        match self {
            Actor::Key(key) => Actor::Key(AdminKey { scopes: vec![scope.to_owned()], ..key.clone() }),
            user => user.clone(),
        }
    }
}

/// The actor a Bearer value names: a value starting `tsk_` is an admin API key; anything else must be a live access
/// token of Tessera's admin client whose subject is a live member of `admins`. 401 for a key or token that is not
/// (or no longer) valid, or a token of another client; 403 for a genuine token of a user who is not an admin.
pub fn authenticate(provider: &Provider, bearer: &str, now: Timestamp) -> Result<Actor, AdminError> {
    if bearer.starts_with(PREFIX) {
        return authenticate_key(&provider.db, bearer, now).map(Actor::Key);
    }
    // RFC 6750 §3.1 invalid_token: "The access token provided is expired, revoked, malformed, or invalid for other
    // reasons." The admin pages' tokens carry the default audience; one for a resource (RFC 8707) is not for us.
    let audience = [provider.tokens.access_token_audience.as_str()];
    let claims = verify_access_token(&provider.keys, bearer, &provider.issuer, &audience, now).map_err(|reason| {
        tracing::debug!(%reason, "admin API: access token refused");
        AdminError::unauthenticated()
    })?;
    // RFC 9449 §7.2: a DPoP-bound token is not a bearer token; as at userinfo, one sent as Bearer is refused (the
    // admin pages never bind theirs, so only a token taken from elsewhere can carry `cnf` here).
    if claims.client_id != ADMIN_CLIENT_ID || claims.cnf.is_some() {
        return Err(AdminError::unauthenticated());
    }
    match standing(&provider.db, &claims, now)? {
        Standing::Live(Some(_)) => {}
        Standing::Live(None) | Standing::Dead(_) => return Err(AdminError::unauthenticated()),
    }
    let user = provider.db.find_user(&claims.sub)?.ok_or_else(AdminError::unauthenticated)?;
    if provider.db.is_disabled(&user.subject)? {
        return Err(AdminError::unauthenticated());
    }
    if !provider.db.groups_of(&user.subject)?.iter().any(|g| g == ADMINS_GROUP) {
        return Err(AdminError::new(403, "Forbidden", format!("{} is not a member of {ADMINS_GROUP}", user.username)));
    }
    Ok(Actor::User { id: user.subject, username: user.username })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_has_its_scopes_and_an_admin_every_scope() {
        let key = AdminKey {
            id: "k1".into(),
            name: "ops".into(),
            scopes: vec!["users:read".into()],
            created_at: 0,
            expires_at: None,
            revoked_at: None,
        };
        let key = Actor::Key(key);
        assert!(key.allows("users:read") && !key.allows("users:write"));
        assert_eq!(key.audit_name(), "key:k1");
        let admin = Actor::User { id: "s".into(), username: "alice".into() };
        assert!(admin.allows("users:write") && admin.allows("keys:write"));
        assert_eq!(admin.audit_name(), "user:alice");
        assert!(!key.reader("groups:read").allows("users:read"));
    }
}
