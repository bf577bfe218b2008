//! Connections, the pool and migrations.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, MultiConnection, QueryResult, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::error::{StorageError, StorageResult};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// PostgreSQL advisory lock keys ("tessera" in ASCII, then a purpose), shared by every node on one database.
const MIGRATION_LOCK: i64 = 0x7465_7373_6572_6101;
const KEY_SET_LOCK: i64 = 0x7465_7373_6572_6102;

/// One connection type for every backend, so queries are written once. The backend is chosen from the URL
/// scheme by [`Connector`], never by the derived `establish` (which hides the real connection error).
#[derive(MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Where the database is, parsed from `database_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Location {
    SqliteFile(String),
    Postgres(String),
}

impl Location {
    fn parse(url: &str) -> StorageResult<Location> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Location::Postgres(url.to_owned()));
        }
        if let Some(rest) = url.strip_prefix("sqlite://") {
            return Ok(Location::SqliteFile(rest.to_owned()));
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            return Ok(Location::SqliteFile(rest.to_owned()));
        }
        if url.contains("://") {
            return Err(StorageError::Connect {
                location: redact_url(url),
                message: "unsupported database URL scheme (expected a file path, sqlite:// or postgres://)".into(),
            });
        }
        Ok(Location::SqliteFile(url.to_owned()))
    }

    fn display(&self) -> String {
        match self {
            Location::SqliteFile(path) => path.clone(),
            Location::Postgres(url) => redact_url(url),
        }
    }
}

