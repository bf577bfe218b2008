//! The account page (`/account`): what a signed-in person sees of their account and the changes they make to it,
//! in the browser session they signed in with (no separate login). Every form carries a CSRF token derived from
//! the session cookie, and once the session's sign-in is older than [`REAUTH_SECS`], the password again
//! (re-authentication, checked and throttled as at sign-in). Every change is an audit event (`account_*`).

use crate::config::MfaPolicy;
use crate::domain::AuditEvent;
use crate::domain::attributes::{parse_text, parse_url};
use crate::domain::{AuthenticationMethod, ClientId, NewPassword, Timestamp};
use crate::domain::{ClientContext, Device};
use crate::error::{Failure, InternalError};
use crate::oauth::audit::record;
use crate::oauth::authentication::SignInRefusal;
use crate::oauth::authentication::passkey::{PasskeyAttempt, Passkeys, check_passkey, sign_in_options};
use crate::oauth::authentication::passkey::{RegistrationAnswer, clean_name, register_passkey, registration_options};
use crate::oauth::authentication::password::{PasswordAttempt, PasswordOutcome, check_password};
use crate::oauth::authentication::totp::{SECRET_BYTES, code_at, new_recovery_codes, new_secret, otpauth_uri, step_of};
use crate::oauth::authentication::totp::{SecondFactorAttempt, SecondFactorOutcome, check_second_factor};
use crate::oauth::provider::Provider;
use crate::oidc::session::{current_authentication, start_session};
use crate::params::Params;
use crate::secrets::{SecretString, constant_time_eq, hash_password, random_token, token_hash};
use crate::storage::PasskeyStore;
use crate::storage::{AccountPageStore, AccountStore, ClientStore, SecondFactorStore, UserStore};

/// A change needs the password again when the session's sign-in is older than this (five minutes).
pub const REAUTH_SECS: i64 = 5 * 60;

/// The client an account page change is recorded under in the audit log (the page is no OAuth client).
const ACCOUNT_AUDIT_CLIENT: &str = "account";

/// One of the person's browser sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLine {
    pub sid: String,
    pub auth_time: Timestamp,
    pub last_seen_at: Timestamp,
    /// The browser and system it was opened from (from its User-Agent; both `None` when not known).
    pub device: Device,
    /// The address it was opened from; empty when not known.
    pub address: String,
    /// The session of this browser.
    pub current: bool,
    /// The applications signed in through it.
    pub clients: Vec<String>,
}

/// An application the person consented to or is signed in to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppLine {
    pub client_id: String,
    pub name: String,
    /// What they allowed (space-separated scope), if they were asked.
    pub scope: Option<String>,
    /// Live grants (each with its tokens).
    pub grants: i64,
}

/// What the account page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    pub username: String,
    pub name: Option<String>,
    pub picture: Option<String>,
    /// The person may change their name and picture here (`account_profile_edit`).
    pub profile_edit: bool,
    pub email: Option<String>,
    pub totp: bool,
    pub recovery_codes_left: i64,
    pub sessions: Vec<SessionLine>,
    pub apps: Vec<AppLine>,
    pub csrf_token: String,
    /// The forms ask for the password (the sign-in is older than [`REAUTH_SECS`]).
    pub reauth: bool,
    /// The person's passkeys; `None` when passkeys are off.
    pub passkeys: Option<Vec<PasskeyLine>>,
}

/// One of the person's passkeys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyLine {
    pub credential_id: String,
    pub name: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    /// Synced to other devices (WebAuthn backup state).
    pub backed_up: bool,
}

/// The enrolment page of an authenticator app: a new secret, not stored until a code from it is typed back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpSetup {
    /// The secret, base32, as authenticator apps take it (also sent back with the confirming form).
    pub secret: String,
    pub otpauth_uri: String,
    pub csrf_token: String,
    pub reauth: bool,
}

/// Why a change was not made: the account page again, with this said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountRefusal {
    WrongPassword,
    Throttled {
        wait_secs: i64,
    },
    WrongCode,
    /// The two new passwords differ.
    PasswordMismatch,
    /// The new password is too short or too easy to guess (the CLI's rule, `NewPassword`).
    PasswordWeak,
    /// The passkey was not registered (the ceremony expired or did not verify, or it is registered already).
    PasskeyFailed,
    /// The passkey is the account's last credential (no password, no other passkey): it stays.
    LastCredential,
    /// The name or picture is not one the profile can hold (the CLI's rules for the claims).
    ProfileInvalid,
}

