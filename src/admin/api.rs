//! The admin API's operations, each behind its scope, on the same storage and domain rules as the CLI. Writes are
//! audit events with the actor (`key:<id>` or `user:<username>`, `actor.rs`).

use serde::{Deserialize, Serialize};

use super::actor::Actor;
use super::error::AdminError;
use crate::domain::group::parse_description;
use crate::domain::{AuditEvent, AuditQuery, Group, GroupName, Timestamp};
use crate::storage::{AuditLog, ClientStore, Database, GroupStore, KeyStoreRepository, MembershipChange, UserStore};

/// Refuses an actor without `scope`.
pub fn require(actor: &Actor, scope: &str) -> Result<(), AdminError> {
    if actor.allows(scope) { Ok(()) } else { Err(AdminError::forbidden(scope)) }
}

/// The audit event of a write made by `actor`.
pub(super) fn audit(actor: &Actor, event: &'static str, now: Timestamp) -> AuditEvent {
    AuditEvent::new(event, now).actor(&actor.audit_name())
}

/// A group as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct GroupView {
    pub name: String,
    pub description: Option<String>,
    pub created_at: Timestamp,
    pub members: Vec<String>,
}

impl GroupView {
    fn of(group: Group) -> GroupView {
        GroupView {
            name: group.name.to_string(),
            description: group.description,
            created_at: group.created_at,
            members: group.members,
        }
    }
}

/// The entity tag of a group's editable state (its description), RFC 9110 §8.8.3: a strong tag, quoted.
pub fn group_etag(group: &GroupView) -> String {
    let digest = crate::secrets::token_hash(&format!("{}\n{}", group.name, group.description.as_deref().unwrap_or("")));
    format!("\"{}\"", &digest[..22])
}

pub fn list_groups(db: &Database, actor: &Actor) -> Result<Vec<GroupView>, AdminError> {
    require(actor, "groups:read")?;
    Ok(db.list_groups()?.into_iter().map(GroupView::of).collect())
}

