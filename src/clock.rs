//! Time, injected so tests can fix or move it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeZone, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

pub type SharedClock = Arc<dyn Clock>;

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct FixedClock {
    unix_seconds: AtomicI64,
}

impl FixedClock {
    pub fn at(unix_seconds: i64) -> Self {
        FixedClock { unix_seconds: AtomicI64::new(unix_seconds) }
    }

    pub fn advance(&self, seconds: i64) {
        self.unix_seconds.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc.timestamp_opt(self.unix_seconds.load(Ordering::SeqCst), 0).single().unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    }
}