/// What a form post did.
#[derive(Debug)]
pub enum AccountOutcome {
    /// Done: back to the account page.
    Done,
    /// New recovery codes, to show once.
    RecoveryCodes(Vec<String>),
    /// This browser's own session ended: signed out.
    SignedOut,
    /// Not done, and why.
    Refused(AccountRefusal),
    /// The enrolment page again (a wrong code).
    TotpSetupAgain(TotpSetup, AccountRefusal),
    /// The password changed: every session ended, and this browser has a new one.
    PasswordChanged { session_cookie: SecretString },
    /// Signed in again with a passkey (re-authentication): this browser's session has a new cookie and sign-in time.
    Reauthenticated { session_cookie: SecretString },
}

/// Who is signed in to this browser, for the account page.
struct Signed {
    user_id: String,
    username: String,
    sid: String,
    auth_time: Timestamp,
    csrf_token: String,
}

/// The form's CSRF token: a hash of the session cookie under its own label, so only a page this browser loaded
/// can post it, and it changes with every sign-in.
fn csrf_token(session_cookie: &str) -> String {
    token_hash(&format!("account-form:{session_cookie}"))
}

fn signed(provider: &Provider, session_cookie: Option<&str>) -> Result<Option<Signed>, Failure> {
    let now = provider.now();
    let Some(cookie) = session_cookie else { return Ok(None) };
    let idle = provider.transaction.session_idle_secs;
    let Some(auth) = current_authentication(&provider.db, Some(cookie), now, idle)? else { return Ok(None) };
    let Some(user) = provider.db.find_user(&auth.user_id)? else { return Ok(None) };
    Ok(Some(Signed {
        user_id: auth.user_id,
        username: user.username,
        sid: auth.session_id.unwrap_or_default(),
        auth_time: auth.auth_time,
        csrf_token: csrf_token(cookie),
    }))
}

/// Who is signed in to this browser, for a form post: its CSRF token must be the one the page was given.
fn signed_form(provider: &Provider, session_cookie: Option<&str>, form: &Params) -> Result<Option<Signed>, Failure> {
    let Some(me) = signed(provider, session_cookie)? else { return Ok(None) };
    if !constant_time_eq(form.get("csrf_token").unwrap_or("").as_bytes(), me.csrf_token.as_bytes()) {
        return Err(form_expired());
    }
    Ok(Some(me))
}

/// A form whose CSRF token is missing or not this browser's.
fn form_expired() -> Failure {
    crate::error::OAuthError::invalid_request("the form has expired; go back and try again")
        .with_detail("CSRF token mismatch")
        .into()
}

/// The WebAuthn relying party, when passkeys are offered at all.
fn offered_passkeys(provider: &Provider) -> Result<&Passkeys, Failure> {
    provider
        .passkeys
        .as_ref()
        .ok_or_else(|| crate::error::OAuthError::invalid_request("passkeys are not offered").into())
}

/// `GET /account`: `None` when nobody is signed in to this browser.
pub fn account_view(provider: &Provider, session_cookie: Option<&str>) -> Result<Option<AccountView>, Failure> {
    let Some(me) = signed(provider, session_cookie)? else { return Ok(None) };
    let now = provider.now();
    let user = provider.db.find_user(&me.user_id)?.ok_or_else(|| gone("the user"))?;
    let sessions = provider
        .db
        .sessions_of(&me.username, now)?
        .unwrap_or_default()
        .into_iter()
        .map(|s| SessionLine {
            current: s.sid == me.sid,
            sid: s.sid,
            auth_time: s.auth_time,
            last_seen_at: s.last_seen_at,
            device: s.client.device(),
            address: s.client.address,
            clients: s.clients,
        })
        .collect();
    let mut apps = Vec::new();
    for (client_id, scope, grants) in provider.db.connected_apps(&me.user_id)? {
        let name = provider.db.find_client(&client_id)?.map_or_else(|| client_id.clone(), |c| c.client.name);
        apps.push(AppLine { client_id, name, scope, grants });
    }
    Ok(Some(AccountView {
        username: user.username,
        name: user.name,
        picture: user.attributes.picture,
        profile_edit: provider.account_profile_edit,
        email: user.email,
        totp: provider.db.find_totp(&me.user_id)?.is_some(),
        recovery_codes_left: provider.db.remaining_recovery_codes(&me.user_id)?,
        sessions,
        apps,
        csrf_token: me.csrf_token,
        reauth: now - me.auth_time > REAUTH_SECS,
        passkeys: match provider.passkeys {
            Some(_) => Some(passkey_lines(provider, &me.user_id)?),
            None => None,
        },
    }))
}

