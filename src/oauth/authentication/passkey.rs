//! Passkeys: WebAuthn registration and authentication ceremonies (webauthn-rs), as a sign-in step alone (a
//! discoverable credential, no username typed, user verification required) or as the second factor after the
//! password, and on the account and invitation pages.
//!
//! The relying party id is the issuer's host and the one allowed origin the issuer's origin. A ceremony's state
//! (its challenge) is kept in the database (`passkey_ceremonies`), bound to what began it (the parked interaction,
//! the browser session, the invitation), taken once, and dead after [`CEREMONY_TTL_SECS`]: any node finishes what
//! another began, and a replayed response finds no challenge.
//!
//! Parameters: user verification required (webauthn-rs's passkey ceremonies), resident key required at
//! registration (so the credential is discoverable), no attestation asked, the algorithms webauthn-rs counts as
//! secure (ES256, RS256 and friends: `COSEAlgorithm::secure_algs`), a browser timeout of [`TIMEOUT_SECS`].

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder, WebauthnError,
};

use super::refusal::SignInRefusal;
use crate::domain::{AuditEvent, AuthenticationMethod, Timestamp};
use crate::error::{Failure, InternalError};
use crate::oauth::audit::record;
use crate::secrets::random_token;
use crate::storage::{AccountStore, AuditLog, PasskeyRecord, PasskeyStore, PasskeyUse, UserStore};

/// How long a begun ceremony may be finished.
pub const CEREMONY_TTL_SECS: i64 = 300;
/// The `timeout` the browser is given (WebAuthn §5.4 / §5.5), a little under the ceremony's life.
pub const TIMEOUT_SECS: u64 = 240;
/// The longest name a passkey may be given.
pub const MAX_NAME_CHARS: usize = 64;

const KIND_DISCOVERABLE: &str = "discoverable";
const KIND_USER: &str = "user";
const KIND_REGISTER: &str = "register";

/// The relying party: built once at start from the issuer.
pub struct Passkeys {
    webauthn: Webauthn,
}

impl std::fmt::Debug for Passkeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passkeys").finish_non_exhaustive()
    }
}

impl Passkeys {
    /// The relying party of `issuer`: id its host, origin its origin. `None` (and a warning) when the host is an IP
    /// address: WebAuthn §5.1.4.1 and §13.4.9 make the RP id a valid domain, and browsers refuse an address.
    pub fn for_issuer(issuer: &str, rp_name: &str) -> anyhow::Result<Option<Passkeys>> {
        let url = Url::parse(issuer)?;
        let Some(url::Host::Domain(host)) = url.host() else {
            tracing::warn!(
                issuer,
                "passkeys are not offered: the issuer's host is an IP address, which cannot be a WebAuthn relying \
                 party id (use a domain name for the issuer; passwords still work)"
            );
            return Ok(None);
        };
        let origin = Url::parse(&url.origin().ascii_serialization())?;
        let webauthn = WebauthnBuilder::new(host, &origin)
            .map_err(|e| anyhow::anyhow!("passkeys: relying party {host} for {origin}: {e}"))?
            .rp_name(rp_name)
            .timeout(std::time::Duration::from_secs(TIMEOUT_SECS))
            .build()
            .map_err(|e| anyhow::anyhow!("passkeys: {e}"))?;
        Ok(Some(Passkeys { webauthn }))
    }
}

/// The WebAuthn user handle of a user (WebAuthn §14.6.1: not personally identifying): the subject itself when it is
/// a UUID (as `tessera user add` makes them), else 16 bytes of its SHA-256.
pub fn user_handle(user_id: &str) -> Uuid {
    Uuid::parse_str(user_id).unwrap_or_else(|_| {
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, user_id.as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest.as_ref()[..16]);
        Uuid::from_bytes(bytes)
    })
}

/// A begun ceremony: its id (posted back with the browser's answer) and the options for
/// `navigator.credentials.get`/`create` (webauthn-rs's JSON, binary values in base64url).
#[derive(Debug, Clone)]
pub struct CeremonyOptions {
    pub ceremony: String,
    pub options: serde_json::Value,
}

impl CeremonyOptions {
    pub fn to_json(&self) -> String {
        serde_json::json!({ "ceremony": self.ceremony, "options": self.options }).to_string()
    }
}

