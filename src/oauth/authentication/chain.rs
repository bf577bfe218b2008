//! Signing in as a chain of steps. A parked interaction walks the steps of its chain in order; each step has its
//! own page and its own form post (`/interaction/{id}/{step}`), proves one authentication method, and the methods
//! proved are recorded on the interaction, then on the browser session (they become `amr` in ID tokens).
//!
//! The chain is the password, then the second factor (a TOTP code, a recovery code or a passkey) when the user has
//! one and the `mfa` setting is not `off`. Who the user is is known after the password: [`chain_for`] is asked again
//! then. The transaction (`oauth::authorize`) asks [`next_step`] what is left, and opens the session when nothing is.
//!
//! A passkey ([`SignInStep::Passkey`], its own form post) answers either page: on the password page it is the
//! passkey alone (discoverable, user verification required: `hwk`/`swk` + `user`, two factors at once, so the
//! second-factor step is done too); on the second-factor page it is the second factor (`pwd` + `hwk`/`swk`).

use super::passkey::{PasskeyAttempt, check_passkey};
use super::password::{PasswordAttempt, PasswordOutcome, check_password};
use super::refusal::SignInRefusal;
use super::totp::{SecondFactorAttempt, SecondFactorOutcome, check_second_factor};
use crate::config::MfaPolicy;
use crate::domain::{AcrRequest, AuthenticationMethod, AuthorizationRequest, SignInProgress, Timestamp};
use crate::error::Failure;
use crate::oauth::provider::Provider;
use crate::params::Params;
use crate::storage::{ClientStore, PasskeyStore, SecondFactorStore};

/// One step of signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInStep {
    /// Username and password (RFC 8176 `pwd`).
    Password,
    /// A TOTP code or a recovery code (RFC 8176 `otp`), or a passkey, after the password.
    SecondFactor,
    /// A passkey assertion (RFC 8176 `hwk`/`swk`): alone on the password page, or as the second factor. Never a
    /// step of its own in a chain: the form another step's page posts to.
    Passkey,
}

impl SignInStep {
    /// The last segment of the step's form action, `/interaction/{id}/{path}`.
    pub fn path(self) -> &'static str {
        match self {
            SignInStep::Password => "login",
            SignInStep::SecondFactor => "otp",
            SignInStep::Passkey => "passkey",
        }
    }

    pub fn from_path(path: &str) -> Option<SignInStep> {
        [SignInStep::Password, SignInStep::SecondFactor, SignInStep::Passkey]
            .into_iter()
            .find(|step| step.path() == path)
    }

    /// Whether the methods proved so far complete this step: the first step wants something that identified the
    /// user (a password or a passkey), the second factor wants two distinct factors (RFC 8176 `mfa`).
    pub fn done(self, proved: &[AuthenticationMethod]) -> bool {
        match self {
            SignInStep::Password => proved.iter().any(|m| *m == AuthenticationMethod::Password || m.is_passkey()),
            SignInStep::SecondFactor => !proved.is_empty() && AuthenticationMethod::is_multi_factor(proved),
            SignInStep::Passkey => proved.iter().any(|m| m.is_passkey()),
        }
    }

    /// Whether a form post of `form` may answer this step's page (a passkey answers both pages).
    pub fn accepts(self, form: SignInStep) -> bool {
        form == self || form == SignInStep::Passkey
    }
}

/// The steps a request must walk for a user, and what it asks of a session that already exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub steps: Vec<SignInStep>,
    /// The request asks for a second factor (the `mfa` setting, the client, or `acr_values`/`acr`): a session
    /// without one steps up (walks the chain's missing steps).
    pub second_factor_asked: bool,
    /// A second factor is required and the user has none: they cannot sign in.
    pub second_factor_missing: bool,
    /// The user has a TOTP secret, and passkeys (with passkeys on): what the second-factor page offers.
    pub has_totp: bool,
    pub has_passkey: bool,
}

/// The chain `request` must walk for the user `user_id` (`None` before the password identified them: the password
/// step alone, which is always first).
pub fn chain_for(provider: &Provider, request: &AuthorizationRequest, user_id: Option<&str>) -> Result<Chain, Failure> {
    let policy = provider.transaction.mfa;
    let client_requires =
        provider.db.find_client(request.client_id.as_str())?.is_some_and(|record| record.client.require_mfa);
    let required = policy == MfaPolicy::Required || client_requires || request.acr == AcrRequest::MultiFactorEssential;
    let asked = required || request.acr == AcrRequest::MultiFactor;
    let (has_totp, has_passkey) = match user_id {
        Some(user) if policy != MfaPolicy::Off => (
            provider.db.find_totp(user)?.is_some(),
            provider.passkeys.is_some() && !provider.db.passkeys_of(user)?.is_empty(),
        ),
        _ => (false, false),
    };
    let enrolled = has_totp || has_passkey;
    let mut steps = vec![SignInStep::Password];
    if enrolled {
        steps.push(SignInStep::SecondFactor);
    }
    Ok(Chain {
        steps,
        second_factor_asked: asked,
        second_factor_missing: user_id.is_some() && required && !enrolled,
        has_totp,
        has_passkey,
    })
}

