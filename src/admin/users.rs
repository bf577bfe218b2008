//! The admin API's user operations (`users:read`, `users:write`), on the CLI's rules (`operations.rs`, the domain's
//! parsers and password rule); every write an audit event with the actor. Ending a session does what logout does:
//! the session's online grants are revoked and its clients told by back-channel logout.

use serde::{Deserialize, Serialize};

use super::actor::Actor;
use super::api::{audit, require};
use super::error::AdminError;
use super::operations::{UserChanges, invite_user, reset_second_factors};
use crate::domain::attributes::{parse_email, parse_text};
use crate::domain::{Grant, NewPassword, Timestamp, User, Username};
use crate::oauth::provider::Provider;
use crate::secrets::hash_password;
use crate::storage::{AccountPageStore, AccountStore, AdminWrites, AuditLog, NewUser, UserRecord, UserStore};

/// One user as the API shows them: their claims and state, never a password or its hash.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserDetail {
    pub username: String,
    pub sub: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub middle_name: Option<String>,
    pub nickname: Option<String>,
    pub profile: Option<String>,
    pub picture: Option<String>,
    pub website: Option<String>,
    pub gender: Option<String>,
    pub birthdate: Option<String>,
    pub zoneinfo: Option<String>,
    pub locale: Option<String>,
    pub phone_number: Option<String>,
    pub phone_number_verified: bool,
    pub disabled: bool,
    /// Whether the account has a password yet (an invited account has none until the link is used).
    pub has_password: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub last_login_at: Option<Timestamp>,
}

impl UserDetail {
    fn of(record: UserRecord) -> UserDetail {
        let u = record.user;
        let a = u.attributes;
        UserDetail {
            username: u.username,
            sub: u.subject,
            email: u.email,
            email_verified: u.email_verified,
            name: u.name,
            given_name: a.given_name,
            family_name: a.family_name,
            middle_name: a.middle_name,
            nickname: a.nickname,
            profile: a.profile,
            picture: a.picture,
            website: a.website,
            gender: a.gender,
            birthdate: a.birthdate,
            zoneinfo: a.zoneinfo,
            locale: a.locale,
            phone_number: a.phone_number,
            phone_number_verified: a.phone_number_verified,
            disabled: record.disabled,
            has_password: !record.password_hash.is_empty(),
            created_at: record.created_at,
            updated_at: u.updated_at,
            last_login_at: record.last_login_at,
        }
    }
}

/// The entity tag of a user's editable state (RFC 9110 §8.8.3): every claim and `updated_at`, which every
/// conditional write moves forward; a strong tag, quoted.
pub fn user_etag(user: &User) -> String {
    let digest = crate::secrets::token_hash(&format!("user\n{user:?}"));
    format!("\"{}\"", &digest[..22])
}

fn no_user(username: &str) -> AdminError {
    AdminError::not_found(format!("no user {username:?}"))
}

fn find(provider: &Provider, username: &str) -> Result<UserRecord, AdminError> {
    provider.db.find_user_by_username(username)?.ok_or_else(|| no_user(username))
}

/// A user and their ETag.
pub fn get_user(provider: &Provider, actor: &Actor, username: &str) -> Result<(UserDetail, String), AdminError> {
    require(actor, "users:read")?;
    let record = find(provider, username)?;
    let etag = user_etag(&record.user);
    Ok((UserDetail::of(record), etag))
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    pub username: String,
    pub email: String,
    /// Checked by the same rule as `tessera user add` (length, and not guessable from the username or email).
    pub password: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email_verified: bool,
}