fn internal(what: &'static str, e: impl std::fmt::Display) -> Failure {
    InternalError::new(what, anyhow::anyhow!("{e}")).into()
}

fn keep_ceremony(
    store: &impl PasskeyStore,
    binding: &str,
    kind: &str,
    state: &impl serde::Serialize,
    options: &impl serde::Serialize,
    now: Timestamp,
) -> Result<CeremonyOptions, Failure> {
    let id = random_token(32).expose().to_owned();
    let state = serde_json::to_string(state).map_err(|e| internal("serialising a WebAuthn ceremony", e))?;
    store.begin_ceremony(&id, binding, kind, &state, now + CEREMONY_TTL_SECS)?;
    let options = serde_json::to_value(options).map_err(|e| internal("serialising WebAuthn options", e))?;
    Ok(CeremonyOptions { ceremony: id, options })
}

/// Begins a sign-in: with `user_id`, an assertion of one of that user's passkeys (the second factor); without, of
/// any discoverable credential (the passkey alone: "Sign in with a passkey" and autofill).
pub fn sign_in_options(
    store: &impl PasskeyStore,
    passkeys: &Passkeys,
    binding: &str,
    user_id: Option<&str>,
    now: Timestamp,
) -> Result<CeremonyOptions, Failure> {
    match user_id {
        None => {
            let (options, state) = passkeys
                .webauthn
                .start_discoverable_authentication()
                .map_err(|e| internal("starting a WebAuthn authentication", e))?;
            keep_ceremony(store, binding, KIND_DISCOVERABLE, &state, &options, now)
        }
        Some(user_id) => {
            let creds = stored_passkeys(store, user_id)?;
            let (options, state) = passkeys
                .webauthn
                .start_passkey_authentication(&creds)
                .map_err(|e| internal("starting a WebAuthn authentication", e))?;
            keep_ceremony(store, binding, KIND_USER, &state, &options, now)
        }
    }
}

fn stored_passkeys(store: &impl PasskeyStore, user_id: &str) -> Result<Vec<Passkey>, Failure> {
    store
        .passkeys_of(user_id)?
        .iter()
        .map(|r| serde_json::from_str::<Passkey>(&r.credential).map_err(|e| internal("reading a stored passkey", e)))
        .collect()
}

/// Begins registering a new passkey for the user (its credentials excluded, WebAuthn §5.4 excludeCredentials).
pub fn registration_options(
    store: &impl PasskeyStore,
    passkeys: &Passkeys,
    binding: &str,
    user: &crate::domain::User,
    now: Timestamp,
) -> Result<CeremonyOptions, Failure> {
    let exclude = stored_passkeys(store, &user.subject)?.iter().map(|p| p.cred_id().clone()).collect::<Vec<_>>();
    let display = user.name.clone().unwrap_or_else(|| user.username.clone());
    let (options, state) = passkeys
        .webauthn
        .start_passkey_registration(user_handle(&user.subject), &user.username, &display, Some(exclude))
        .map_err(|e| internal("starting a WebAuthn registration", e))?;
    let mut ceremony = keep_ceremony(store, binding, KIND_REGISTER, &state, &options, now)?;
    // A passkey is a discoverable credential (WebAuthn §6.2.2, "client-side discoverable"): it must be, for
    // "Sign in with a passkey" with no username. webauthn-rs leaves residency to the authenticator; ask for it.
    if let Some(selection) = ceremony.options.pointer_mut("/publicKey/authenticatorSelection") {
        selection["residentKey"] = serde_json::Value::from("required");
        selection["requireResidentKey"] = serde_json::Value::from(true);
    }
    Ok(ceremony)
}

/// Why a passkey was not accepted (for the log and the audit event; the page says one thing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasskeyRefusal {
    /// No live ceremony of this id for this interaction, session or invitation: expired, or already used (a replay).
    UnknownChallenge,
    /// The browser's answer is not a WebAuthn credential.
    Malformed,
    /// Not one of ours, or not this user's.
    UnknownCredential,
    /// The signature, the origin, the RP id, the challenge or the flags did not verify.
    Invalid,
    /// The signature counter did not move forward (WebAuthn §6.1.1: a possible clone).
    CounterWentBack,
    /// The account is disabled.
    Disabled,
    /// The credential is registered already.
    AlreadyRegistered,
}