pub fn get_group(db: &Database, actor: &Actor, name: &str) -> Result<GroupView, AdminError> {
    require(actor, "groups:read")?;
    let group = db.find_group(name)?.ok_or_else(|| AdminError::not_found(format!("no group {name:?}")))?;
    Ok(GroupView::of(group))
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewGroup {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

pub fn create_group(db: &Database, actor: &Actor, new: &NewGroup, now: Timestamp) -> Result<GroupView, AdminError> {
    require(actor, "groups:write")?;
    let name = GroupName::parse(&new.name)?;
    let description = new.description.as_deref().map(parse_description).transpose()?.flatten();
    db.add_group(&name, description.as_deref(), now)?;
    db.record_audit(&audit(actor, "group_added", now).with("group", name.as_str()))?;
    get_group(db, &actor.reader("groups:read"), name.as_str())
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct GroupChange {
    pub description: Option<String>,
}

/// Changes a group's description if its current ETag is `if_match` (RFC 9110 §13.1.1): 412 when someone changed it
/// since, 428 (RFC 6585 §3) when no `If-Match` was sent, so two admins cannot silently overwrite each other.
pub fn update_group(
    db: &Database,
    actor: &Actor,
    name: &str,
    if_match: Option<&str>,
    change: &GroupChange,
    now: Timestamp,
) -> Result<GroupView, AdminError> {
    require(actor, "groups:write")?;
    let if_match = if_match.ok_or_else(|| {
        AdminError::new(428, "Precondition Required", "send If-Match with the ETag of the group you read")
    })?;
    let description = change.description.as_deref().map(parse_description).transpose()?.flatten();
    let reader = actor.reader("groups:read");
    let current = get_group(db, &reader, name)?;
    let expected = group_etag(&current);
    if if_match != "*" && !if_match.split(',').any(|tag| tag.trim() == expected) {
        return Err(AdminError::new(412, "Precondition Failed", "the group changed since you read it: read it again"));
    }
    if !db.set_group_description(name, current.description.as_deref(), description.as_deref())? {
        return Err(AdminError::new(412, "Precondition Failed", "the group changed since you read it: read it again"));
    }
    db.record_audit(&audit(actor, "group_updated", now).with("group", name))?;
    get_group(db, &reader, name)
}

pub fn delete_group(db: &Database, actor: &Actor, name: &str, now: Timestamp) -> Result<(), AdminError> {
    require(actor, "groups:write")?;
    if !db.remove_group(name)? {
        return Err(AdminError::not_found(format!("no group {name:?}")));
    }
    db.record_audit(&audit(actor, "group_removed", now).with("group", name))?;
    Ok(())
}

/// Adds (`add`) or removes a member.
pub fn set_member(
    db: &Database,
    actor: &Actor,
    group: &str,
    username: &str,
    add: bool,
    now: Timestamp,
) -> Result<(), AdminError> {
    require(actor, "groups:write")?;
    let change = if add { db.add_member(group, username, now)? } else { db.remove_member(group, username)? };
    match change {
        MembershipChange::NoSuchGroup => Err(AdminError::not_found(format!("no group {group:?}"))),
        MembershipChange::NoSuchUser => Err(AdminError::not_found(format!("no user {username:?}"))),
        MembershipChange::Unchanged => Ok(()),
        MembershipChange::Done => {
            let event = if add { "group_member_added" } else { "group_member_removed" };
            db.record_audit(&audit(actor, event, now).with("group", group).with("username", username))?;
            Ok(())
        }
    }
}

/// A user as the API lists them (never the password hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub username: String,
    pub sub: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub disabled: bool,
    pub created_at: Timestamp,
    pub last_login_at: Option<Timestamp>,
}

pub fn list_users(db: &Database, actor: &Actor) -> Result<Vec<UserView>, AdminError> {
    require(actor, "users:read")?;
    Ok(db
        .list_users()?
        .into_iter()
        .map(|r| UserView {
            username: r.user.username,
            sub: r.user.subject,
            email: r.user.email,
            name: r.user.name,
            disabled: r.disabled,
            created_at: r.created_at,
            last_login_at: r.last_login_at,
        })
        .collect())
}

/// `GET /audit` filters (query string).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditFilter {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub user: Option<String>,
    pub client: Option<String>,
    pub event: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEventView {
    pub id: String,
    pub at: Timestamp,
    pub event: String,
    pub actor: Option<String>,
    pub user_id: Option<String>,
    pub client_id: Option<String>,
    pub address: Option<String>,
    pub detail: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub events: Vec<AuditEventView>,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Events newest first, `limit` (default 100, at most 1000) a page; the cursor is `<at>.<id>` of the last event.
pub fn audit_events(db: &Database, actor: &Actor, filter: &AuditFilter) -> Result<AuditPage, AdminError> {
    require(actor, "audit:read")?;
    let before = match &filter.cursor {
        Some(cursor) => {
            let (at, id) =
                cursor.split_once('.').ok_or_else(|| AdminError::invalid("cursor: use the next_cursor given"))?;
            Some((at.parse().map_err(|_| AdminError::invalid("cursor: use the next_cursor given"))?, id.to_owned()))
        }
        None => None,
    };
    let limit = filter.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(AdminError::invalid("limit is between 1 and 1000"));
    }
    let query = AuditQuery {
        since: filter.since,
        until: filter.until,
        user_id: filter.user.clone(),
        client_id: filter.client.clone(),
        event: filter.event.clone(),
        before,
        limit,
    };
    let records = db.audit_events(&query)?;
    let next_cursor =
        (records.len() as i64 == limit).then(|| records.last().map(|r| format!("{}.{}", r.at, r.id))).flatten();
    let events = records
        .into_iter()
        .map(|r| AuditEventView {
            id: r.id,
            at: r.at,
            event: r.event,
            actor: r.actor,
            user_id: r.user_id,
            client_id: r.client_id,
            address: r.address,
            detail: r.detail,
        })
        .collect();
    Ok(AuditPage { events, next_cursor })
}

/// The effective settings, read-only, with secrets redacted (a database password, the key-encryption key).
pub fn settings(actor: &Actor, settings: &crate::config::Settings) -> Result<serde_json::Value, AdminError> {
    require(actor, "settings:read")?;
    let mut value = serde_json::to_value(settings).map_err(|e| AdminError::invalid(e.to_string()))?;
    if let Some(url) = value.get_mut("database_url") {
        *url = serde_json::Value::String(crate::storage::redact_url(url.as_str().unwrap_or_default()));
    }
    if let Some(kek) = value.get_mut("key_encryption_key")
        && kek.as_str().is_some_and(|k| !k.is_empty())
    {
        *kek = serde_json::Value::String("redacted".into());
    }
    Ok(value)
}

/// A client as the API shows it (never its secret or its hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClientView {
    pub client_id: String,
    pub name: String,
    /// `confidential` or `public`.
    pub client_type: &'static str,
    pub redirect_uris: Vec<String>,
    pub grant_types: Vec<&'static str>,
    pub scope: String,
    pub skip_consent: bool,
    pub access_token_groups: bool,
    pub allowed_groups: Vec<String>,
    /// Whether a logo is stored (the data URI itself is long).
    pub logo: bool,
    /// Whether a JWKS is registered for private_key_jwt.
    pub jwks: bool,
    pub jwks_uri: Option<String>,
    pub id_token_signed_response_alg: Option<&'static str>,
    pub refresh_token_reuse_grace_secs: Option<i64>,
    pub require_pushed_authorization_requests: bool,
    pub device_code_ttl_secs: Option<i64>,
}

impl ClientView {
    pub(super) fn of(client: &crate::domain::Client) -> ClientView {
        ClientView {
            client_id: client.id.to_string(),
            name: client.name.clone(),
            client_type: if client.kind == crate::domain::ClientKind::Public { "public" } else { "confidential" },
            redirect_uris: client.redirect_uris.iter().map(|u| u.as_str().to_owned()).collect(),
            grant_types: client.grant_types.iter().map(|g| g.as_str()).collect(),
            scope: client.scope.to_string(),
            skip_consent: client.skip_consent,
            access_token_groups: client.access_token_groups,
            allowed_groups: client.allowed_groups.iter().map(|g| g.to_string()).collect(),
            logo: client.logo_uri.is_some(),
            jwks: client.jwks.is_some(),
            jwks_uri: client.jwks_uri.clone(),
            id_token_signed_response_alg: client.id_token_signed_response_alg.map(|a| a.as_str()),
            refresh_token_reuse_grace_secs: client.refresh_token_reuse_grace_secs,
            require_pushed_authorization_requests: client.require_pushed_authorization_requests,
            device_code_ttl_secs: client.device_code_ttl_secs,
        }
    }
}

pub fn list_clients(db: &Database, actor: &Actor) -> Result<Vec<ClientView>, AdminError> {
    require(actor, "clients:read")?;
    Ok(db.list_clients()?.iter().map(|r| ClientView::of(&r.client)).collect())
}

pub fn get_client(db: &Database, actor: &Actor, id: &str) -> Result<ClientView, AdminError> {
    require(actor, "clients:read")?;
    let record = db.find_client(id)?.ok_or_else(|| AdminError::not_found(format!("no client {id:?}")))?;
    Ok(ClientView::of(&record.client))
}

/// The client's recent failed requests (newest first, at most 50), each explained with the fix.
pub fn doctor(db: &Database, actor: &Actor, id: &str) -> Result<Vec<super::doctor::Diagnosis>, AdminError> {
    require(actor, "clients:read")?;
    let record = db.find_client(id)?.ok_or_else(|| AdminError::not_found(format!("no client {id:?}")))?;
    let query = AuditQuery { client_id: Some(id.to_owned()), limit: 200, ..AuditQuery::default() };
    Ok(db
        .audit_events(&query)?
        .iter()
        .filter(|e| super::doctor::FAILURE_EVENTS.contains(&e.event.as_str()))
        .take(50)
        .map(|e| super::doctor::explain(e, &record.client))
        .collect())
}

/// A signing key as the API shows it (its public identity and state, never the private key).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SigningKeyView {
    pub kid: String,
    /// `next`, `current`, `previous` or `revoked`.
    pub state: &'static str,
    pub created_at: Timestamp,
    pub activated_at: Option<Timestamp>,
    pub deactivated_at: Option<Timestamp>,
    pub publish_until: Option<Timestamp>,
}