/// Creates a user under the CLI's rules (`tessera user add`).
pub fn create_user(
    provider: &Provider,
    actor: &Actor,
    new: &NewUserRequest,
    now: Timestamp,
) -> Result<(UserDetail, String), AdminError> {
    require(actor, "users:write")?;
    let username = Username::parse(&new.username)?;
    let email = parse_email(&new.email)?;
    let name = match new.name.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(name) => Some(parse_text("name", name, false)?),
    };
    let password = NewPassword::parse(&new.password, &[username.as_str(), &email])?;
    let password_hash = hash_password(password.expose()).map_err(|e| {
        tracing::error!(error = %e, "hashing a password");
        AdminError::new(500, "Internal Server Error", "hashing the password failed")
    })?;
    let user = provider.db.add_user(
        &NewUser {
            username: username.to_string(),
            password_hash,
            email: Some(email),
            email_verified: new.email_verified,
            name,
            attributes: Default::default(),
        },
        now,
    )?;
    provider.db.record_audit(&audit(actor, "user_added", now).user(&user.subject).with("username", &user.username))?;
    get_user(provider, &actor.reader("users:read"), &user.username)
}

/// Changes a user's claims if their current ETag is `if_match` (RFC 9110 §13.1.1): 412 when someone changed them
/// since (checked again under a row lock), 428 (RFC 6585 §3) without `If-Match`.
pub fn update_user(
    provider: &Provider,
    actor: &Actor,
    username: &str,
    if_match: Option<&str>,
    changes: &UserChanges,
    now: Timestamp,
) -> Result<(UserDetail, String), AdminError> {
    require(actor, "users:write")?;
    let if_match = if_match.ok_or_else(|| {
        AdminError::new(428, "Precondition Required", "send If-Match with the ETag of the user you read")
    })?;
    if changes.is_empty() {
        return Err(AdminError::invalid("nothing to change: give at least one claim"));
    }
    let matches = |user: &User| {
        let current = user_etag(user);
        if_match == "*" || if_match.split(',').any(|tag| tag.trim() == current)
    };
    let mut user = find(provider, username)?.user;
    if !matches(&user) {
        return Err(stale("user"));
    }
    changes.clone().apply(&mut user)?;
    match provider.db.update_user_if(&user, &matches, now)? {
        None => return Err(no_user(username)),
        Some(false) => return Err(stale("user")),
        Some(true) => {}
    }
    provider.db.record_audit(&audit(actor, "user_updated", now).user(&user.subject).with("username", username))?;
    get_user(provider, &actor.reader("users:read"), username)
}

/// 412: the resource changed since the caller read it.
pub fn stale(what: &str) -> AdminError {
    AdminError::new(412, "Precondition Failed", format!("the {what} changed since you read it: read it again"))
}

/// Tells the clients of `grants` that their sessions ended (Back-Channel Logout), as logout does.
fn notify(provider: &Provider, grants: &[Grant], now: Timestamp) {
    provider.backchannel.notify(&provider.db, &provider.keys, &provider.issuer, grants, now);
}

/// Disables (`disabled`) or enables an account. Disabling ends the user's sessions (their clients are told) and
/// stops their grants refreshing, as `tessera user disable` does.
pub fn set_disabled(
    provider: &Provider,
    actor: &Actor,
    username: &str,
    disabled: bool,
    now: Timestamp,
) -> Result<(), AdminError> {
    require(actor, "users:write")?;
    let ended = provider.db.set_disabled(username, disabled, now)?.ok_or_else(|| no_user(username))?;
    let event = if disabled { "user_disabled" } else { "user_enabled" };
    provider.db.record_audit(&audit(actor, event, now).with("username", username))?;
    notify(provider, &ended, now);
    Ok(())
}