fn passkey_lines(provider: &Provider, user_id: &str) -> Result<Vec<PasskeyLine>, Failure> {
    Ok(provider
        .db
        .passkeys_of(user_id)?
        .into_iter()
        .map(|p| PasskeyLine {
            credential_id: p.credential_id,
            name: p.name,
            created_at: p.created_at,
            last_used_at: p.last_used_at,
            backed_up: p.backup_state,
        })
        .collect())
}

/// What a registration ceremony begun on the account page is bound to: the browser session.
fn session_binding(sid: &str) -> String {
    format!("session:{sid}")
}

/// `POST /account/passkey/options`: begins registering a passkey for the person signed in to this browser (the
/// form's CSRF token as every account form). `None` when nobody is signed in.
pub fn account_passkey_options(
    provider: &Provider,
    session_cookie: Option<&str>,
    form: &Params,
) -> Result<Option<String>, Failure> {
    let passkeys = offered_passkeys(provider)?;
    let Some(me) = signed_form(provider, session_cookie, form)? else { return Ok(None) };
    let user = provider.db.find_user(&me.user_id)?.ok_or_else(|| gone("the user"))?;
    let begun = registration_options(&provider.db, passkeys, &session_binding(&me.sid), &user, provider.now())?;
    Ok(Some(begun.to_json()))
}

/// `POST /account/reauth/options`: begins a passkey assertion of the signed-in person's passkeys, to sign in again
/// when the sign-in is older than [`REAUTH_SECS`] (the way back for a passwordless account). `None`: nobody.
pub fn account_reauth_options(
    provider: &Provider,
    session_cookie: Option<&str>,
    form: &Params,
) -> Result<Option<String>, Failure> {
    let passkeys = offered_passkeys(provider)?;
    let Some(me) = signed_form(provider, session_cookie, form)? else { return Ok(None) };
    let binding = session_binding(&me.sid);
    Ok(Some(sign_in_options(&provider.db, passkeys, &binding, Some(&me.user_id), provider.now())?.to_json()))
}

/// Re-authentication by a passkey: an assertion of one of the person's passkeys (user verification required)
/// renews this browser's session (same `sid`, a new cookie, a new sign-in time, the key and `user` as its methods).
fn passkey_reauthentication(
    provider: &Provider,
    me: &Signed,
    session_cookie: Option<&str>,
    form: &Params,
    client: &ClientContext,
) -> Result<AccountOutcome, Failure> {
    let source = client.address.as_str();
    let passkeys = offered_passkeys(provider)?;
    let now = provider.now();
    let binding = session_binding(&me.sid);
    let attempt = PasskeyAttempt {
        binding: &binding,
        ceremony: form.get("ceremony").unwrap_or(""),
        credential: form.get("credential").unwrap_or(""),
        user_id: Some(&me.user_id),
        source,
        client_id: Some(ACCOUNT_AUDIT_CLIENT),
    };
    let verified = match check_passkey(&provider.db, passkeys, attempt, now)? {
        Ok(verified) => verified,
        Err(_) => return Ok(AccountOutcome::Refused(AccountRefusal::PasskeyFailed)),
    };
    let mut methods = verified.methods;
    methods.push(AuthenticationMethod::UserPresence);
    let ttl = provider.transaction.session_ttl_secs;
    let session = start_session(&provider.db, session_cookie, &me.user_id, &methods, client, now, ttl)?;
    tracing::info!(event = "account_reauthenticated", sub = %me.user_id, source, "signed in again with a passkey");
    Ok(AccountOutcome::Reauthenticated { session_cookie: session.cookie })
}

