//! A new password (set by `tessera user add`, `user passwd`, or an account page): long enough, not absurdly long,
//! and not easy to guess. Only new passwords are checked; signing in compares with the stored hash, whatever it is.

use std::fmt;

use zxcvbn::Score;
use zxcvbn::feedback::Warning;

use super::error::InvalidValue;

/// NIST SP 800-63B §5.1.1.2: "at least 8 characters in length".
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Far above any passphrase; bounds the work of hashing.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// The weakest zxcvbn score accepted: 2 is "somewhat guessable", more than 10^6 guesses (an online attack, which the
/// login throttle slows further).
const MIN_SCORE: Score = Score::Two;
/// zxcvbn's matching grows fast with the length; its estimate of a long password's first characters is a lower
/// bound of the whole's, and past this many characters a password is no longer guessed as a whole anyway.
const ESTIMATED_CHARS: usize = 100;

/// A password that passed the rules for a new password. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// NIST SP 800-63B §5.1.1.2: a new password is refused when it is too short or "commonly-used, expected, or
    /// compromised" (lists of leaked passwords, dictionary words, repetitive or sequential characters, "context-
    /// specific words, such as ... the username"), and the refusal says why. `user_inputs` are what an attacker may
    /// know of the account (the username, the email address); each counts as an easy guess, and so do its words.
    pub fn parse(raw: &str, user_inputs: &[&str]) -> Result<NewPassword, InvalidValue> {
        if raw.chars().count() < MIN_PASSWORD_CHARS {
            return Err(InvalidValue(format!("a password has at least {MIN_PASSWORD_CHARS} characters")));
        }
        if raw.len() > MAX_PASSWORD_BYTES {
            return Err(InvalidValue(format!("a password has at most {MAX_PASSWORD_BYTES} bytes")));
        }
        let words = context_words(user_inputs);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let estimated: String = raw.chars().take(ESTIMATED_CHARS).collect();
        let estimate = zxcvbn::zxcvbn(&estimated, &words);
        let feedback = estimate.feedback();
        let warning = feedback.and_then(|f| f.warning());
        // zxcvbn's frequency lists come from leaked password sets: "common" is "found in breaches".
        let common = matches!(
            warning,
            Some(
                Warning::ThisIsATop10Password
                    | Warning::ThisIsATop100Password
                    | Warning::ThisIsACommonPassword
                    | Warning::ThisIsSimilarToACommonlyUsedPassword
            )
        );
        if !common && estimate.score() >= MIN_SCORE {
            return Ok(NewPassword(raw.to_owned()));
        }
        let mut reason = if common {
            "this password is too easy to guess: it is a common password, found in lists of leaked passwords".to_owned()
        } else {
            format!(
                "this password is too easy to guess (strength {} of 4, at least {MIN_SCORE} needed)",
                estimate.score()
            )
        };
        if let Some(warning) = warning {
            reason.push_str(&format!(". {warning}"));
        }
        if let Some(feedback) = feedback {
            for suggestion in feedback.suggestions() {
                reason.push_str(&format!(" {suggestion}"));
            }
        }
        Err(InvalidValue(reason))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

/// The user inputs, the local part of an email address, and their words of three characters or more
/// (`alice.smith@example.com` also gives `alice.smith`, `alice`, `smith`, `example`, `com`), lower-cased.
fn context_words(user_inputs: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for input in user_inputs {
        let local_part = input.rsplit_once('@').map(|(local, _)| local);
        let parts = input.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3);
        for word in std::iter::once(*input).chain(local_part).chain(parts) {
            let word = word.to_lowercase();
            if !word.is_empty() && !words.contains(&word) {
                words.push(word);
            }
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &[&str] = &["alice", "alice.liddell@example.com"];

    fn refusal(raw: &str) -> String {
        match NewPassword::parse(raw, ALICE) {
            Ok(_) => panic!("{raw:?} was accepted"),
            Err(e) => e.0,
        }
    }

    #[test]
    fn short_common_and_guessable_passwords_are_refused_with_the_reason() {
        assert_eq!(refusal("short"), "a password has at least 8 characters");
        assert_eq!(refusal(&"x".repeat(1025)), "a password has at most 1024 bytes");
        for common in ["password123", "password", "iloveyou", "qwertyuiop", "P@ssw0rd", "12345678"] {
            let reason = refusal(common);
            assert!(reason.contains("too easy to guess"), "{common}: {reason}");
        }
        assert!(refusal("password123").contains("common password"), "{}", refusal("password123"));
        let repeated = refusal("aaaaaaaa");
        assert!(repeated.contains("Repeats like \"aaa\" are easy to guess"), "{repeated}");
        assert!(repeated.contains("strength 0 of 4"), "{repeated}");
        for personal in ["alice.liddell", "alice1234", "Alice.Liddell@Example.com"] {
            assert!(refusal(personal).contains("too easy to guess"), "{personal}");
        }
    }

    /// 1024 bytes with no pattern (a deterministic sequence): only its first characters are estimated.
    fn long_random_password() -> String {
        const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.!";
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        (0..MAX_PASSWORD_BYTES)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                ALPHABET[(state % ALPHABET.len() as u64) as usize] as char
            })
            .collect()
    }

    #[test]
    fn passphrases_and_the_passwords_the_tests_use_are_accepted() {
        for good in [
            "correct horse battery staple",
            "audit-trail-password-123",
            "vellum otter quarantine 47",
            "another long password",
            "a brand new password",
            "quartz lantern meadow drift",
            "another-pass",
            "new-secret-pass",
            &long_random_password(),
        ] {
            let parsed = NewPassword::parse(good, ALICE);
            assert!(parsed.is_ok(), "{good:?}: {parsed:?}");
        }
        let password = NewPassword::parse("correct horse battery staple", ALICE).unwrap();
        assert_eq!(password.expose(), "correct horse battery staple");
        assert!(!format!("{password:?}").contains("horse"));
    }
}
