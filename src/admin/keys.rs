//! Admin API keys: `tsk_<id>_<secret>`, the id to find the key, the secret (256 random bits) compared by its
//! SHA-256 in constant time. Only the hash is stored; the key is shown once, when it is made.

use super::error::AdminError;
use crate::domain::{AdminKey, AuditEvent, Timestamp};
use crate::secrets::{SecretString, constant_time_eq, random_token, token_hash};
use crate::storage::{AdminKeyStore, AuditLog, StorageResult};

/// What every admin API key starts with.
pub const PREFIX: &str = "tsk_";

/// A new key and its value, to show once.
pub struct AdminKeyIssued {
    pub key: AdminKey,
    pub value: SecretString,
}

/// Makes and stores a key with `scopes` (already checked), valid for `ttl_days` if given.
pub fn issue_key(
    store: &(impl AdminKeyStore + AuditLog),
    name: &str,
    scopes: Vec<String>,
    ttl_days: Option<u32>,
    actor: &str,
    now: Timestamp,
) -> StorageResult<AdminKeyIssued> {
    let id = uuid::Uuid::new_v4().simple().to_string()[..16].to_owned();
    let secret = random_token(32);
    let key = AdminKey {
        id: id.clone(),
        name: name.to_owned(),
        scopes,
        created_at: now,
        expires_at: ttl_days.map(|days| now + i64::from(days) * 24 * 3600),
        revoked_at: None,
    };
    store.add_admin_key(&key, &token_hash(secret.expose()))?;
    let event = AuditEvent::new("admin_key_created", now).actor(actor).with("key", &id).with("name", name);
    store.record_audit(&event.with("scopes", key.scopes.join(" ")))?;
    Ok(AdminKeyIssued { value: SecretString::new(format!("{PREFIX}{id}_{}", secret.expose())), key })
}

/// The live key a Bearer value names, if its secret matches.
pub fn authenticate_key(store: &impl AdminKeyStore, presented: &str, now: Timestamp) -> Result<AdminKey, AdminError> {
    let rest = presented.strip_prefix(PREFIX).ok_or_else(AdminError::unauthenticated)?;
    let (id, secret) = rest.split_once('_').ok_or_else(AdminError::unauthenticated)?;
    let (key, hash) = store.find_admin_key(id)?.ok_or_else(AdminError::unauthenticated)?;
    if !constant_time_eq(token_hash(secret).as_bytes(), hash.as_bytes()) || !key.is_live(now) {
        return Err(AdminError::unauthenticated());
    }
    Ok(key)
}