/// The passkey forms of the account page: add (the registration ceremony's answer), rename, remove.
fn passkey_action(
    provider: &Provider,
    me: &Signed,
    action: &str,
    form: &Params,
    source: &str,
) -> Result<AccountOutcome, Failure> {
    let passkeys = offered_passkeys(provider)?;
    let now = provider.now();
    let sub = me.user_id.as_str();
    let credential_id = form.get("credential_id").unwrap_or("");
    let audit =
        |event: &'static str| AuditEvent::new(event, now).user(sub).address(source).client(ACCOUNT_AUDIT_CLIENT);
    match action {
        "passkey-add" => {
            let binding = session_binding(&me.sid);
            let ceremony = form.get("ceremony").unwrap_or("");
            let credential = form.get("credential").unwrap_or("");
            let name = form.get("name").unwrap_or("");
            let answer = RegistrationAnswer { binding: &binding, ceremony, credential };
            match register_passkey(&provider.db, passkeys, answer, sub, name, now)? {
                Ok(added) => {
                    tracing::info!(event = "account_passkey_added", sub, credential_id = %added.credential_id, source, "a passkey was added");
                    record(&provider.db, audit("account_passkey_added").with("credential_id", &added.credential_id));
                    Ok(AccountOutcome::Done)
                }
                Err(refusal) => {
                    tracing::info!(
                        event = "account_passkey_refused",
                        sub,
                        reason = refusal.reason(),
                        source,
                        "a passkey was not added"
                    );
                    record(&provider.db, audit("account_passkey_refused").with("reason", refusal.reason()));
                    Ok(AccountOutcome::Refused(AccountRefusal::PasskeyFailed))
                }
            }
        }
        "passkey-rename" => {
            let name = clean_name(form.get("name").unwrap_or(""));
            if provider.db.rename_passkey(sub, credential_id, &name)? {
                tracing::info!(event = "account_passkey_renamed", sub, credential_id, source, "a passkey was renamed");
                record(&provider.db, audit("account_passkey_renamed").with("credential_id", credential_id));
            }
            Ok(AccountOutcome::Done)
        }
        _ => match provider.db.remove_passkey(sub, credential_id)? {
            Some(true) => {
                tracing::info!(event = "account_passkey_removed", sub, credential_id, source, "a passkey was removed");
                record(&provider.db, audit("account_passkey_removed").with("credential_id", credential_id));
                Ok(AccountOutcome::Done)
            }
            Some(false) => {
                tracing::info!(
                    event = "account_passkey_kept",
                    sub,
                    credential_id,
                    source,
                    reason = "last credential",
                    "the last credential was not removed"
                );
                record(
                    &provider.db,
                    audit("account_passkey_kept")
                        .with("credential_id", credential_id)
                        .with("reason", "last credential"),
                );
                Ok(AccountOutcome::Refused(AccountRefusal::LastCredential))
            }
            None => Ok(AccountOutcome::Done),
        },
    }
}

fn gone(what: &str) -> Failure {
    InternalError::new("the account page", anyhow::anyhow!("{what} vanished")).into()
}

/// `GET /account/totp`: a new secret to enrol. `None` when nobody is signed in.
pub fn totp_setup(provider: &Provider, session_cookie: Option<&str>) -> Result<Option<TotpSetup>, Failure> {
    let Some(me) = signed(provider, session_cookie)? else { return Ok(None) };
    let (secret, otpauth_uri) = new_secret(&issuer_label(provider), &me.username)?;
    Ok(Some(TotpSetup {
        secret: base32::encode(base32::Alphabet::Rfc4648 { padding: false }, &secret),
        otpauth_uri,
        csrf_token: me.csrf_token,
        reauth: provider.now() - me.auth_time > REAUTH_SECS,
    }))
}

/// The label authenticator apps show: the issuer's host.
fn issuer_label(provider: &Provider) -> String {
    url::Url::parse(&provider.issuer).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default()
}

