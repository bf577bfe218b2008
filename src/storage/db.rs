//! Connections, the pool and migrations.

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, MultiConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::{StorageError, StorageResult};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// One connection type for every backend, so queries are written once. The backend is chosen from the URL
/// scheme by [`Connector`], never by the derived `establish` (which hides the real connection error).
#[derive(MultiConnection)]
pub enum AnyConnection {
    Sqlite(SqliteConnection),
}

/// Where the database is, parsed from `database_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Location {
    SqliteFile(String),
}

impl Location {
    fn parse(url: &str) -> StorageResult<Location> {
        if let Some(rest) = url.strip_prefix("sqlite://") {
            return Ok(Location::SqliteFile(rest.to_owned()));
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            return Ok(Location::SqliteFile(rest.to_owned()));
        }
        if url.contains("://") {
            return Err(StorageError::Connect {
                location: redact_url(url),
                message: "unsupported database URL scheme (expected a file path or sqlite://)".into(),
            });
        }
        Ok(Location::SqliteFile(url.to_owned()))
    }
}

/// Strips credentials from a URL before it goes into a log line or an error.
fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("redacted"));
            }
            parsed.to_string()
        }
        Err(_) => "<unparsable URL>".into(),
    }
}

#[derive(Debug)]
pub struct ConnectError(String);

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConnectError {}

/// Opens connections for the pool and sets the per-connection options each backend needs.
#[derive(Debug)]
pub(super) struct Connector {
    location: Location,
}

impl r2d2::ManageConnection for Connector {
    type Connection = AnyConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<AnyConnection, ConnectError> {
        match &self.location {
            Location::SqliteFile(path) => {
                let mut conn = SqliteConnection::establish(path).map_err(|e| ConnectError(e.to_string()))?;
                // Foreign keys are off by default in SQLite and are per connection. WAL lets readers run beside
                // the writer; the busy timeout makes concurrent writers (the CLI beside the server) wait, not fail.
                conn.batch_execute(
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                )
                .map_err(|e| ConnectError(e.to_string()))?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1").map_err(|e| ConnectError(e.to_string()))
    }

    fn has_broken(&self, _conn: &mut AnyConnection) -> bool {
        false
    }
}

/// The storage handle shared by the server and the CLI. Cheap to clone (the pool is reference counted).
#[derive(Clone)]
pub struct Database {
    pool: Pool<Connector>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").finish_non_exhaustive()
    }
}

impl Database {
    /// Opens (creating the SQLite file and its folder if needed) and migrates the database.
    pub fn open(url: &str, pool_size: u32) -> StorageResult<Database> {
        let location = Location::parse(url)?;
        let Location::SqliteFile(path) = &location;
        if let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StorageError::Connect {
                location: path.clone(),
                message: format!("creating {}: {e}", parent.display()),
            })?;
        }
        let display = path.clone();
        let connector = Connector { location };
        // Connect once outside the pool so the caller sees the real error, not r2d2's time-out.
        let mut first = r2d2::ManageConnection::connect(&connector)
            .map_err(|e| StorageError::Connect { location: display.clone(), message: e.0 })?;
        restrict_to_owner(Path::new(&display))?;
        run_migrations(&mut first)?;
        let pool = Pool::builder().max_size(pool_size).connection_timeout(Duration::from_secs(10)).build(connector)?;
        Ok(Database { pool })
    }

    pub(super) fn conn(&self) -> StorageResult<PooledConnection<Connector>> {
        Ok(self.pool.get()?)
    }

    /// Cheap liveness check.
    pub fn ping(&self) -> StorageResult<()> {
        self.conn()?.batch_execute("SELECT 1")?;
        Ok(())
    }
}

/// The database holds the private signing keys: readable by the owner only (0600). SQLite creates its -wal and
/// -shm files with the permissions of the database file.
fn restrict_to_owner(path: &Path) -> StorageResult<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| {
                StorageError::Connect { location: path.display().to_string(), message: format!("chmod 600: {e}") }
            })?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn run_migrations(conn: &mut AnyConnection) -> StorageResult<()> {
    match conn {
        AnyConnection::Sqlite(c) => {
            c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()).map_err(|e| StorageError::Migration(e.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        assert_eq!(Location::parse("data/t.db").unwrap(), Location::SqliteFile("data/t.db".into()));
        assert_eq!(Location::parse("sqlite://data/t.db").unwrap(), Location::SqliteFile("data/t.db".into()));
        assert_eq!(Location::parse("sqlite:///tmp/t.db").unwrap(), Location::SqliteFile("/tmp/t.db".into()));
        let err = Location::parse("mysql://u:secret@h/db").unwrap_err().to_string();
        assert!(!err.contains("secret"), "{err}");
    }
}
