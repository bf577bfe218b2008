//! What every command starts with: the database the settings name, and the time.

use anyhow::Context;

use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::domain::Timestamp;
use crate::storage::{Database, PoolOptions};

pub fn open_db(settings: &Settings) -> anyhow::Result<Database> {
    Database::open(&settings.database_location(), PoolOptions::small())
        .with_context(|| format!("opening the database at {}", settings.database_display()))
}

pub fn now() -> Timestamp {
    SystemClock.now().timestamp()
}
