//! The second-factor step of signing in: a TOTP code (RFC 6238) or one of the user's single-use recovery codes,
//! throttled per account and per address like the password (`oauth::throttle`, under the account key
//! `otp:{subject}`, so the two steps count apart but share the address's count).
//!
//! Parameters: RFC 6238's defaults, which every authenticator app reads from a bare `otpauth://` URI: HMAC-SHA-1,
//! 6 digits, 30 s steps, a code of the previous or next step accepted too (§5.2: "at most one time step is allowed
//! as the network delay"), 160-bit secrets (RFC 4226 §4 R6 recommends 160). A code is accepted once: the last
//! accepted step is stored per user and a code of that step or an earlier one is refused (§5.2).

use totp_rs::{Algorithm, Builder, Totp};

use super::refusal::SignInRefusal;
use crate::domain::{ClientId, Timestamp};
use crate::error::{Failure, InternalError};
use crate::oauth::throttle;
use crate::secrets::{constant_time_eq, random_bytes, token_hash};
use crate::storage::{SecondFactorStore, ThrottleStore};

/// RFC 6238 §4.1 X, the time step.
pub const STEP_SECS: i64 = 30;
/// Digits of a code (RFC 4226 §5.3: at least 6).
pub const DIGITS: u8 = 6;
/// Steps accepted either side of the current one (RFC 6238 §5.2).
pub const SKEW_STEPS: i64 = 1;
/// Bytes of a new secret: 160 bits (RFC 4226 §4 R6).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes made at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// Bytes of randomness in one recovery code: 80 bits, written as 16 base32 characters.
const RECOVERY_CODE_BYTES: usize = 10;

fn totp(secret: &[u8], issuer: Option<&str>, account: &str) -> Result<Totp, Failure> {
    let mut builder = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_step_duration(STEP_SECS as u64)
        .with_skew(0)
        .with_secret(secret.to_vec());
    // The otpauth label may not hold `:` (it separates the issuer from the account in the label).
    builder = builder.with_account_name(account.replace(':', "_")).with_issuer(issuer.map(|i| i.replace(':', "_")));
    builder.build().map_err(|e| InternalError::new("building a TOTP generator", anyhow::anyhow!("{e:?}")).into())
}

/// The code of time step `step` (for tests and for authenticators built in).
pub fn code_at(secret: &[u8], step: i64) -> Result<String, Failure> {
    Ok(totp(secret, None, "")?.generate((step.max(0) * STEP_SECS) as u64).to_string())
}

/// The time step of `now` (RFC 6238 §4.2: T = floor((now - T0) / X), T0 = 0).
pub fn step_of(now: Timestamp) -> i64 {
    now.div_euclid(STEP_SECS)
}

/// A new TOTP secret and its `otpauth://` URI (Key Uri Format: issuer, account, base32 secret; SHA1, 6 digits and
/// 30 s are the defaults it leaves out).
pub fn new_secret(issuer_label: &str, account: &str) -> Result<(Vec<u8>, String), Failure> {
    let secret = random_bytes(SECRET_BYTES);
    let uri = otpauth_uri(&secret, issuer_label, account)?;
    Ok((secret, uri))
}

/// The `otpauth://` URI of `secret`.
pub fn otpauth_uri(secret: &[u8], issuer_label: &str, account: &str) -> Result<String, Failure> {
    Ok(totp(secret, Some(issuer_label), account)?
        .to_url()
        .map_err(|e| InternalError::new("writing the otpauth URI", anyhow::anyhow!("{e:?}")))?)
}

/// Ten new recovery codes as shown to the user once (`xxxx-xxxx-xxxx-xxxx`, base32), and their hashes to store.
pub fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    (0..RECOVERY_CODES)
        .map(|_| {
            let raw = base32_encode(&random_bytes(RECOVERY_CODE_BYTES));
            let shown = raw.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
            let hash = token_hash(&raw);
            (shown.join("-").to_lowercase(), hash)
        })
        .unzip()
}

/// RFC 4648 base32 without padding: letters and 2-7 only, easy to read back and to type.
fn base32_encode(bytes: &[u8]) -> String {
    base32::encode(base32::Alphabet::Rfc4648 { padding: false }, bytes)
}

/// A typed recovery code as stored: without separators or spaces, upper case.
fn normalise_recovery_code(typed: &str) -> String {
    typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// What the second-factor step concluded.
#[derive(Debug, PartialEq, Eq)]
pub enum SecondFactorOutcome {
    /// A TOTP code, accepted.
    Totp,
    /// A recovery code, spent; `remaining` are left.
    RecoveryCode {
        remaining: i64,
    },
    Refused(SignInRefusal),
}

/// One attempt at the second factor of the user `user_id` (whose password was just checked).
pub struct SecondFactorAttempt<'a> {
    pub user_id: &'a str,
    pub code: &'a str,
    pub source: &'a str,
    pub client_id: &'a ClientId,
}

