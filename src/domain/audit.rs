//! Audit events: security events kept in the database (and logged), for the operator and the admin API.

use std::collections::BTreeMap;

use super::time::Timestamp;

/// Every event name written to the audit log, as the README lists them.
pub const AUDIT_EVENTS: &[&str] = &[
    "login_succeeded",
    "login_failed",
    "login_refused",
    "login_throttled",
    "client_authentication_failed",
    "token_refused",
    "refresh_token_reuse_detected",
    "authorization_refused",
    "access_denied_by_group",
    "group_added",
    "group_removed",
    "group_member_added",
    "group_member_removed",
    "client_registered",
    "client_updated",
    "client_removed",
    "client_secret_rotated",
    "user_added",
    "user_removed",
    "user_disabled",
    "user_enabled",
    "admin_key_created",
    "admin_key_revoked",
    "group_updated",
    "backchannel_logout_failed",
    "user_updated",
    "user_invited",
    "user_mfa_reset",
    "user_sessions_ended",
    "signing_key_rotated",
    "signing_key_revoked",
    "passkey_failed",
    "passkey_possible_clone",
    "account_passkey_added",
    "account_passkey_refused",
    "account_passkey_renamed",
    "account_passkey_removed",
    "account_passkey_kept",
    "passkeys_reset",
    "account_password_changed",
    "account_totp_enrolled",
    "account_totp_removed",
    "account_recovery_codes_replaced",
    "account_session_ended",
    "account_app_revoked",
    "account_signed_out_everywhere",
    "account_profile_updated",
];

/// An event to record. `detail` holds names and reasons, never a password, secret, code or token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub at: Timestamp,
    /// One of [`AUDIT_EVENTS`].
    pub event: &'static str,
    /// Who made an operator's change (`cli`, `key:<id>` of an admin API key, `user:<username>` of an admin signed in to
    /// the admin pages); `None` for a protocol event.
    pub actor: Option<String>,
    /// The user's subject.
    pub user_id: Option<String>,
    pub client_id: Option<String>,
    /// The caller's address (as throttling counts it).
    pub address: Option<String>,
    pub detail: BTreeMap<String, String>,
}

impl AuditEvent {
    pub fn new(event: &'static str, at: Timestamp) -> AuditEvent {
        debug_assert!(AUDIT_EVENTS.contains(&event), "{event} is not in AUDIT_EVENTS");
        AuditEvent { at, event, actor: None, user_id: None, client_id: None, address: None, detail: BTreeMap::new() }
    }

    pub fn user(mut self, subject: &str) -> AuditEvent {
        self.user_id = Some(subject.to_owned());
        self
    }

    pub fn client(mut self, client_id: &str) -> AuditEvent {
        self.client_id = Some(bounded(client_id));
        self
    }

    pub fn address(mut self, address: &str) -> AuditEvent {
        self.address = Some(bounded(address));
        self
    }

    pub fn actor(mut self, actor: &str) -> AuditEvent {
        self.actor = Some(actor.to_owned());
        self
    }

    /// Adds a detail; a value sent by a caller is cut to 300 characters without control characters, so a crafted
    /// request cannot fill the table or forge lines where it is shown.
    pub fn with(mut self, name: &str, value: impl AsRef<str>) -> AuditEvent {
        self.detail.insert(name.to_owned(), bounded(value.as_ref()));
        self
    }
}

fn bounded(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).take(300).collect()
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: String,
    pub at: Timestamp,
    pub event: String,
    pub actor: Option<String>,
    pub user_id: Option<String>,
    pub client_id: Option<String>,
    pub address: Option<String>,
    pub detail: BTreeMap<String, String>,
}

/// Which events a query returns, newest first: those before the cursor (the last `(at, id)` of the previous page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub user_id: Option<String>,
    pub client_id: Option<String>,
    pub event: Option<String>,
    pub before: Option<(Timestamp, String)>,
    pub limit: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_bounded_and_without_control_characters() {
        let e = AuditEvent::new("login_failed", 1).with("username", format!("a\nb{}", "x".repeat(400)));
        let v = &e.detail["username"];
        assert!(v.starts_with("abx") && v.chars().count() == 300, "{v}");
    }
}