impl PasskeyRefusal {
    pub fn reason(self) -> &'static str {
        match self {
            PasskeyRefusal::UnknownChallenge => "unknown, expired or used challenge",
            PasskeyRefusal::Malformed => "malformed credential",
            PasskeyRefusal::UnknownCredential => "unknown credential",
            PasskeyRefusal::Invalid => "assertion did not verify",
            PasskeyRefusal::CounterWentBack => "signature counter went backwards: possible cloned authenticator",
            PasskeyRefusal::Disabled => "account disabled",
            PasskeyRefusal::AlreadyRegistered => "credential already registered",
        }
    }

    /// What the sign-in page says.
    pub fn sign_in_refusal(self) -> SignInRefusal {
        match self {
            PasskeyRefusal::Disabled => SignInRefusal::Disabled,
            _ => SignInRefusal::PasskeyFailed,
        }
    }
}

/// A verified passkey: whose, and the methods it proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPasskey {
    pub user_id: String,
    pub credential_id: String,
    pub methods: Vec<AuthenticationMethod>,
}

/// One passkey assertion posted back: the ceremony it answers, and the browser's `PublicKeyCredential` (JSON).
pub struct PasskeyAttempt<'a> {
    pub binding: &'a str,
    pub ceremony: &'a str,
    pub credential: &'a str,
    /// The user a second factor is for (the password identified them); `None` for the passkey alone.
    pub user_id: Option<&'a str>,
    pub source: &'a str,
    pub client_id: Option<&'a str>,
}

/// Verifies an assertion (WebAuthn §7.2) against the ceremony it answers and the stored credential, then records
/// the new counter and flags.
pub fn check_passkey(
    store: &(impl PasskeyStore + UserStore + AccountStore + AuditLog),
    passkeys: &Passkeys,
    attempt: PasskeyAttempt<'_>,
    now: Timestamp,
) -> Result<Result<VerifiedPasskey, PasskeyRefusal>, Failure> {
    let outcome = verify_assertion(store, passkeys, &attempt, now)?;
    let audit = |event: &'static str| {
        let mut e = AuditEvent::new(event, now).address(attempt.source);
        if let Some(client) = attempt.client_id {
            e = e.client(client);
        }
        e
    };
    match &outcome {
        Ok(verified) => {
            store.record_login(&verified.user_id, now)?;
        }
        Err((refusal, user, credential)) => {
            let user = user.as_deref().or(attempt.user_id).unwrap_or("");
            let credential = credential.as_deref().unwrap_or("");
            if *refusal == PasskeyRefusal::CounterWentBack {
                tracing::warn!(event = "passkey_possible_clone", sub = %user, credential_id = %credential, source = attempt.source, "a passkey's signature counter went backwards: refused, possibly a cloned authenticator");
            } else {
                tracing::info!(event = "passkey_failed", sub = %user, source = attempt.source, reason = refusal.reason(), "passkey refused");
            }
            let name =
                if *refusal == PasskeyRefusal::CounterWentBack { "passkey_possible_clone" } else { "passkey_failed" };
            let mut event = audit(name).with("reason", refusal.reason());
            if !user.is_empty() {
                event = event.user(user);
            }
            if !credential.is_empty() {
                event = event.with("credential_id", credential);
            }
            record(store, event);
        }
    }
    Ok(outcome.map_err(|(refusal, _, _)| refusal))
}

type Refused = (PasskeyRefusal, Option<String>, Option<String>);

fn refused(refusal: PasskeyRefusal) -> Refused {
    (refusal, None, None)
}

