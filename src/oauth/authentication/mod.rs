//! Signing in: the chain of authentication steps a parked interaction walks ([`chain`]), and each step's own
//! check ([`password`]).

pub mod chain;
pub mod passkey;
pub mod password;
pub mod refusal;
pub mod totp;

pub use chain::{Chain, SignInStep, StepOutcome, chain_for, interaction_binding, next_step, run_step};
pub use password::{PasswordChecker, check_password};
pub use refusal::SignInRefusal;
