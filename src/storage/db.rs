//! Connections, the pool and migrations.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, Pool, PooledConnection};
use diesel::{Connection, QueryResult, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::catalog::Catalog;
use super::connection::{AnyConnection, ConnectError, Connector, Location, with_network_timeouts};
use super::error::{StorageError, StorageResult};
use super::key_encryption::KeyEncryptionKey;

pub(super) const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// PostgreSQL advisory lock keys ("tessera" in ASCII, then a purpose), shared by every node on one database.
const MIGRATION_LOCK: i64 = 0x7465_7373_6572_6101;
const KEY_SET_LOCK: i64 = 0x7465_7373_6572_6102;

/// Pool sizing and patience, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct PoolOptions {
    pub max_size: u32,
    /// How long a request waits for a connection before it is answered "temporarily unavailable".
    pub connect_timeout: Duration,
    /// How stale this node's copy of clients and resources may be (`storage::catalog`).
    pub catalog_staleness: Duration,
}

impl PoolOptions {
    /// For one-shot commands (the CLI): no copy kept.
    pub fn small() -> PoolOptions {
        PoolOptions { max_size: 2, connect_timeout: Duration::from_secs(10), catalog_staleness: Duration::ZERO }
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
    pub(super) catalog: Arc<Catalog>,
    /// Seals private signing keys at rest when the operator gave one (`storage::key_encryption`).
    pub(super) key_encryption: Option<Arc<KeyEncryptionKey>>,
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
    /// Opens (creating a SQLite file and its folder if needed) and migrates the database: `serve` and `migrate`.
    pub fn open(url: &str, options: PoolOptions) -> StorageResult<Database> {
        Database::open_as(url, options, true)
    }

    /// Opens and migrates a database that exists already, with Tessera's schema in it; refuses anything else
    /// (`StorageError::NotCreated`). Every command but `serve` and `migrate` opens this way: run from the wrong
    /// directory, a command must not create a fresh empty database (with new keys) and "succeed" there.
    pub fn open_existing(url: &str, options: PoolOptions) -> StorageResult<Database> {
        Database::open_as(url, options, false)
    }

    fn open_as(url: &str, options: PoolOptions, create: bool) -> StorageResult<Database> {
        let location = match Location::parse(url)? {
            Location::Postgres(url) => Location::Postgres(with_network_timeouts(&url, options.connect_timeout)),
            sqlite => sqlite,
        };
        let display = location.display();
        let backend = match &location {
            Location::SqliteFile(path) if create => {
                create_private_file(Path::new(path))?;
                Backend::Sqlite
            }
            Location::SqliteFile(path) => {
                if !Path::new(path).is_file() {
                    return Err(StorageError::NotCreated(display));
                }
                Backend::Sqlite
            }
            Location::Postgres(_) => Backend::Postgres,
        };
        let connector = Connector::new(location.clone());
        // Connect once outside the pool so the caller sees the real error, not r2d2's time-out.
        let mut first = r2d2::ManageConnection::connect(&connector)
            .map_err(|e| StorageError::Connect { location: display.clone(), message: e.0 })?;
        if let Location::SqliteFile(path) = &location {
            restrict_to_owner(Path::new(path))?;
        }
        if !create && !has_schema(&mut first)? {
            return Err(StorageError::NotCreated(display));
        }
        run_migrations(&mut first)?;
        let breaker = Arc::new(Breaker::default());
        let pool = Pool::builder()
            .max_size(options.max_size)
            .min_idle(Some(0))
            .connection_timeout(options.connect_timeout)
            .error_handler(Box::new(breaker.clone()))
            .build_unchecked(connector.clone());
        Ok(Database {
            pool,
            backend,
            breaker,
            connector,
            connect_timeout: options.connect_timeout,
            catalog: Arc::new(Catalog::new(options.catalog_staleness)),
            key_encryption: None,
        })
    }

    /// Seals private signing keys written from now on under `kek`, and opens sealed ones with it.
    pub fn with_key_encryption(mut self, kek: Option<KeyEncryptionKey>) -> Database {
        self.key_encryption = kek.map(Arc::new);
        self
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// (connections open, of which idle) in this node's pool, for the metrics.
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }

    pub(super) fn conn(&self) -> StorageResult<PooledConnection<Connector>> {
        if self.breaker.open.load(Ordering::SeqCst) {
            self.try_to_close_the_breaker()?;
        }
        // Wait for a connection in short slices, so that a connection failure meanwhile (the breaker opens) ends
        // the wait at once rather than at the connect timeout.
        let started = Instant::now();
        let deadline = started + self.connect_timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.pool.get_timeout(left.min(Duration::from_millis(200)).max(Duration::from_millis(1))) {
                Ok(conn) => {
                    metrics::histogram!("tessera_db_pool_wait_seconds").record(started.elapsed().as_secs_f64());
                    return Ok(conn);
                }
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

/// Whether Tessera's migrations were ever applied here (an empty SQLite file or PostgreSQL database has none).
fn has_schema(conn: &mut AnyConnection) -> StorageResult<bool> {
    let failed = |e: &dyn std::fmt::Display| StorageError::Migration(e.to_string());
    let applied = match conn {
        AnyConnection::Sqlite(c) => c.applied_migrations().map_err(|e| failed(&e)),
        AnyConnection::Postgresql(c) => c.applied_migrations().map_err(|e| failed(&e)),
    };
    Ok(applied.is_ok_and(|versions| !versions.is_empty()))
}

fn run_migrations(conn: &mut AnyConnection) -> StorageResult<()> {
    let failed = |e: &dyn std::fmt::Display| StorageError::Migration(e.to_string());
    match conn {
        AnyConnection::Sqlite(c) => {
            refuse_a_newer_schema(c, SQLITE_MIGRATIONS)?;
            c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()).map_err(|e| failed(&e))
        }
        AnyConnection::Postgresql(c) => {
            // Nodes starting together must not race on the schema: one migrates, the others wait, then find
            // nothing left to do.
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
            let result = refuse_a_newer_schema(c, POSTGRES_MIGRATIONS)
                .and_then(|()| c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()).map_err(|e| failed(&e)));
            c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
            result
        }
    }
}

/// A binary must not run on a schema it does not know: after an upgrade has migrated the database, the previous
/// binary would silently ignore what the new columns mean (a disabled account, a second factor). diesel runs the
/// pending migrations it knows and ignores applied ones it does not, so the check is ours.
fn refuse_a_newer_schema<DB: diesel::backend::Backend>(
    conn: &mut impl MigrationHarness<DB>,
    source: EmbeddedMigrations,
) -> StorageResult<()> {
    let failed = |e: &dyn std::fmt::Display| StorageError::Migration(e.to_string());
    let known: std::collections::HashSet<String> = diesel::migration::MigrationSource::<DB>::migrations(&source)
        .map_err(|e| failed(&e))?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    let unknown: Vec<String> = conn
        .applied_migrations()
        .map_err(|e| failed(&e))?
        .into_iter()
        .map(|version| version.to_string())
        .filter(|version| !known.contains(version))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(StorageError::Migration(format!(
        "this database was migrated by a newer Tessera (migration {}), whose schema this version does not know: run \
         the newer version, or restore the backup taken before the upgrade (README: \"Backup, restore, upgrade and \
         rollback\")",
        unknown.join(", ")
    )))
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
