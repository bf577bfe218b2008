//! Brute-force throttling of sign-in attempts, counted in the database so every node sees the same counts.
//!
//! Nobody can lock someone else out. An account is throttled per address: failures from one address slow down
//! only that address (4 free tries, then 2, 4, 8, 16, 32 s, then 15 minutes). An address is throttled across
//! accounts, generously (it may be a whole office behind NAT). And an account has a slower rate across every
//! address that has been failing for it, which never refuses an address that has not: a correct password from a
//! fresh address always gets through. IPv6 addresses count per /64, the block one subscriber usually holds.
//!
//! An attempt on an account is counted (reserved) before the password is hashed, so concurrent guesses at one
//! account cannot all slip past the check; a successful attempt is taken back. The address's own count is not
//! reserved ahead: many people behind one address sign in at once, and their correct passwords must not wait on each
//! other's pending checks; it counts failures only. Unknown usernames are counted like known ones, so the throttle
//! reveals nothing about which accounts exist.

use std::net::IpAddr;

use crate::domain::Timestamp;
use crate::storage::{Reservation, StorageResult, ThrottleStore};

/// Attempts older than this no longer count.
pub const WINDOW_SECS: i64 = 15 * 60;

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Failures allowed without any wait.
    pub free_failures: i32,
    /// From this many failures on, the key is locked for `lock_secs`.
    pub lock_after: i32,
    pub lock_secs: i64,
}

/// One account from one address: 4 free tries, then 2, 4, 8, 16, 32 s, then 15 minutes.
pub const ACCOUNT_AT_ADDRESS: Rule = Rule { free_failures: 4, lock_after: 10, lock_secs: 15 * 60 };
/// One address, across accounts: a whole office behind NAT needs room before it slows down.
pub const ADDRESS: Rule = Rule { free_failures: 30, lock_after: 100, lock_secs: 15 * 60 };
/// One account, across the addresses that have been failing for it: a guesser spreading over many addresses.
pub const ACCOUNT: Rule = Rule { free_failures: 10, lock_after: 50, lock_secs: 15 * 60 };

impl Rule {
    /// Seconds to wait after the `failures`-th failure.
    pub fn delay(&self, failures: i32) -> i64 {
        if failures <= self.free_failures {
            0
        } else if failures >= self.lock_after {
            self.lock_secs
        } else {
            1i64 << (failures - self.free_failures).min(20)
        }
    }
}

/// The address an attempt is counted against: an IPv4 address as it is, an IPv6 address by its /64 prefix.
pub fn address_group(address: &str) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(IpAddr::V6(v6)) => v6.to_ipv4_mapped().map_or_else(|| address.to_owned(), |v4| v4.to_string()),
        _ => address.chars().take(64).collect(),
    }
}

fn account(username: &str) -> String {
    username.to_lowercase().chars().take(64).collect()
}

/// Until when an attempt for `username` from `address` is refused: the latest block among the keys
/// [`admit_login`] checks.
pub fn blocked_until(store: &impl ThrottleStore, username: &str, address: &str) -> StorageResult<Timestamp> {
    let group = address_group(address);
    let keys =
        [format!("login:{}@{group}", account(username)), format!("ip:{group}"), format!("user:{}", account(username))];
    store.blocked_until(&keys.iter().map(String::as_str).collect::<Vec<_>>())
}

/// `tessera user unlock`: forgets the failed attempts counted against the account `username`, from every address
/// and across addresses (the per-address counts of other accounts stay). Returns how many counts were cleared.
pub fn unlock_account(store: &impl ThrottleStore, username: &str) -> StorageResult<usize> {
    let at_address = format!("login:{}", account(username));
    let across = format!("user:{}", account(username));
    // `login:{account}@{address group}`: usernames may hold `@`, address groups never do, so the account is all
    // before the last one.
    store.clear_failures_matching(&|key| {
        key == across || key.rsplit_once('@').is_some_and(|(account_part, _)| account_part == at_address)
    })
}