/// `POST /account/{action}`: one change, by the person signed in to this browser. `None` when nobody is.
pub fn account_action(
    provider: &Provider,
    session_cookie: Option<&str>,
    action: &str,
    form: &Params,
    client: &ClientContext,
) -> Result<Option<AccountOutcome>, Failure> {
    let Some(me) = signed_form(provider, session_cookie, form)? else { return Ok(None) };
    let now = provider.now();
    let source = client.address.as_str();
    if action == "password" {
        return change_password(provider, &me, form, client).map(Some);
    }
    if action == "passkey-verify" {
        return passkey_reauthentication(provider, &me, session_cookie, form, client).map(Some);
    }
    if now - me.auth_time > REAUTH_SECS
        && let Some(refusal) = reauthenticate(provider, &me, form.get("password").unwrap_or(""), source)?
    {
        if action == "totp-enrol" {
            let setup = setup_again(provider, &me, form)?;
            return Ok(Some(AccountOutcome::TotpSetupAgain(setup, refusal)));
        }
        return Ok(Some(AccountOutcome::Refused(refusal)));
    }
    if matches!(action, "passkey-add" | "passkey-rename" | "passkey-remove") {
        return passkey_action(provider, &me, action, form, source).map(Some);
    }
    let sub = me.user_id.as_str();
    // Every change made here is an audit event, as the passkey forms' are; refusals are not.
    let audit =
        |event: &'static str| AuditEvent::new(event, now).user(sub).address(source).client(ACCOUNT_AUDIT_CLIENT);
    let outcome = match action {
        // Enrolment, confirmed by a first valid code of the secret the setup page showed (RFC 6238 §5.2 window).
        "totp-enrol" => {
            let typed = form.get("secret").unwrap_or("");
            let secret = base32::decode(base32::Alphabet::Rfc4648 { padding: false }, typed)
                .filter(|s| s.len() == SECRET_BYTES)
                .ok_or_else(|| crate::error::OAuthError::invalid_request("the key is not one Tessera made"))?;
            let code = form.get("code").unwrap_or("").trim();
            let current = step_of(now);
            let mut matched = None;
            for step in current - 1..=current + 1 {
                if constant_time_eq(code_at(&secret, step)?.as_bytes(), code.as_bytes()) {
                    matched = Some(step);
                }
            }
            let Some(step) = matched else {
                return Ok(Some(AccountOutcome::TotpSetupAgain(
                    setup_again(provider, &me, form)?,
                    AccountRefusal::WrongCode,
                )));
            };
            let (codes, hashes) = new_recovery_codes();
            provider.db.enrol_totp(sub, &secret, &hashes, now)?;
            // The confirming code is spent: it cannot sign in a second time.
            provider.db.use_totp_step(sub, step)?;
            tracing::info!(event = "account_totp_enrolled", sub, source, "an authenticator app was set up");
            record(&provider.db, audit("account_totp_enrolled"));
            AccountOutcome::RecoveryCodes(codes)
        }
        "totp-remove" => {
            provider.db.remove_second_factors(sub)?;
            tracing::info!(event = "account_totp_removed", sub, source, "the authenticator app was removed");
            record(&provider.db, audit("account_totp_removed"));
            AccountOutcome::Done
        }
        "recovery-codes" => {
            if provider.db.find_totp(sub)?.is_none() {
                return Ok(Some(AccountOutcome::Done));
            }
            let (codes, hashes) = new_recovery_codes();
            provider.db.replace_recovery_codes(sub, &hashes, now)?;
            tracing::info!(event = "account_recovery_codes_replaced", sub, source, "new recovery codes were made");
            record(&provider.db, audit("account_recovery_codes_replaced"));
            AccountOutcome::RecoveryCodes(codes)
        }
        "session-end" => {
            let sid = form.get("sid").unwrap_or("");
            let ended = provider.db.end_session_of_user(sub, sid, now)?;
            provider.backchannel.notify(&provider.db, &provider.keys, &provider.issuer, &ended, now);
            tracing::info!(event = "account_session_ended", sub, sid, source, "a session was signed out");
            record(&provider.db, audit("account_session_ended").with("sid", sid));
            if sid == me.sid { AccountOutcome::SignedOut } else { AccountOutcome::Done }
        }
        "app-revoke" => {
            let client_id = form.get("client_id").unwrap_or("");
            let revoked = provider.db.revoke_app(sub, client_id, now)?;
            tracing::info!(
                event = "account_app_revoked",
                sub,
                client_id,
                grants = revoked.len(),
                source,
                "an application's access was revoked"
            );
            record(&provider.db, audit("account_app_revoked").with("client_id", client_id));
            AccountOutcome::Done
        }
        // The name and picture claims (OpenID Connect Core §5.1), under the same rules as `tessera user update`;
        // empty removes one. Only where the operator allows it.
        "profile" if provider.account_profile_edit => {
            let mut user = provider.db.find_user(sub)?.ok_or_else(|| gone("the user"))?;
            let value = |field: &str| Some(form.get(field).unwrap_or("").trim()).filter(|v| !v.is_empty());
            let name = value("name").map(|v| parse_text("name", v, false)).transpose();
            let picture = value("picture").map(|v| parse_url("picture", v)).transpose();
            let (Ok(name), Ok(picture)) = (name, picture) else {
                return Ok(Some(AccountOutcome::Refused(AccountRefusal::ProfileInvalid)));
            };
            user.name = name;
            user.attributes.picture = picture;
            provider.db.update_user(&user, now)?;
            tracing::info!(event = "account_profile_updated", sub, source, "the name or picture was changed");
            record(&provider.db, audit("account_profile_updated"));
            AccountOutcome::Done
        }
        "sessions-end-all" => {
            let ended = provider.db.sign_out_everywhere(&me.username, now)?.unwrap_or_default();
            provider.backchannel.notify(&provider.db, &provider.keys, &provider.issuer, &ended, now);
            tracing::info!(event = "account_signed_out_everywhere", sub, source, "every session was signed out");
            record(&provider.db, audit("account_signed_out_everywhere"));
            AccountOutcome::SignedOut
        }
        other => {
            return Err(crate::error::OAuthError::invalid_request("unknown form").with_detail(other.to_owned()).into());
        }
    };
    Ok(Some(outcome))
}

