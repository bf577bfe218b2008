//! Invitations (`tessera user invite`): a single-use link that lets a person set the first password of an account
//! made without one, and signs them in. The link holds a random token (256 bits); only its SHA-256 is stored.
//!
//! An account made by an invitation has no credential until the link is used: its password hash is empty, which
//! the password step treats as an unknown user (the dummy hash: same time, same message), so nobody can sign in
//! to it before then.

use crate::domain::{AuthenticationMethod, NewPassword, Timestamp};
use crate::error::{Failure, InternalError};
use crate::oauth::provider::Provider;
use crate::oidc::session::start_session;
use crate::params::Params;
use crate::secrets::{SecretString, constant_time_eq, hash_password, random_token, token_hash};
use crate::storage::{InvitationStore, UserStore};

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
}

/// What the invitation page shows or did.
#[derive(Debug)]
pub enum InvitationStep {
    /// The form: whom it sets up, its CSRF token, and why it came back, if it did.
    Form { username: String, csrf_token: String, error: Option<InvitationRefusal> },
    /// Expired, used, or never issued: one page for all three.
    Gone,
    /// The password is set and the person signed in: the new browser session's cookie.
    SignedIn { session_cookie: SecretString },
}

/// `GET /invite/{token}`.
pub fn open_invitation(provider: &Provider, token: &str) -> Result<InvitationStep, Failure> {
    let Some(username) = live_username(provider, token)? else { return Ok(InvitationStep::Gone) };
    Ok(InvitationStep::Form { username, csrf_token: csrf_token(token), error: None })
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
    let session = start_session(&provider.db, previous_session, &user.subject, &methods, now, ttl)?;
    provider.backchannel.notify(&provider.db, &provider.keys, &provider.issuer, &session.ended, now);
    Ok(InvitationStep::SignedIn { session_cookie: session.cookie })
}
