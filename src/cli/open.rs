//! What every command starts with: the database the settings name, and the time.
//!
//! Only `serve` and `migrate` create a database ([`create_db`]); every other command opens one that exists
//! ([`open_db`]), and says which on stderr, so that a command run from another directory cannot quietly make a
//! fresh empty database (with new keys) under `./data/` and "succeed" there.

use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;

use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::domain::Timestamp;
use crate::startup::key_encryption;
use crate::storage::{Database, PoolOptions, StorageError};

/// `--quiet`: no "using database …" line. Set once by `cli::run`, before any command runs.
static QUIET: AtomicBool = AtomicBool::new(false);

pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// The database as a person would look for it: the absolute SQLite file, or the PostgreSQL URL (password redacted).
pub fn describe(settings: &Settings) -> String {
    match settings.sqlite_path() {
        Some(path) => format!("{} (SQLite)", path.display()),
        None => format!("{} (PostgreSQL)", settings.database_display()),
    }
}

/// Opens the database the settings name, which must exist already with Tessera's schema in it.
pub fn open_db(settings: &Settings) -> anyhow::Result<Database> {
    match Database::open_existing(&settings.database_location(), PoolOptions::small()) {
        Ok(db) => {
            announce(settings);
            Ok(db.with_key_encryption(key_encryption(settings)?))
        }
        Err(StorageError::NotCreated(_)) => Err(anyhow::anyhow!(not_created(settings))),
        Err(e) => Err(e).with_context(|| format!("opening the database at {}", settings.database_display())),
    }
}

/// Opens the database, creating and migrating it if needed (`serve`, `migrate`).
pub fn create_db(settings: &Settings) -> anyhow::Result<Database> {
    let db = Database::open(&settings.database_location(), PoolOptions::small())
        .with_context(|| format!("opening the database at {}", settings.database_display()))?
        .with_key_encryption(key_encryption(settings)?);
    announce(settings);
    Ok(db)
}

fn announce(settings: &Settings) {
    if !QUIET.load(Ordering::Relaxed) {
        eprintln!("using database {}", describe(settings));
    }
}

/// The refusal: the database looked for, the settings that chose it, and the ways out.
fn not_created(settings: &Settings) -> String {
    let chosen_by = if settings.database_url.is_empty() {
        let cwd = std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_else(|_| "?".into());
        format!(
            "database_url is empty, so it is <data_dir>/tessera.db with data_dir = {:?} (a relative path starts at \
             the current directory, {cwd})",
            settings.data_dir.display().to_string()
        )
    } else {
        "database_url names it".to_owned()
    };
    format!(
        "no Tessera database at {}.\n  The settings chose it: {chosen_by}.\n  Set database_url or data_dir in the \
         config file (--config, TESSERA_CONFIG) or as TESSERA_DATABASE_URL / TESSERA_DATA_DIR to the server's \
         database, or run this command from the directory the server runs in.\n  To create a new database \
         there, run `tessera migrate` (or start `tessera serve`).",
        describe(settings)
    )
}

pub fn now() -> Timestamp {
    SystemClock.now().timestamp()
}