/// Change password: the current one always (whatever the session's age), the new one twice and under the same
/// rule as the CLI's. As `tessera user passwd` does, every session ends and every grant is revoked (whoever knew
/// the old password is out); this browser gets a new session.
fn change_password(
    provider: &Provider,
    me: &Signed,
    form: &Params,
    client: &ClientContext,
) -> Result<AccountOutcome, Failure> {
    let source = client.address.as_str();
    if let Some(refusal) = reauthenticate(provider, me, form.get("current").unwrap_or(""), source)? {
        return Ok(AccountOutcome::Refused(refusal));
    }
    let new = form.get("new").unwrap_or("");
    if new != form.get("confirm").unwrap_or("") {
        return Ok(AccountOutcome::Refused(AccountRefusal::PasswordMismatch));
    }
    let user = provider.db.find_user(&me.user_id)?.ok_or_else(|| gone("the user"))?;
    let known = [user.username.as_str(), user.email.as_deref().unwrap_or_default()];
    let Ok(new) = NewPassword::parse(new, &known) else {
        return Ok(AccountOutcome::Refused(AccountRefusal::PasswordWeak));
    };
    let hash =
        hash_password(new.expose()).map_err(|e| InternalError::new("hashing a password", anyhow::anyhow!("{e}")))?;
    let now = provider.now();
    let revoked = provider.db.set_password(&me.username, &hash, now)?.unwrap_or_default();
    provider.backchannel.notify(&provider.db, &provider.keys, &provider.issuer, &revoked, now);
    tracing::info!(event = "account_password_changed", sub = %me.user_id, source, "the password was changed");
    let event = AuditEvent::new("account_password_changed", now).user(&me.user_id).address(source);
    record(&provider.db, event.client(ACCOUNT_AUDIT_CLIENT).with("grants_revoked", revoked.len().to_string()));
    let methods = [AuthenticationMethod::Password];
    let ttl = provider.transaction.session_ttl_secs;
    let session = start_session(&provider.db, None, &me.user_id, &methods, client, now, ttl)?;
    Ok(AccountOutcome::PasswordChanged { session_cookie: session.cookie })
}

/// The same enrolment page again (the secret typed back, so the app set up already keeps working).
fn setup_again(provider: &Provider, me: &Signed, form: &Params) -> Result<TotpSetup, Failure> {
    let secret = form.get("secret").unwrap_or("").to_owned();
    let bytes = base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &secret)
        .filter(|s| s.len() == SECRET_BYTES)
        .ok_or_else(|| crate::error::OAuthError::invalid_request("the key is not one Tessera made"))?;
    Ok(TotpSetup {
        otpauth_uri: otpauth_uri(&bytes, &issuer_label(provider), &me.username)?,
        secret,
        csrf_token: me.csrf_token.clone(),
        reauth: provider.now() - me.auth_time > REAUTH_SECS,
    })
}

