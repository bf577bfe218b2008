//! Invitations (`tessera user invite`): a single-use link that lets a person set the first password of an account
//! made without one, and signs them in. The link holds a random token (256 bits); only its SHA-256 is stored.
//!
//! An account made by an invitation has no credential until the link is used: its password hash is empty, which
//! the password step treats as an unknown user (the dummy hash: same time, same message), so nobody can sign in
//! to it before then.

use crate::domain::{AuthenticationMethod, ClientContext, NewPassword, Timestamp};
use crate::error::{Failure, InternalError};
use crate::oauth::authentication::passkey::{RegistrationAnswer, register_passkey, registration_options};
use crate::oauth::provider::Provider;
use crate::oidc::session::start_session;
use crate::params::Params;
use crate::secrets::{SecretString, constant_time_eq, hash_password, random_token, token_hash};
use crate::storage::{InvitationStore, PasskeyStore, UserStore};

/// Bytes of randomness in an invitation token.
const TOKEN_BYTES: usize = 32;

/// A new invitation for the user `user_id`, live `ttl_secs`: the token for the link (shown once).
pub fn invite(
    store: &impl InvitationStore,
    user_id: &str,
    now: Timestamp,
    ttl_secs: i64,
) -> Result<SecretString, Failure> {
    let token = random_token(TOKEN_BYTES);
    store.create_invitation(&token_hash(token.expose()), user_id, now, now + ttl_secs)?;
    Ok(token)
}

/// The path of an invitation's page.
pub fn invitation_path(token: &str) -> String {
    format!("/invite/{token}")
}

/// The form's CSRF token: bound to the link (a hash of its token under its own label), so only a page opened from
/// the link can post it. The link's token is itself unguessable; this keeps every form of Tessera CSRF-checked
/// the same way.
fn csrf_token(token: &str) -> String {
    token_hash(&format!("invitation-form:{token}"))
}

/// Why the form came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationRefusal {
    /// The two passwords differ.
    Mismatch,
    /// Too short or too easy to guess (the same rule as the CLI's, `NewPassword`).
    Weak,
    /// The passkey was not registered (the ceremony expired or did not verify).
    Passkey,
}

/// What the invitation page shows or did.
#[derive(Debug)]
pub enum InvitationStep {
    /// The form: whom it sets up, its CSRF token, and why it came back, if it did.
    Form { username: String, csrf_token: String, error: Option<InvitationRefusal>, passkey: bool },
    /// Expired, used, or never issued: one page for all three.
    Gone,
    /// The password is set and the person signed in: the new browser session's cookie.
    SignedIn { session_cookie: SecretString },
}

/// `GET /invite/{token}`.
pub fn open_invitation(provider: &Provider, token: &str) -> Result<InvitationStep, Failure> {
    let Some(username) = live_username(provider, token)? else { return Ok(InvitationStep::Gone) };
    let passkey = provider.passkeys.is_some();
    Ok(InvitationStep::Form { username, csrf_token: csrf_token(token), error: None, passkey })
}

fn live_username(provider: &Provider, token: &str) -> Result<Option<String>, Failure> {
    let now = provider.now();
    let Some(invitation) = provider.db.find_invitation(&token_hash(token))? else { return Ok(None) };
    if invitation.used || invitation.expires_at <= now {
        return Ok(None);
    }
    Ok(provider.db.find_user(&invitation.user_id)?.map(|user| user.username))
}

/// `POST /invite/{token}`: sets the password and signs the person in (a browser session proved by `pwd`, as after
/// the password step), replacing any session the browser had.
pub fn accept_invitation(
    provider: &Provider,
    token: &str,
    form: &Params,
    previous_session: Option<&str>,
    client: &ClientContext,
) -> Result<InvitationStep, Failure> {
    let hash = token_hash(token);
    let Some(invitation) = provider.db.find_invitation(&hash)? else { return Ok(InvitationStep::Gone) };
    let Some(user) = provider.db.find_user(&invitation.user_id)? else { return Ok(InvitationStep::Gone) };
    let now = provider.now();
    if invitation.used || invitation.expires_at <= now {
        return Ok(InvitationStep::Gone);
    }
    let expected = csrf_token(token);
    if !constant_time_eq(form.get("csrf_token").unwrap_or("").as_bytes(), expected.as_bytes()) {
        return Err(crate::error::OAuthError::invalid_request("the form has expired; go back and try again")
            .with_detail("CSRF token mismatch")
            .into());
    }
    let form_again = |error| InvitationStep::Form {
        username: user.username.clone(),
        csrf_token: expected.clone(),
        error: Some(error),
        passkey: provider.passkeys.is_some(),
    };
    let password = form.get("password").unwrap_or("");
    if password != form.get("confirm").unwrap_or("") {
        return Ok(form_again(InvitationRefusal::Mismatch));
    }
    let known = [user.username.as_str(), user.email.as_deref().unwrap_or_default()];
    let Ok(password) = NewPassword::parse(password, &known) else {
        return Ok(form_again(InvitationRefusal::Weak));
    };
    let password_hash = hash_password(password.expose())
        .map_err(|e| InternalError::new("hashing a password", anyhow::anyhow!("{e}")))?;
    if !provider.db.accept_invitation(&hash, &password_hash, now)? {
        return Ok(InvitationStep::Gone);
    }
    tracing::info!(event = "invitation_accepted", sub = %user.subject, "an invitation was used to set a password");
    let ttl = provider.transaction.session_ttl_secs;
    let methods = [AuthenticationMethod::Password];
    let session = start_session(&provider.db, previous_session, &user.subject, &methods, client, now, ttl)?;
    provider.backchannel.notify(&provider.db, &provider.keys, &provider.issuer, &session.ended, now);
    Ok(InvitationStep::SignedIn { session_cookie: session.cookie })
}