pub fn list_signing_keys(db: &Database, actor: &Actor) -> Result<Vec<SigningKeyView>, AdminError> {
    require(actor, "keys:read")?;
    Ok(db
        .load_keys()?
        .into_iter()
        .map(|k| SigningKeyView {
            kid: k.kid,
            state: k.state.as_str(),
            created_at: k.created_at,
            activated_at: k.activated_at,
            deactivated_at: k.deactivated_at,
            publish_until: k.publish_until,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_view_never_shows_a_secret() {
        let key = Actor::Key(crate::domain::AdminKey {
            id: "k".into(),
            name: "ops".into(),
            scopes: vec!["settings:read".into()],
            created_at: 0,
            expires_at: None,
            revoked_at: None,
        });
        let configured = crate::config::Settings {
            database_url: "postgres://tessera:hunter2@db/tessera".into(),
            key_encryption_key: "c2VjcmV0LWtlay1ieXRlcy1mb3ItdGhlLXRlc3Q=".into(),
            ..crate::config::Settings::default()
        };
        let shown = settings(&key, &configured).unwrap().to_string();
        assert!(!shown.contains("hunter2") && !shown.contains("c2VjcmV0"), "{shown}");
        assert!(shown.contains("\"key_encryption_key\":\"redacted\""), "{shown}");
    }
}
