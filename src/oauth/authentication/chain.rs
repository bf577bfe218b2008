//! Signing in as a chain of steps. A parked interaction walks the steps of its chain in order; each step has its
//! own page and its own form post (`/interaction/{id}/{step}`), proves one authentication method, and the methods
//! proved are recorded on the interaction, then on the browser session (they become `amr` in ID tokens).
//!
//! Today's chain is one step, the password. A second factor (TOTP, a passkey after a password) is another
//! [`SignInStep`] with its page, appended by [`chain_for`] when the user or the request needs it; a passkey used
//! alone, or an account chooser, is a step that can come first. The transaction (`oauth::authorize`) does not
//! change for either: it asks [`next_step`] what is left, and opens the session when nothing is.

use super::password::{PasswordAttempt, PasswordOutcome, check_password};
use super::refusal::SignInRefusal;
use crate::domain::{AuthenticationMethod, AuthorizationRequest, SignInProgress, Timestamp};
use crate::error::Failure;
use crate::oauth::provider::Provider;
use crate::params::Params;

/// One step of signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInStep {
    /// Username and password (RFC 8176 `pwd`).
    Password,
}

impl SignInStep {
    /// The last segment of the step's form action, `/interaction/{id}/{path}`.
    pub fn path(self) -> &'static str {
        match self {
            SignInStep::Password => "login",
        }
    }

    pub fn from_path(path: &str) -> Option<SignInStep> {
        [SignInStep::Password].into_iter().find(|step| step.path() == path)
    }

    /// The method a passed step proves.
    pub fn method(self) -> AuthenticationMethod {
        match self {
            SignInStep::Password => AuthenticationMethod::Password,
        }
    }
}

/// The steps `request` must walk, in order.
pub fn chain_for(_request: &AuthorizationRequest) -> &'static [SignInStep] {
    &[SignInStep::Password]
}

/// The first step of `chain` whose method has not been proved yet; `None` once the user is signed in.
pub fn next_step(chain: &[SignInStep], proved: &[AuthenticationMethod]) -> Option<SignInStep> {
    chain.iter().copied().find(|step| !proved.contains(&step.method()))
}

/// What one step's form post concluded.
#[derive(Debug)]
pub enum StepOutcome {
    /// The user proved `method`.
    Passed { user_id: String, method: AuthenticationMethod },
    /// Refused: the page again, with what was typed in the username field and the message to show.
    Refused { username: String, refusal: SignInRefusal },
}

/// Runs `step` on its form. `progress` is what earlier steps of the chain proved (a second factor checks the user
/// they identified).
pub fn run_step(
    provider: &Provider,
    step: SignInStep,
    form: &Params,
    request: &AuthorizationRequest,
    _progress: Option<&SignInProgress>,
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
                PasswordOutcome::Verified(user) => StepOutcome::Passed { user_id: user.subject, method: step.method() },
                PasswordOutcome::Refused(refusal) => StepOutcome::Refused { username: username.to_owned(), refusal },
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_found_by_their_path_and_walked_in_order() {
        assert_eq!(SignInStep::from_path("login"), Some(SignInStep::Password));
        assert_eq!(SignInStep::from_path("consent"), None);
        let chain = [SignInStep::Password];
        assert_eq!(next_step(&chain, &[]), Some(SignInStep::Password));
        assert_eq!(next_step(&chain, &[AuthenticationMethod::Password]), None);
    }
}