fn verify_assertion(
    store: &(impl PasskeyStore + UserStore),
    passkeys: &Passkeys,
    attempt: &PasskeyAttempt<'_>,
    now: Timestamp,
) -> Result<Result<VerifiedPasskey, Refused>, Failure> {
    let kind = if attempt.user_id.is_some() { KIND_USER } else { KIND_DISCOVERABLE };
    // WebAuthn §13.4.3: a challenge is used once; the row is deleted as it is taken.
    let Some(state) = store.take_ceremony(attempt.ceremony, attempt.binding, kind, now)? else {
        return Ok(Err(refused(PasskeyRefusal::UnknownChallenge)));
    };
    let Ok(credential) = serde_json::from_str::<PublicKeyCredential>(attempt.credential) else {
        return Ok(Err(refused(PasskeyRefusal::Malformed)));
    };
    let credential_id = URL_SAFE_NO_PAD.encode(credential.get_credential_id());
    let Some(stored) = store.find_passkey(&credential_id)? else {
        return Ok(Err(refused(PasskeyRefusal::UnknownCredential)));
    };
    let whose = |r: PasskeyRefusal| (r, Some(stored.user_id.clone()), Some(credential_id.clone()));
    if attempt.user_id.is_some_and(|user| user != stored.user_id) {
        return Ok(Err(whose(PasskeyRefusal::UnknownCredential)));
    }
    let mut passkey: Passkey =
        serde_json::from_str(&stored.credential).map_err(|e| internal("reading a stored passkey", e))?;
    let result = if attempt.user_id.is_some() {
        let state: PasskeyAuthentication =
            serde_json::from_str(&state).map_err(|e| internal("reading a WebAuthn ceremony", e))?;
        passkeys.webauthn.finish_passkey_authentication(&credential, &state)
    } else {
        let state: DiscoverableAuthentication =
            serde_json::from_str(&state).map_err(|e| internal("reading a WebAuthn ceremony", e))?;
        // WebAuthn §7.2 step 6: the user handle the authenticator returned names the credential's owner.
        match passkeys.webauthn.identify_discoverable_authentication(&credential) {
            Ok((handle, _)) if handle == user_handle(&stored.user_id) => {}
            _ => return Ok(Err(whose(PasskeyRefusal::UnknownCredential))),
        }
        passkeys.webauthn.finish_discoverable_authentication_v2(&credential, state, &passkey)
    };
    let result = match result {
        Ok(result) => result,
        Err(WebauthnError::CredentialPossibleCompromise) => return Ok(Err(whose(PasskeyRefusal::CounterWentBack))),
        Err(e) => {
            tracing::debug!(error = %e, "WebAuthn assertion did not verify");
            return Ok(Err(whose(PasskeyRefusal::Invalid)));
        }
    };
    // WebAuthn §7.2 step 22: "If authData.signCount is nonzero or storedSignCount is nonzero", the new count must be
    // greater than the stored one, else the authenticator may be cloned. Checked against the stored column too (a
    // second-factor ceremony's state carries the count of when it began).
    let counter = i64::from(result.counter());
    if (counter > 0 || stored.sign_count > 0) && counter <= stored.sign_count {
        return Ok(Err(whose(PasskeyRefusal::CounterWentBack)));
    }
    let Some(user) = store.find_user(&stored.user_id)? else {
        return Ok(Err(whose(PasskeyRefusal::UnknownCredential)));
    };
    if store.find_user_by_username(&user.username)?.is_none_or(|u| u.disabled) {
        return Ok(Err(whose(PasskeyRefusal::Disabled)));
    }
    passkey.update_credential(&result);
    let serialised = serde_json::to_string(&passkey).map_err(|e| internal("serialising a passkey", e))?;
    let update = PasskeyUse { credential: &serialised, sign_count: counter, backup_state: result.backup_state(), now };
    if !store.use_passkey(&credential_id, stored.sign_count, &update)? {
        // Another node recorded a use of this credential meanwhile: this assertion's counter is stale.
        return Ok(Err(whose(PasskeyRefusal::CounterWentBack)));
    }
    // RFC 8176: `hwk` is a key held in hardware, `swk` one held in software. A backup-eligible credential (WebAuthn
    // §6.1.3, flag BE: a synced passkey) can be copied off the device, so its key is not bound to one piece of
    // hardware: `swk`. A device-bound one (BE clear: a security key, a platform authenticator that does not sync)
    // never leaves its authenticator: `hwk`. No attestation is asked, so the flags are what we know.
    let key = if stored.backup_eligible || result.backup_eligible() {
        AuthenticationMethod::SoftwareKey
    } else {
        AuthenticationMethod::HardwareKey
    };
    let mut methods = vec![key];
    if attempt.user_id.is_none() {
        // Alone, the passkey proved possession and (user verification required) the user's PIN or biometric.
        methods.push(AuthenticationMethod::UserPresence);
    }
    Ok(Ok(VerifiedPasskey { user_id: stored.user_id, credential_id, methods }))
}