/// Strips credentials from a URL before it goes into a log line or an error.
pub fn redact_url(url: &str) -> String {
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
#[derive(Debug, Clone)]
pub(super) struct Connector {
    location: Location,
}

impl r2d2::ManageConnection for Connector {
    type Connection = AnyConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<AnyConnection, ConnectError> {
        // libpq's message is kept (it says why: refused, auth, unknown database), with any password removed.
        let fail = |e: &dyn std::fmt::Display| ConnectError(e.to_string().replace(&self.password(), "redacted"));
        match &self.location {
            Location::SqliteFile(path) => {
                let mut conn = SqliteConnection::establish(path).map_err(|e| fail(&e))?;
                // Foreign keys are off by default in SQLite and are per connection. WAL lets readers run beside
                // the writer; the busy timeout makes concurrent writers (the CLI beside the server) wait, not fail.
                conn.batch_execute(
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                )
                .map_err(|e| fail(&e))?;
                Ok(AnyConnection::Sqlite(conn))
            }
            Location::Postgres(url) => {
                let mut conn = PgConnection::establish(url).map_err(|e| fail(&e))?;
                // A statement never holds a pooled connection (and a request) forever.
                conn.batch_execute("SET statement_timeout = '15s'").map_err(|e| fail(&e))?;
                Ok(AnyConnection::Postgresql(conn))
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

impl Connector {
    /// The password of a PostgreSQL URL, to scrub from error messages ("\0" never occurs in one).
    fn password(&self) -> String {
        match &self.location {
            Location::Postgres(url) => url::Url::parse(url)
                .ok()
                .and_then(|u| u.password().map(str::to_owned))
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| "\0".into()),
            Location::SqliteFile(_) => "\0".into(),
        }
    }
}

/// Pool sizing and patience, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct PoolOptions {
    pub max_size: u32,
    /// How long a request waits for a connection before it is answered "temporarily unavailable".
    pub connect_timeout: Duration,
}

impl PoolOptions {
    /// For one-shot commands (the CLI).
    pub fn small() -> PoolOptions {
        PoolOptions { max_size: 2, connect_timeout: Duration::from_secs(10) }
    }
}

/// The storage handle shared by the server and the CLI. Cheap to clone (the pool is reference counted).
#[derive(Clone)]
pub struct Database {
    pool: Pool<Connector>,
    backend: Backend,
    breaker: Arc<Breaker>,
    connector: Connector,
    connect_timeout: Duration,
}

/// Fails fast while the database is unreachable. Once a connection attempt has failed (the pool reports it), the
/// breaker opens: every request is answered "unavailable" at once instead of waiting out the connect timeout, while
/// one request at a time tries to connect; the first that succeeds closes it again, so recovery needs nothing.
#[derive(Debug, Default)]
struct Breaker {
    open: AtomicBool,
    trial: AtomicBool,
}

impl r2d2::HandleError<ConnectError> for Arc<Breaker> {
    fn handle_error(&self, error: ConnectError) {
        if !self.open.swap(true, Ordering::SeqCst) {
            tracing::warn!(error = %error, "database unreachable: answering 503 until a connection succeeds");
        }
    }
}

/// Which backend a [`Database`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").field("backend", &self.backend).finish_non_exhaustive()
    }
}

impl Database {
    /// Opens (creating a SQLite file and its folder if needed) and migrates the database.
    pub fn open(url: &str, options: PoolOptions) -> StorageResult<Database> {
        let location = match Location::parse(url)? {
            Location::Postgres(url) => Location::Postgres(with_network_timeouts(&url, options.connect_timeout)),
            sqlite => sqlite,
        };
        let backend = match &location {
            Location::SqliteFile(path) => {
                create_private_file(Path::new(path))?;
                Backend::Sqlite
            }
            Location::Postgres(_) => Backend::Postgres,
        };
        let display = location.display();
        let connector = Connector { location: location.clone() };
        // Connect once outside the pool so the caller sees the real error, not r2d2's time-out.
        let mut first = r2d2::ManageConnection::connect(&connector)
            .map_err(|e| StorageError::Connect { location: display.clone(), message: e.0 })?;
        if let Location::SqliteFile(path) = &location {
            restrict_to_owner(Path::new(path))?;
        }
        run_migrations(&mut first)?;
        let breaker = Arc::new(Breaker::default());
        let pool = Pool::builder()
            .max_size(options.max_size)
            .min_idle(Some(0))
            .connection_timeout(options.connect_timeout)
            .error_handler(Box::new(breaker.clone()))
            .build_unchecked(connector.clone());
        Ok(Database { pool, backend, breaker, connector, connect_timeout: options.connect_timeout })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(super) fn conn(&self) -> StorageResult<PooledConnection<Connector>> {
        if self.breaker.open.load(Ordering::SeqCst) {
            self.try_to_close_the_breaker()?;
        }
        // Wait for a connection in short slices, so that a connection failure meanwhile (the breaker opens) ends
        // the wait at once rather than at the connect timeout.
        let deadline = Instant::now() + self.connect_timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.pool.get_timeout(left.min(Duration::from_millis(200)).max(Duration::from_millis(1))) {
                Ok(conn) => return Ok(conn),
                Err(e) if self.breaker.open.load(Ordering::SeqCst) || Instant::now() >= deadline => {
                    return Err(StorageError::Unavailable(e.to_string()));
                }
                Err(_) => {}
            }
        }
    }

    /// While the breaker is open, one caller at a time tries a connection of its own; the others are answered at
    /// once. A success closes the breaker.
    fn try_to_close_the_breaker(&self) -> StorageResult<()> {
        let unreachable = || StorageError::Unavailable("database unreachable".into());
        if self.breaker.trial.compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst).is_err() {
            return Err(unreachable());
        }
        let attempt = r2d2::ManageConnection::connect(&self.connector);
        self.breaker.trial.store(false, Ordering::SeqCst);
        match attempt {
            Ok(_) => {
                self.breaker.open.store(false, Ordering::SeqCst);
                tracing::info!("database reachable again");
                Ok(())
            }
            Err(e) => Err(StorageError::Unavailable(e.to_string())),
        }
    }

    /// Cheap liveness check (readiness probes).
    pub fn ping(&self) -> StorageResult<()> {
        self.conn()?.batch_execute("SELECT 1")?;
        Ok(())
    }
}

/// Adds libpq timeouts the URL does not set itself, so a database that goes silent (a dead host, a network split)
/// fails requests within `timeout` instead of hanging them: `connect_timeout` for new connections,
/// `tcp_user_timeout` and keepalives for established ones (a server-side `statement_timeout` cannot help when the
/// server never sees the query).
fn with_network_timeouts(url: &str, timeout: Duration) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else { return url.to_owned() };
    let secs = timeout.as_secs().max(1);
    let defaults = [
        ("connect_timeout", secs.to_string()),
        ("tcp_user_timeout", (secs * 1000).to_string()),
        ("keepalives", "1".to_owned()),
        ("keepalives_idle", "30".to_owned()),
        ("keepalives_interval", "5".to_owned()),
        ("keepalives_count", "3".to_owned()),
    ];
    let present: Vec<String> = parsed.query_pairs().map(|(k, _)| k.into_owned()).collect();
    {
        let mut query = parsed.query_pairs_mut();
        for (name, value) in defaults.iter().filter(|(name, _)| !present.iter().any(|p| p == name)) {
            query.append_pair(name, value);
        }
    }
    parsed.to_string()
}

