//! Brute-force throttling of failed logins (per account and per source address) and failed client
//! authentications (per client): after a few free failures each one doubles the wait, then the key is locked for a
//! while. Counts live in the database, so every node sees the same ones. Unknown usernames are counted like known
//! ones, so the throttle reveals nothing about which accounts exist.

use crate::domain::Timestamp;
use crate::storage::{StorageResult, ThrottleStore};

/// Failures older than this no longer count.
pub const WINDOW_SECS: i64 = 15 * 60;

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Failures allowed without any wait.
    pub free_failures: i32,
    /// From this many failures on, the key is locked for `lock_secs`.
    pub lock_after: i32,
    pub lock_secs: i64,
}

/// One person's account: 4 free tries, then 2, 4, 8, 16, 32 s, then 15 minutes.
pub const ACCOUNT: Rule = Rule { free_failures: 4, lock_after: 10, lock_secs: 15 * 60 };
/// One address may be a whole office behind NAT: more room before it slows down.
pub const ADDRESS: Rule = Rule { free_failures: 30, lock_after: 100, lock_secs: 15 * 60 };
/// A client secret is 256 random bits; failures mean a misconfiguration or an attack.
pub const CLIENT: Rule = Rule { free_failures: 4, lock_after: 10, lock_secs: 15 * 60 };

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

pub fn account_key(username: &str) -> String {
    format!("user:{}", username.to_lowercase().chars().take(64).collect::<String>())
}

pub fn address_key(address: &str) -> String {
    format!("ip:{address}")
}

pub fn client_key(client_id: &str) -> String {
    format!("client:{}", client_id.chars().take(128).collect::<String>())
}

/// Seconds until every one of `keys` may try again; `None` when none is blocked.
pub fn retry_after(store: &impl ThrottleStore, keys: &[&str], now: Timestamp) -> StorageResult<Option<i64>> {
    let until = store.blocked_until(keys)?;
    Ok((until > now).then_some(until - now))
}

pub fn record_failure(store: &impl ThrottleStore, key: &str, rule: Rule, now: Timestamp) -> StorageResult<()> {
    store.record_failure(key, now, WINDOW_SECS, &|failures| rule.delay(failures))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_then_lock() {
        let delays: Vec<i64> = (1..=11).map(|f| ACCOUNT.delay(f)).collect();
        assert_eq!(delays, vec![0, 0, 0, 0, 2, 4, 8, 16, 32, 900, 900]);
        assert_eq!(ADDRESS.delay(30), 0);
        assert_eq!(ADDRESS.delay(31), 2);
    }

    #[test]
    fn account_keys_ignore_case_and_are_bounded() {
        assert_eq!(account_key("Alice"), account_key("alice"));
        assert!(account_key(&"x".repeat(10_000)).len() < 80);
    }
}