/// A sign-in attempt that was counted and may go ahead.
#[must_use = "an admitted attempt is settled with succeeded(), failed() or abandoned()"]
pub struct LoginAttempt {
    at_address: (String, Reservation),
    address: String,
    account: Option<(String, Reservation)>,
    now: Timestamp,
}

/// Counts a sign-in attempt for `username` from `address` before its password is checked; `None` when it must be
/// refused without a check (throttled).
pub fn admit_login(
    store: &impl ThrottleStore,
    username: &str,
    address: &str,
    now: Timestamp,
) -> StorageResult<Option<LoginAttempt>> {
    let group = address_group(address);
    let reserve = |key: &str, rule: Rule| store.reserve(key, now, WINDOW_SECS, &|failures| rule.delay(failures));
    let address_key = format!("ip:{group}");
    if store.blocked_until(&[&address_key])? > now {
        return Ok(None);
    }
    let at_address_key = format!("login:{}@{group}", account(username));
    let at_address = reserve(&at_address_key, ACCOUNT_AT_ADDRESS)?;
    if !at_address.granted {
        return Ok(None);
    }
    // The account's own rate applies only to addresses that have been failing for it.
    let mut account_reservation = None;
    if at_address.prior_failures > 0 {
        let account_key = format!("user:{}", account(username));
        let counted = reserve(&account_key, ACCOUNT)?;
        if !counted.granted {
            store.release(&at_address_key, &at_address)?;
            return Ok(None);
        }
        account_reservation = Some((account_key, counted));
    }
    Ok(Some(LoginAttempt {
        at_address: (at_address_key, at_address),
        address: address_key,
        account: account_reservation,
        now,
    }))
}

impl LoginAttempt {
    /// The password was right: this account starts afresh at this address, and the attempt counts against nothing.
    pub fn succeeded(self, store: &impl ThrottleStore) -> StorageResult<()> {
        store.clear_failures(&self.at_address.0)?;
        self.release_account(store)
    }

    /// The password could not be checked (the server is busy): the attempt counts nowhere.
    pub fn abandoned(self, store: &impl ThrottleStore) -> StorageResult<()> {
        store.release(&self.at_address.0, &self.at_address.1)?;
        self.release_account(store)
    }

    /// The password was wrong: the attempt stays counted, and counts against the address too.
    pub fn failed(self, store: &impl ThrottleStore) -> StorageResult<()> {
        let delay = |failures| ADDRESS.delay(failures);
        store.reserve(&self.address, self.now, WINDOW_SECS, &delay)?;
        Ok(())
    }

    fn release_account(self, store: &impl ThrottleStore) -> StorageResult<()> {
        if let Some((key, reservation)) = &self.account {
            store.release(key, reservation)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_then_lock() {
        let delays: Vec<i64> = (1..=11).map(|f| ACCOUNT_AT_ADDRESS.delay(f)).collect();
        assert_eq!(delays, vec![0, 0, 0, 0, 2, 4, 8, 16, 32, 900, 900]);
        assert_eq!(ADDRESS.delay(30), 0);
        assert_eq!(ADDRESS.delay(31), 2);
    }

    #[test]
    fn accounts_ignore_case_and_are_bounded() {
        assert_eq!(account("Alice"), account("alice"));
        assert!(account(&"x".repeat(10_000)).len() <= 64);
    }

    #[test]
    fn ipv6_counts_per_64_and_ipv4_as_it_is() {
        assert_eq!(address_group("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(address_group("2001:db8:1:2:ffff:ffff:ffff:ffff"), address_group("2001:db8:1:2::5"));
        assert_ne!(address_group("2001:db8:1:3::1"), address_group("2001:db8:1:2::1"));
        assert_eq!(address_group("203.0.113.7"), "203.0.113.7");
        assert_eq!(address_group("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(address_group("unknown"), "unknown");
    }
}
