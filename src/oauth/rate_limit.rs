//! Rate limits per source address, kept in this node's memory: an anonymous request costs no database write. The
//! limit is `governor`'s GCRA keyed by the address group of the throttle (an IPv6 /64 counts as one address).

use std::num::NonZeroU32;

use governor::clock::DefaultClock;
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};

use super::throttle::address_group;
use crate::error::Failure;

type Limiter = RateLimiter<String, HashMapStateStore<String>, DefaultClock>;

/// At most `per_second` requests a second from one address, with bursts of five seconds' worth.
pub struct AddressRateLimit {
    limiter: Option<Limiter>,
}

impl AddressRateLimit {
    /// `per_second` 0 turns the limit off.
    pub fn per_second(per_second: u32) -> AddressRateLimit {
        let limiter = NonZeroU32::new(per_second).map(|rate| {
            let burst = NonZeroU32::new(per_second.saturating_mul(5)).unwrap_or(rate);
            RateLimiter::hashmap(Quota::per_second(rate).allow_burst(burst))
        });
        AddressRateLimit { limiter }
    }

    /// Refused (503 with Retry-After) when `address` is over its rate.
    pub fn check(&self, address: &str) -> Result<(), Failure> {
        match &self.limiter {
            Some(limiter) if limiter.check_key(&address_group(address)).is_err() => {
                Err(Failure::Unavailable(format!("rate limit of {address}")))
            }
            _ => Ok(()),
        }
    }

    /// Forgets addresses that have been quiet long enough to be back at a full burst.
    pub fn forget_quiet_addresses(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.retain_recent();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_refused_per_address() {
        let limit = AddressRateLimit::per_second(2);
        for _ in 0..10 {
            assert!(limit.check("203.0.113.7").is_ok());
        }
        assert!(limit.check("203.0.113.7").is_err(), "over the burst");
        assert!(limit.check("203.0.113.8").is_ok(), "another address has its own");
        assert!(limit.check("2001:db8::1").is_ok());
        let off = AddressRateLimit::per_second(0);
        assert!((0..1000).all(|_| off.check("203.0.113.7").is_ok()));
    }
}