pub fn delete_user(provider: &Provider, actor: &Actor, username: &str, now: Timestamp) -> Result<(), AdminError> {
    require(actor, "users:write")?;
    let user = find(provider, username)?.user;
    // Signed out first, so the clients of their sessions hear of it before the rows go.
    let ended = provider.db.sign_out_everywhere(username, now)?.unwrap_or_default();
    notify(provider, &ended, now);
    if !provider.db.remove_user(username)? {
        return Err(no_user(username));
    }
    provider.db.record_audit(&audit(actor, "user_removed", now).user(&user.subject).with("username", username))?;
    Ok(())
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    /// The address of an account made by the invitation (required when the user does not exist yet).
    pub email: String,
    /// How long the link works, 1 to 720 hours (default 72).
    #[serde(default)]
    pub ttl_hours: Option<u32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Invitation {
    pub username: String,
    /// The single-use link, shown only now.
    pub link: String,
    pub expires_at: Timestamp,
}

/// As `tessera user invite`: the account without a credential if it does not exist, and a single-use link.
pub fn invite(
    provider: &Provider,
    actor: &Actor,
    username: &str,
    request: &InviteRequest,
    now: Timestamp,
) -> Result<Invitation, AdminError> {
    require(actor, "users:write")?;
    let ttl_hours = request.ttl_hours.unwrap_or(72);
    let (user, path) = invite_user(&provider.db, username, &request.email, ttl_hours, now)?;
    let event = audit(actor, "user_invited", now).user(&user.subject).with("username", &user.username);
    provider.db.record_audit(&event.with("ttl_hours", ttl_hours.to_string()))?;
    Ok(Invitation {
        username: user.username,
        link: format!("{}{path}", provider.issuer),
        expires_at: now + i64::from(ttl_hours) * 3600,
    })
}

/// As `tessera user mfa reset`: every second factor and recovery code removed.
pub fn reset_mfa(provider: &Provider, actor: &Actor, username: &str, now: Timestamp) -> Result<bool, AdminError> {
    require(actor, "users:write")?;
    let (user, removed, _) = reset_second_factors(&provider.db, username)?.ok_or_else(|| no_user(username))?;
    let event = audit(actor, "user_mfa_reset", now).user(&user.subject).with("username", username);
    provider.db.record_audit(&event.with("removed", removed.to_string()))?;
    Ok(removed)
}

/// A live browser session as the API shows it (never its cookie).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub sid: String,
    pub auth_time: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
    /// The clients that got grants in it.
    pub clients: Vec<String>,
    /// The User-Agent of the browser that signed in (empty: not recorded).
    pub user_agent: String,
    /// The client address it signed in from, as the server saw it (empty: not recorded).
    pub address: String,
}

pub fn list_sessions(
    provider: &Provider,
    actor: &Actor,
    username: &str,
    now: Timestamp,
) -> Result<Vec<SessionView>, AdminError> {
    require(actor, "users:read")?;
    let sessions = provider.db.sessions_of(username, now)?.ok_or_else(|| no_user(username))?;
    Ok(sessions
        .into_iter()
        .map(|s| SessionView {
            sid: s.sid,
            auth_time: s.auth_time,
            last_seen_at: s.last_seen_at,
            expires_at: s.expires_at,
            clients: s.clients,
            user_agent: s.client.user_agent,
            address: s.client.address,
        })
        .collect())
}

/// Ends one session (`sid`) of the user, or all of them (`None`), as logout does: the online grants made in them
/// are revoked and their clients told (Back-Channel Logout). 404 for a session the user does not have.
pub fn end_sessions(
    provider: &Provider,
    actor: &Actor,
    username: &str,
    sid: Option<&str>,
    now: Timestamp,
) -> Result<(), AdminError> {
    require(actor, "users:write")?;
    let user = find(provider, username)?.user;
    let ended = match sid {
        Some(sid) => {
            let live = provider.db.sessions_of(username, now)?.unwrap_or_default();
            if !live.iter().any(|s| s.sid == sid) {
                return Err(AdminError::not_found(format!("{username} has no live session {sid:?}")));
            }
            provider.db.end_session_of_user(&user.subject, sid, now)?
        }
        None => provider.db.sign_out_everywhere(username, now)?.ok_or_else(|| no_user(username))?,
    };
    let event = audit(actor, "user_sessions_ended", now).user(&user.subject).with("username", username);
    provider.db.record_audit(&event.with("sid", sid.unwrap_or("all")).with("grants", ended.len().to_string()))?;
    notify(provider, &ended, now);
    Ok(())
}