/// Checks a TOTP code or a recovery code, throttled like the password: counted first, taken back on success.
pub fn check_second_factor(
    store: &(impl SecondFactorStore + ThrottleStore),
    attempt: SecondFactorAttempt<'_>,
    now: Timestamp,
) -> Result<SecondFactorOutcome, Failure> {
    let SecondFactorAttempt { user_id, code, source, client_id } = attempt;
    let account = format!("otp:{user_id}");
    let Some(counted) = throttle::admit_login(store, &account, source, now)? else {
        let wait_secs = (throttle::blocked_until(store, &account, source)? - now).max(1);
        tracing::info!(event = "second_factor_throttled", client_id = %client_id, sub = %user_id, source, wait_secs, "second factor refused while throttled");
        return Ok(SecondFactorOutcome::Refused(SignInRefusal::Throttled { wait_secs }));
    };
    let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let outcome = if typed.len() == usize::from(DIGITS) && typed.bytes().all(|b| b.is_ascii_digit()) {
        check_totp(store, user_id, &typed, now)?
    } else {
        let normalised = normalise_recovery_code(&typed);
        if !normalised.is_empty() && store.use_recovery_code(user_id, &token_hash(&normalised), now)? {
            let remaining = store.remaining_recovery_codes(user_id)?;
            tracing::info!(event = "recovery_code_used", client_id = %client_id, sub = %user_id, source, remaining, "a recovery code was used");
            Some(SecondFactorOutcome::RecoveryCode { remaining })
        } else {
            None
        }
    };
    match outcome {
        Some(passed) => {
            counted.succeeded(store)?;
            Ok(passed)
        }
        None => {
            tracing::info!(event = "second_factor_failed", client_id = %client_id, sub = %user_id, source, reason = "wrong, used or replayed code", "second factor failed");
            counted.failed(store)?;
            Ok(SecondFactorOutcome::Refused(SignInRefusal::WrongCode))
        }
    }
}

/// A 6-digit code against the steps around `now` not yet used; the matching step is then spent, once.
fn check_totp(
    store: &impl SecondFactorStore,
    user_id: &str,
    typed: &str,
    now: Timestamp,
) -> Result<Option<SecondFactorOutcome>, Failure> {
    let Some(factor) = store.find_totp(user_id)? else { return Ok(None) };
    let current = step_of(now);
    let mut matched = None;
    // Every candidate step is computed and compared, so the time taken does not say which one matched.
    for step in current - SKEW_STEPS..=current + SKEW_STEPS {
        let expected = code_at(&factor.secret, step)?;
        if constant_time_eq(expected.as_bytes(), typed.as_bytes()) && factor.last_used_step.is_none_or(|l| step > l) {
            matched = Some(step);
        }
    }
    let Some(step) = matched else {
        if factor.last_used_step.is_some_and(|last| last >= current - SKEW_STEPS) {
            tracing::info!(event = "totp_replay_refused", sub = %user_id, "a TOTP code of a used step was refused");
        }
        return Ok(None);
    };
    // RFC 6238 §5.2: of two sign-ins with one code (two nodes, two tabs), the conditional update lets one through.
    Ok(store.use_totp_step(user_id, step)?.then_some(SecondFactorOutcome::Totp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // RFC 6238 Appendix B, SHA-1 seed "12345678901234567890": T = 59 s -> 94287082 (8 digits), whose last six
        // digits are the 6-digit code; T = 1111111109 -> 07081804.
        let seed = b"12345678901234567890";
        assert_eq!(code_at(seed, step_of(59)).unwrap(), "287082");
        assert_eq!(code_at(seed, step_of(1_111_111_109)).unwrap(), "081804");
    }

    #[test]
    fn recovery_codes_are_ten_distinct_80_bit_codes_stored_hashed() {
        let (shown, hashes) = new_recovery_codes();
        assert_eq!(shown.len(), 10);
        assert_eq!(hashes.len(), 10);
        for (code, hash) in shown.iter().zip(&hashes) {
            assert_eq!(code.len(), 19, "{code}");
            assert_eq!(token_hash(&normalise_recovery_code(code)), *hash);
            assert_eq!(token_hash(&normalise_recovery_code(&code.to_uppercase().replace('-', " "))), *hash);
        }
        let distinct: std::collections::BTreeSet<_> = shown.iter().collect();
        assert_eq!(distinct.len(), 10);
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI", "RFC 4648 §10");
    }

    #[test]
    fn a_new_secret_gives_an_otpauth_uri() {
        let (secret, uri) = new_secret("id.example", "alice").unwrap();
        assert_eq!(secret.len(), 20);
        assert!(uri.starts_with("otpauth://totp/id.example:alice?secret="), "{uri}");
        assert!(uri.contains("issuer=id.example"), "{uri}");
    }
}