/// What a passkey ceremony begun on an invitation's page is bound to: the link (its token's hash).
fn invitation_binding(token: &str) -> String {
    format!("invitation:{}", token_hash(token))
}

/// The live invitation of `token` and its user, after the form's CSRF token; `None` when the link no longer works.
fn live_invitation(provider: &Provider, token: &str, form: &Params) -> Result<Option<crate::domain::User>, Failure> {
    let Some(invitation) = provider.db.find_invitation(&token_hash(token))? else { return Ok(None) };
    if invitation.used || invitation.expires_at <= provider.now() {
        return Ok(None);
    }
    if !constant_time_eq(form.get("csrf_token").unwrap_or("").as_bytes(), csrf_token(token).as_bytes()) {
        return Err(crate::error::OAuthError::invalid_request("the form has expired; go back and try again")
            .with_detail("CSRF token mismatch")
            .into());
    }
    Ok(provider.db.find_user(&invitation.user_id)?)
}

/// `POST /invite/{token}/passkey/options`: begins registering the invited person's passkey (JSON for the page's
/// script); `None` when the link no longer works.
pub fn invitation_passkey_options(provider: &Provider, token: &str, form: &Params) -> Result<Option<String>, Failure> {
    let Some(passkeys) = provider.passkeys.as_ref() else {
        return Err(crate::error::OAuthError::invalid_request("passkeys are not offered").into());
    };
    let Some(user) = live_invitation(provider, token, form)? else { return Ok(None) };
    let begun = registration_options(&provider.db, passkeys, &invitation_binding(token), &user, provider.now())?;
    Ok(Some(begun.to_json()))
}

/// `POST /invite/{token}/passkey`: the registration's answer. The passkey is kept, the link spent (the account
/// keeps no password: passwordless, unless one is set later), and the person signed in: the registration asked
/// for user verification, so the session holds the key (`hwk`/`swk`, as at sign-in) and `user`.
pub fn accept_invitation_with_passkey(
    provider: &Provider,
    token: &str,
    form: &Params,
    previous_session: Option<&str>,
    client: &ClientContext,
) -> Result<InvitationStep, Failure> {
    let Some(passkeys) = provider.passkeys.as_ref() else {
        return Err(crate::error::OAuthError::invalid_request("passkeys are not offered").into());
    };
    let Some(user) = live_invitation(provider, token, form)? else { return Ok(InvitationStep::Gone) };
    let now = provider.now();
    let binding = invitation_binding(token);
    let ceremony = form.get("ceremony").unwrap_or("");
    let credential = form.get("credential").unwrap_or("");
    let name = form.get("name").unwrap_or("");
    let answer = RegistrationAnswer { binding: &binding, ceremony, credential };
    let added = match register_passkey(&provider.db, passkeys, answer, &user.subject, name, now)? {
        Ok(added) => added,
        Err(refusal) => {
            tracing::info!(event = "invitation_passkey_refused", sub = %user.subject, reason = refusal.reason(), "an invitation's passkey was not registered");
            return Ok(InvitationStep::Form {
                username: user.username,
                csrf_token: csrf_token(token),
                error: Some(InvitationRefusal::Passkey),
                passkey: true,
            });
        }
    };
    // The password stays as it is (empty): the passkey is the account's credential.
    let current = provider.db.find_user_by_username(&user.username)?.map(|u| u.password_hash).unwrap_or_default();
    if !provider.db.accept_invitation(&token_hash(token), &current, now)? {
        // Another registration (or the password form) spent the link between our check and now: this passkey
        // was registered for a link that is no longer ours, so it must not stay on the account.
        provider.db.withdraw_passkey(&user.subject, &added.credential_id)?;
        tracing::info!(event = "invitation_passkey_withdrawn", sub = %user.subject, credential_id = %added.credential_id, "the invitation was spent meanwhile; the passkey was taken back");
        return Ok(InvitationStep::Gone);
    }
    tracing::info!(event = "invitation_accepted", sub = %user.subject, credential_id = %added.credential_id, "an invitation was used to register a passkey");
    let key = if added.backup_eligible { AuthenticationMethod::SoftwareKey } else { AuthenticationMethod::HardwareKey };
    let methods = [key, AuthenticationMethod::UserPresence];
    let ttl = provider.transaction.session_ttl_secs;
    let session = start_session(&provider.db, previous_session, &user.subject, &methods, client, now, ttl)?;
    provider.backchannel.notify(&provider.db, &provider.keys, &provider.issuer, &session.ended, now);
    Ok(InvitationStep::SignedIn { session_cookie: session.cookie })
}
