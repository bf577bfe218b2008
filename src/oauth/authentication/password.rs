//! The password step of signing in: argon2id against the stored hash, with brute-force throttling per account and
//! per source address. An unknown username is checked against a dummy hash, so both failures take the same time
//! and get the same message.

use std::sync::{Condvar, Mutex, PoisonError};

use crate::domain::{ClientId, Timestamp, User};
use crate::error::Failure;
use crate::oauth::throttle;
use crate::secrets::{hash_password, random_token, verify_password};
use crate::storage::{ThrottleStore, UserStore};

/// One message for an unknown user and a wrong password, so the page does not reveal which usernames exist.
pub const LOGIN_FAILED: &str = "The username or password is incorrect.";
/// Shown instead while the account or this address is throttled, whether or not the account exists.
pub const LOGIN_THROTTLED: &str = "Too many failed sign-in attempts. Wait a few minutes, then try again.";

/// Verifies passwords, at most `concurrency` at a time: an argon2id check holds 19 MiB, so a burst of sign-in
/// posts waits its turn instead of exhausting memory. The queue is bounded too: past `queue` waiting checks, the
/// next is refused at once (503 with Retry-After) rather than parked without limit.
pub struct PasswordChecker {
    /// An argon2id hash of a random password, verified for unknown usernames.
    dummy_hash: String,
    slots: Mutex<Slots>,
    slot_freed: Condvar,
}

struct Slots {
    free: usize,
    waiting: usize,
    queue: usize,
}

impl PasswordChecker {
    pub fn new(concurrency: usize, queue: usize) -> Result<PasswordChecker, argon2::password_hash::Error> {
        Ok(PasswordChecker {
            dummy_hash: hash_password(random_token(16).expose())?,
            slots: Mutex::new(Slots { free: concurrency.max(1), waiting: 0, queue }),
            slot_freed: Condvar::new(),
        })
    }

    /// `password` against `phc`, or against the dummy hash when there is no user, in one of the bounded slots.
    /// Runs on a blocking thread (it waits for a slot, then hashes).
    fn verify(&self, password: &str, phc: Option<&str>) -> Result<bool, Failure> {
        {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            if slots.free == 0 && slots.waiting >= slots.queue {
                return Err(Failure::Unavailable("the password check queue is full".into()));
            }
            slots.waiting += 1;
            while slots.free == 0 {
                slots = self.slot_freed.wait(slots).unwrap_or_else(PoisonError::into_inner);
            }
            slots.waiting -= 1;
            slots.free -= 1;
        }
        let verified = verify_password(password, phc.unwrap_or(&self.dummy_hash));
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).free += 1;
        self.slot_freed.notify_one();
        Ok(verified && phc.is_some())
    }
}

/// What the password step concluded.
#[derive(Debug)]
pub enum PasswordOutcome {
    Verified(Box<User>),
    /// Refused, with the message the page shows.
    Refused(&'static str),
}

/// One sign-in attempt with a password.
pub struct PasswordAttempt<'a> {
    pub username: &'a str,
    pub password: &'a str,
    /// The caller's address, for throttling.
    pub source: &'a str,
    /// The client the user is signing in to, for the audit log.
    pub client_id: &'a ClientId,
}

/// Checks a password (see [`throttle`] for who waits when): the attempt is counted first, then checked; a success
/// takes it back.
pub fn check_password(
    store: &(impl UserStore + ThrottleStore),
    checker: &PasswordChecker,
    attempt: PasswordAttempt<'_>,
    now: Timestamp,
) -> Result<PasswordOutcome, Failure> {
    let PasswordAttempt { username, password, source, client_id } = attempt;
    let Some(counted) = throttle::admit_login(store, username, source, now)? else {
        tracing::info!(event = "login_throttled", client_id = %client_id, "login refused while throttled");
        return Ok(PasswordOutcome::Refused(LOGIN_THROTTLED));
    };
    let user = store.find_user_by_username(username)?;
    let verified = match checker.verify(password, user.as_ref().map(|u| u.password_hash.as_str())) {
        Ok(verified) => verified,
        Err(busy) => {
            counted.abandoned(store)?;
            return Err(busy);
        }
    };
    let Some(user) = user.filter(|_| verified) else {
        tracing::info!(event = "login_failed", client_id = %client_id, "login failed");
        counted.failed();
        return Ok(PasswordOutcome::Refused(LOGIN_FAILED));
    };
    counted.succeeded(store)?;
    Ok(PasswordOutcome::Verified(Box::new(user.user)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_real_hash_verifies_and_slots_are_given_back() {
        let checker = PasswordChecker::new(1, 0).unwrap();
        let phc = hash_password("correct horse").unwrap();
        assert!(checker.verify("correct horse", Some(&phc)).unwrap());
        assert!(!checker.verify("wrong horse", Some(&phc)).unwrap());
        // The dummy hash never lets anyone in, whatever was typed.
        assert!(!checker.verify("", None).unwrap());
        assert_eq!(checker.slots.lock().unwrap().free, 1, "every check gave its slot back");
    }

    #[test]
    fn a_full_queue_refuses_at_once() {
        let checker = PasswordChecker::new(1, 0).unwrap();
        checker.slots.lock().unwrap().free = 0;
        assert!(matches!(checker.verify("x", None), Err(Failure::Unavailable(_))));
        assert_eq!(checker.slots.lock().unwrap().waiting, 0);
    }
}
