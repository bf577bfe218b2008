//! The password step of signing in: argon2id against the stored hash, with brute-force throttling per account and
//! per source address. An unknown username is checked against a dummy hash, so both failures take the same time
//! and get the same message.

use std::sync::{Condvar, Mutex, PoisonError};

use super::refusal::SignInRefusal;
use crate::domain::{ClientId, Timestamp, User};
use crate::error::Failure;
use crate::oauth::throttle;
use argon2::Block;

use crate::domain::AuditEvent;
use crate::oauth::audit::record;
use crate::secrets::verify_password_in;
use crate::storage::{AccountStore, AuditLog, ThrottleStore, UserStore};

/// The hash checked for an unknown username, so that both failures take the same time: argon2id with the
/// configured costs, of a password nobody knows (random bytes where the hash goes: nothing can match it, and the
/// check below refuses it whatever comes out). A constant, so that starting needs no argon2 run.
const DUMMY_PHC: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$yfkfJVYoaDwOHFkKiDOZaw$OTe8JoE8wswU1A/RsPD9NYx9xQHKYlnc2oT7ZPpEP1w";

/// Verifies passwords, at most `concurrency` at a time, each in argon2 memory kept from one check to the next (19
/// MiB each, allocated when first needed): the memory a burst of sign-ins can take is bounded, and it does not grow
/// with the threads that ever ran a check. The queue is bounded too: past `queue` waiting checks, the next is
/// refused at once (503 with Retry-After) rather than parked without limit.
pub struct PasswordChecker {
    slots: Mutex<Slots>,
    slot_freed: Condvar,
}

struct Slots {
    /// Slots not in use, each with the memory of its last check (empty until first used).
    free: Vec<Vec<Block>>,
    waiting: usize,
    queue: usize,
}

impl PasswordChecker {
    pub fn new(concurrency: usize, queue: usize) -> PasswordChecker {
        PasswordChecker {
            slots: Mutex::new(Slots { free: (0..concurrency.max(1)).map(|_| Vec::new()).collect(), waiting: 0, queue }),
            slot_freed: Condvar::new(),
        }
    }

    /// `password` against `phc`, or against the dummy hash when there is no user, in one of the bounded slots.
    /// Runs on a blocking thread (it waits for a slot, then hashes).
    fn verify(&self, password: &str, phc: Option<&str>) -> Result<bool, Failure> {
        let mut memory = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            if slots.free.is_empty() && slots.waiting >= slots.queue {
                return Err(Failure::Unavailable("the password check queue is full".into()));
            }
            slots.waiting += 1;
            metrics::gauge!("tessera_password_check_queue").set(slots.waiting as f64);
            loop {
                if let Some(memory) = slots.free.pop() {
                    break memory;
                }
                slots = self.slot_freed.wait(slots).unwrap_or_else(PoisonError::into_inner);
            }
        };
        let verified = verify_password_in(password, phc.unwrap_or(DUMMY_PHC), &mut memory);
        {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            slots.waiting -= 1;
            metrics::gauge!("tessera_password_check_queue").set(slots.waiting as f64);
            slots.free.push(memory);
        }
        self.slot_freed.notify_one();
        Ok(verified && phc.is_some())
    }
}

/// What the password step concluded.
#[derive(Debug)]
pub enum PasswordOutcome {
    Verified(Box<User>),
    /// Refused, with what the page says.
    Refused(SignInRefusal),
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
    store: &(impl UserStore + ThrottleStore + AccountStore + AuditLog),
    checker: &PasswordChecker,
    attempt: PasswordAttempt<'_>,
    now: Timestamp,
) -> Result<PasswordOutcome, Failure> {
    let PasswordAttempt { username, password, source, client_id } = attempt;
    // The audit log names the username tried (never the password): an operator must see whose account is under
    // attack. It is bounded and stripped of control characters, so a crafted name cannot forge log lines.
    let tried: String = username.chars().filter(|c| !c.is_control()).take(64).collect();
    let audit = |event: &'static str, reason: &str| {
        AuditEvent::new(event, now)
            .client(client_id.as_str())
            .address(source)
            .with("username", &tried)
            .with("reason", reason)
    };
    let Some(counted) = throttle::admit_login(store, username, source, now)? else {
        let wait_secs = (throttle::blocked_until(store, username, source)? - now).max(1);
        tracing::info!(
            event = "login_throttled",
            client_id = %client_id,
            username = %tried,
            source,
            wait_secs,
            reason = "too many failed attempts",
            "login refused while throttled"
        );
        record(store, audit("login_throttled", "too many failed attempts").with("wait_secs", wait_secs.to_string()));
        metrics::counter!("tessera_logins_total", "outcome" => "throttled").increment(1);
        metrics::counter!("tessera_throttled_total", "limit" => "login").increment(1);
        return Ok(PasswordOutcome::Refused(SignInRefusal::Throttled { wait_secs }));
    };
    let user = store.find_user_by_username(username)?;
    // An account without a password (invited, link not used yet) is checked like an unknown user: no credential,
    // no sign-in, and the same time taken.
    let phc = user.as_ref().map(|u| u.password_hash.as_str()).filter(|h| !h.is_empty());
    let verified = match checker.verify(password, phc) {
        Ok(verified) => verified,
        Err(busy) => {
            counted.abandoned(store)?;
            return Err(busy);
        }
    };
    let Some(user) = user.filter(|u| verified && !u.password_hash.is_empty()) else {
        tracing::info!(
            event = "login_failed",
            client_id = %client_id,
            username = %tried,
            source,
            reason = "unknown username or wrong password",
            "login failed"
        );
        counted.failed(store)?;
        record(store, audit("login_failed", "unknown username or wrong password"));
        metrics::counter!("tessera_logins_total", "outcome" => "failed").increment(1);
        return Ok(PasswordOutcome::Refused(SignInRefusal::Failed));
    };
    counted.succeeded(store)?;
    if user.disabled {
        tracing::info!(
            event = "login_refused",
            client_id = %client_id,
            username = %tried,
            source,
            reason = "account disabled",
            "login refused: the account is disabled"
        );
        record(store, audit("login_refused", "account disabled").user(&user.user.subject));
        metrics::counter!("tessera_logins_total", "outcome" => "refused").increment(1);
        return Ok(PasswordOutcome::Refused(SignInRefusal::Disabled));
    }
    store.record_login(&user.user.subject, now)?;
    Ok(PasswordOutcome::Verified(Box::new(user.user)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_real_hash_verifies_and_slots_are_given_back() {
        let checker = PasswordChecker::new(1, 0);
        let phc = crate::secrets::hash_password("correct horse").unwrap();
        assert!(checker.verify("correct horse", Some(&phc)).unwrap());
        assert!(!checker.verify("wrong horse", Some(&phc)).unwrap());
        // The dummy hash never lets anyone in, whatever was typed.
        assert!(!checker.verify("", None).unwrap());
        let slots = checker.slots.lock().unwrap();
        assert_eq!(slots.free.len(), 1, "every check gave its slot back");
        assert_eq!(slots.free[0].len(), 19 * 1024, "with its memory, kept for the next check");
    }

    #[test]
    fn a_full_queue_refuses_at_once() {
        let checker = PasswordChecker::new(1, 0);
        checker.slots.lock().unwrap().free.clear();
        assert!(matches!(checker.verify("x", None), Err(Failure::Unavailable(_))));
        assert_eq!(checker.slots.lock().unwrap().waiting, 0);
    }
}