/// Runs `f` in a transaction that no other process runs at the same time: a PostgreSQL advisory transaction
/// lock on several nodes, SQLite's write lock (taken by a first, empty write) on one file.
pub(super) fn exclusive_transaction<T>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> QueryResult<T>,
) -> QueryResult<T> {
    conn.transaction(|conn| {
        match conn {
            AnyConnection::Postgresql(_) => {
                diesel::sql_query(format!("SELECT pg_advisory_xact_lock({KEY_SET_LOCK})")).execute(conn)?;
            }
            AnyConnection::Sqlite(_) => {
                diesel::sql_query("DELETE FROM signing_keys WHERE 1 = 0").execute(conn)?;
            }
        }
        f(conn)
    })
}

/// The database holds the private signing keys: readable by the owner only (0600), including SQLite's -wal and
/// -shm files (new ones inherit the database file's mode; this also fixes files created by older versions).
fn restrict_to_owner(path: &Path) -> StorageResult<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut files = vec![path.to_path_buf()];
        for suffix in ["-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            files.push(name.into());
        }
        for file in files.iter().filter(|f| f.exists()) {
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)).map_err(|e| {
                StorageError::Connect { location: file.display().to_string(), message: format!("chmod 600: {e}") }
            })?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates the data directory (0700) and an empty database file (0600) before SQLite opens it, so the keys are
/// never readable by others, not even for an instant.
fn create_private_file(path: &Path) -> StorageResult<()> {
    let fail =
        |e: std::io::Error| StorageError::Connect { location: path.display().to_string(), message: e.to_string() };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(parent).map_err(fail)?;
    }
    if !path.exists() {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(fail(e)),
        }
    }
    Ok(())
}

fn run_migrations(conn: &mut AnyConnection) -> StorageResult<()> {
    let failed = |e: &dyn std::fmt::Display| StorageError::Migration(e.to_string());
    match conn {
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()).map_err(|e| failed(&e)),
        AnyConnection::Postgresql(c) => {
            // Nodes starting together must not race on the schema: one migrates, the others wait, then find
            // nothing left to do.
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
            let result = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()).map_err(|e| failed(&e));
            c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
            result
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two migration trees are one schema in two dialects: the same migrations, statement for statement, with
    /// only the dialects' names for one type told apart.
    #[test]
    fn sqlite_and_postgres_migrations_do_not_drift_apart() {
        const DIALECT_WORDS: &[(&str, &str)] = &[("BLOB", "BYTEA")];
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let migrations = |backend: &str| -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(root.join(backend))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let normalised = |backend: &str, migration: &str, file: &str| -> String {
            let mut sql = std::fs::read_to_string(root.join(backend).join(migration).join(file)).unwrap();
            if backend == "sqlite" {
                for (sqlite, postgres) in DIALECT_WORDS {
                    sql = sql.replace(sqlite, postgres);
                }
            }
            sql.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
        };
        let names = migrations("sqlite");
        assert_eq!(names, migrations("postgres"), "the same migrations for both backends");
        assert!(names.len() >= 6);
        for name in &names {
            for file in ["up.sql", "down.sql"] {
                assert_eq!(normalised("sqlite", name, file), normalised("postgres", name, file), "{name}/{file}");
            }
        }
    }

    #[test]
    fn locations() {
        assert_eq!(Location::parse("data/t.db").unwrap(), Location::SqliteFile("data/t.db".into()));
        assert_eq!(Location::parse("sqlite://data/t.db").unwrap(), Location::SqliteFile("data/t.db".into()));
        assert_eq!(Location::parse("sqlite:///tmp/t.db").unwrap(), Location::SqliteFile("/tmp/t.db".into()));
        let pg = Location::parse("postgres://u:secret@h/db").unwrap();
        assert_eq!(pg, Location::Postgres("postgres://u:secret@h/db".into()));
        assert_eq!(pg.display(), "postgres://u:redacted@h/db");
        let tuned = with_network_timeouts("postgres://h/db?connect_timeout=9", Duration::from_secs(2));
        assert!(tuned.contains("connect_timeout=9") && !tuned.contains("connect_timeout=2"), "{tuned}");
        assert!(tuned.contains("tcp_user_timeout=2000") && tuned.contains("keepalives=1"), "{tuned}");
        let err = Location::parse("mysql://u:secret@h/db").unwrap_err().to_string();
        assert!(!err.contains("secret"), "{err}");
    }
}