/// A passkey name as kept: trimmed, control characters dropped, at most [`MAX_NAME_CHARS`]; "Passkey" if empty.
pub fn clean_name(typed: &str) -> String {
    let name: String = typed.chars().filter(|c| !c.is_control()).take(MAX_NAME_CHARS).collect();
    let name = name.trim();
    if name.is_empty() { "Passkey".to_owned() } else { name.to_owned() }
}

/// The browser's answer to a registration: the ceremony it answers (and what that was bound to) and the
/// `PublicKeyCredential` (JSON).
pub struct RegistrationAnswer<'a> {
    pub binding: &'a str,
    pub ceremony: &'a str,
    pub credential: &'a str,
}

/// Finishes registering a passkey for `user_id` (WebAuthn §7.1) and keeps it under `name`.
pub fn register_passkey(
    store: &impl PasskeyStore,
    passkeys: &Passkeys,
    answer: RegistrationAnswer<'_>,
    user_id: &str,
    name: &str,
    now: Timestamp,
) -> Result<Result<PasskeyRecord, PasskeyRefusal>, Failure> {
    let RegistrationAnswer { binding, ceremony, credential } = answer;
    let Some(state) = store.take_ceremony(ceremony, binding, KIND_REGISTER, now)? else {
        return Ok(Err(PasskeyRefusal::UnknownChallenge));
    };
    let state: PasskeyRegistration =
        serde_json::from_str(&state).map_err(|e| internal("reading a WebAuthn ceremony", e))?;
    let Ok(credential) = serde_json::from_str::<RegisterPublicKeyCredential>(credential) else {
        return Ok(Err(PasskeyRefusal::Malformed));
    };
    // The ceremony was begun for this user (its user handle is in the state); the binding ties it to their
    // session or invitation.
    let passkey = match passkeys.webauthn.finish_passkey_registration(&credential, &state) {
        Ok(passkey) => passkey,
        Err(e) => {
            tracing::info!(event = "passkey_registration_failed", sub = %user_id, error = %e, "passkey registration refused");
            return Ok(Err(PasskeyRefusal::Invalid));
        }
    };
    let credential_id = URL_SAFE_NO_PAD.encode::<&[u8]>(passkey.cred_id().as_ref());
    let serialised = serde_json::to_string(&passkey).map_err(|e| internal("serialising a passkey", e))?;
    // The flags of the registration's authenticator data, as webauthn-rs kept them in the credential.
    let flags: serde_json::Value = serde_json::from_str(&serialised).map_err(|e| internal("reading a passkey", e))?;
    let flag = |name: &str| flags.pointer(&format!("/cred/{name}")).and_then(serde_json::Value::as_bool);
    let counter = flags.pointer("/cred/counter").and_then(serde_json::Value::as_i64).unwrap_or(0);
    let record = PasskeyRecord {
        credential_id,
        user_id: user_id.to_owned(),
        name: clean_name(name),
        credential: serialised,
        sign_count: counter,
        backup_eligible: flag("backup_eligible").unwrap_or(false),
        backup_state: flag("backup_state").unwrap_or(false),
        created_at: now,
        last_used_at: None,
    };
    // WebAuthn §7.1 step 26: a credential id registered already (to anyone) is refused.
    if !store.add_passkey(&record)? {
        return Ok(Err(PasskeyRefusal::AlreadyRegistered));
    }
    Ok(Ok(record))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relying_party_is_the_issuer_host_and_never_an_address() {
        assert!(Passkeys::for_issuer("https://id.example.com", "Tessera").unwrap().is_some());
        assert!(Passkeys::for_issuer("http://localhost:8080", "Tessera").unwrap().is_some());
        assert!(Passkeys::for_issuer("http://127.0.0.1:8080", "Tessera").unwrap().is_none());
        assert!(Passkeys::for_issuer("https://[::1]", "Tessera").unwrap().is_none());
    }

    #[test]
    fn user_handles_are_the_subject_uuid_or_a_hash_of_it() {
        let id = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
        assert_eq!(user_handle(id).to_string(), id);
        assert_eq!(user_handle("alice"), user_handle("alice"));
        assert_ne!(user_handle("alice"), user_handle("bob"));
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("  Laptop\n "), "Laptop");
        assert_eq!(clean_name(""), "Passkey");
        assert_eq!(clean_name(&"x".repeat(100)).len(), MAX_NAME_CHARS);
    }
}