/// The password again; `None` when it is right.
fn reauthenticate(
    provider: &Provider,
    me: &Signed,
    password: &str,
    source: &str,
) -> Result<Option<AccountRefusal>, Failure> {
    // The audit log names where the attempt came from: the account page, not an application.
    let client_id = account_client_id()?;
    let attempt = PasswordAttempt { username: &me.username, password, source, client_id: &client_id };
    Ok(match check_password(&provider.db, &provider.passwords, attempt, provider.now())? {
        PasswordOutcome::Verified(user) if user.subject == me.user_id => None,
        PasswordOutcome::Verified(_) => Some(AccountRefusal::WrongPassword),
        PasswordOutcome::Refused(SignInRefusal::Throttled { wait_secs }) => {
            Some(AccountRefusal::Throttled { wait_secs })
        }
        PasswordOutcome::Refused(_) => Some(AccountRefusal::WrongPassword),
    })
}

/// The sign-in form of the account page when nobody is signed in: its CSRF token, bound to the browser-binding
/// cookie (a login form must not be postable from another site either: login CSRF), and that cookie when the
/// browser has none yet.
pub fn sign_in_form(browser_cookie: Option<&str>) -> (String, Option<SecretString>) {
    let new = browser_cookie.is_none().then(|| random_token(32));
    let value = browser_cookie.or(new.as_ref().map(SecretString::expose)).unwrap_or_default();
    (token_hash(&format!("account-sign-in:{value}")), new)
}

/// What the account page's own sign-in did.
#[derive(Debug)]
pub enum AccountSignIn {
    /// Signed in: the new browser session's cookie.
    SignedIn {
        session_cookie: SecretString,
    },
    Refused(AccountRefusal),
}

/// `POST /account/sign-in`: the password, then, for a user with an authenticator app, its code (or a recovery code)
/// in the same form; the same checks and throttling as the sign-in steps of an authorization request.
pub fn account_sign_in(
    provider: &Provider,
    browser_cookie: Option<&str>,
    previous_session: Option<&str>,
    form: &Params,
    client: &ClientContext,
) -> Result<AccountSignIn, Failure> {
    let source = client.address.as_str();
    let expected = browser_cookie.map(|c| sign_in_form(Some(c)).0).unwrap_or_default();
    let sent = form.get("csrf_token").unwrap_or("");
    if expected.is_empty() || !constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
        return Err(form_expired());
    }
    let client_id = account_client_id()?;
    let attempt = PasswordAttempt {
        username: form.get("username").unwrap_or(""),
        password: form.get("password").unwrap_or(""),
        source,
        client_id: &client_id,
    };
    let now = provider.now();
    let user = match check_password(&provider.db, &provider.passwords, attempt, now)? {
        PasswordOutcome::Verified(user) => user,
        PasswordOutcome::Refused(SignInRefusal::Throttled { wait_secs }) => {
            return Ok(AccountSignIn::Refused(AccountRefusal::Throttled { wait_secs }));
        }
        PasswordOutcome::Refused(_) => return Ok(AccountSignIn::Refused(AccountRefusal::WrongPassword)),
    };
    let mut methods = vec![AuthenticationMethod::Password];
    if provider.transaction.mfa != MfaPolicy::Off && provider.db.find_totp(&user.subject)?.is_some() {
        let attempt = SecondFactorAttempt {
            user_id: &user.subject,
            code: form.get("code").unwrap_or(""),
            source,
            client_id: &client_id,
        };
        match check_second_factor(&provider.db, attempt, now)? {
            SecondFactorOutcome::Totp | SecondFactorOutcome::RecoveryCode { .. } => {
                methods.push(AuthenticationMethod::OneTimePassword);
            }
            SecondFactorOutcome::Refused(SignInRefusal::Throttled { wait_secs }) => {
                return Ok(AccountSignIn::Refused(AccountRefusal::Throttled { wait_secs }));
            }
            SecondFactorOutcome::Refused(_) => return Ok(AccountSignIn::Refused(AccountRefusal::WrongCode)),
        }
    }
    let ttl = provider.transaction.session_ttl_secs;
    let session = start_session(&provider.db, previous_session, &user.subject, &methods, client, now, ttl)?;
    provider.backchannel.notify(&provider.db, &provider.keys, &provider.issuer, &session.ended, now);
    tracing::info!(event = "login_succeeded", client_id = %client_id, sub = %user.subject, "signed in on the account page");
    Ok(AccountSignIn::SignedIn { session_cookie: session.cookie })
}

/// The audit log names the account page where other sign-ins name an application.
fn account_client_id() -> Result<ClientId, Failure> {
    ClientId::parse("account").map_err(|e| InternalError::new("account client id", anyhow::anyhow!(e.0)).into())
}