/// The first step of `chain` the methods proved do not complete yet; `None` once the user is signed in.
pub fn next_step(chain: &[SignInStep], proved: &[AuthenticationMethod]) -> Option<SignInStep> {
    chain.iter().copied().find(|step| !step.done(proved))
}

/// What one step's form post concluded.
#[derive(Debug)]
pub enum StepOutcome {
    /// The user proved `methods`.
    Passed { user_id: String, methods: Vec<AuthenticationMethod> },
    /// Refused: the page again, with what was typed in the username field and the message to show.
    Refused { username: String, refusal: SignInRefusal },
}

/// Runs `step` on its form. `progress` is what earlier steps of the chain proved (a second factor checks the user
/// they identified).
#[allow(clippy::too_many_arguments)]
pub fn run_step(
    provider: &Provider,
    interaction_id: &str,
    step: SignInStep,
    form: &Params,
    request: &AuthorizationRequest,
    progress: Option<&SignInProgress>,
    source: &str,
    now: Timestamp,
) -> Result<StepOutcome, Failure> {
    match step {
        SignInStep::Password => {
            let username = form.get("username").unwrap_or("");
            let attempt = PasswordAttempt {
                username,
                password: form.get("password").unwrap_or(""),
                source,
                client_id: &request.client_id,
            };
            Ok(match check_password(&provider.db, &provider.passwords, attempt, now)? {
                PasswordOutcome::Verified(user) => {
                    StepOutcome::Passed { user_id: user.subject, methods: vec![AuthenticationMethod::Password] }
                }
                PasswordOutcome::Refused(refusal) => StepOutcome::Refused { username: username.to_owned(), refusal },
            })
        }
        SignInStep::SecondFactor => {
            // The step comes after the password: the transaction only runs it as the chain's next step, which
            // needs the user the password identified.
            let Some(progress) = progress else {
                return Ok(StepOutcome::Refused { username: String::new(), refusal: SignInRefusal::WrongCode });
            };
            let attempt = SecondFactorAttempt {
                user_id: &progress.user_id,
                code: form.get("code").unwrap_or(""),
                source,
                client_id: &request.client_id,
            };
            Ok(match check_second_factor(&provider.db, attempt, now)? {
                SecondFactorOutcome::Totp | SecondFactorOutcome::RecoveryCode { .. } => StepOutcome::Passed {
                    user_id: progress.user_id.clone(),
                    methods: vec![AuthenticationMethod::OneTimePassword],
                },
                SecondFactorOutcome::Refused(refusal) => StepOutcome::Refused { username: String::new(), refusal },
            })
        }
        SignInStep::Passkey => {
            let Some(passkeys) = provider.passkeys.as_ref() else {
                return Ok(StepOutcome::Refused { username: String::new(), refusal: SignInRefusal::PasskeyFailed });
            };
            let binding = interaction_binding(interaction_id);
            let attempt = PasskeyAttempt {
                binding: &binding,
                ceremony: form.get("ceremony").unwrap_or(""),
                credential: form.get("credential").unwrap_or(""),
                // After the password: this user's passkey, the second factor. Before: any discoverable one.
                user_id: progress.map(|p| p.user_id.as_str()),
                source,
                client_id: Some(request.client_id.as_str()),
            };
            Ok(match check_passkey(&provider.db, passkeys, attempt, now)? {
                Ok(verified) => StepOutcome::Passed { user_id: verified.user_id, methods: verified.methods },
                Err(refusal) => StepOutcome::Refused { username: String::new(), refusal: refusal.sign_in_refusal() },
            })
        }
    }
}

/// What a passkey ceremony of a parked interaction is bound to.
pub fn interaction_binding(interaction_id: &str) -> String {
    format!("interaction:{interaction_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_found_by_their_path_and_walked_in_order() {
        assert_eq!(SignInStep::from_path("login"), Some(SignInStep::Password));
        assert_eq!(SignInStep::from_path("otp"), Some(SignInStep::SecondFactor));
        assert_eq!(SignInStep::from_path("passkey"), Some(SignInStep::Passkey));
        assert_eq!(SignInStep::from_path("consent"), None);
        let chain = [SignInStep::Password, SignInStep::SecondFactor];
        assert_eq!(next_step(&chain, &[]), Some(SignInStep::Password));
        assert_eq!(next_step(&chain, &[AuthenticationMethod::Password]), Some(SignInStep::SecondFactor));
        let both = [AuthenticationMethod::Password, AuthenticationMethod::OneTimePassword];
        assert_eq!(next_step(&chain, &both), None);
        // A passkey used alone (user verified) is both steps; after the password, it is the second factor.
        let alone = [AuthenticationMethod::SoftwareKey, AuthenticationMethod::UserPresence];
        assert_eq!(next_step(&chain, &alone), None);
        let second = [AuthenticationMethod::Password, AuthenticationMethod::HardwareKey];
        assert_eq!(next_step(&chain, &second), None);
        assert_eq!(next_step(&chain, &[AuthenticationMethod::HardwareKey]), Some(SignInStep::SecondFactor));
        assert!(SignInStep::Password.accepts(SignInStep::Passkey));
        assert!(SignInStep::SecondFactor.accepts(SignInStep::Passkey));
        assert!(!SignInStep::SecondFactor.accepts(SignInStep::Password));
    }
}
