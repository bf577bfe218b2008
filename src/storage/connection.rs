//! Connections to either backend: the one connection type, where the database is, and how a connection is
//! opened with the options each backend needs.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, MultiConnection};

use super::error::{StorageError, StorageResult};

/// One connection type for every backend, so queries are written once. The backend is chosen from the URL
/// scheme by [`Connector`], never by the derived `establish` (which hides the real connection error).
#[derive(MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Runs `$body` with `$conn` bound to the concrete connection of either backend: `on_backend!(conn, c => expr)`.
///
/// A query run through [`AnyConnection`] is a `SerializedQuery` of diesel's `MultiConnection`, which renders the
/// whole SQL text on every execution, twice (to check that it may be cached, then to collect its binds), and finds
/// its prepared statement by that text. On the concrete connection the statement is found by the query's type,
/// without rendering it. For a join of three tables that was a third of the read's cost (issue 9's refresh
/// profile), so the queries on the measured hot paths use this (ARCHITECTURE.md, "A query"); the rest stay on
/// `AnyConnection`, written once. `$body` is compiled once per backend, so it must hold for both.
macro_rules! on_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::storage::connection::AnyConnection::Sqlite($c) => $body,
            $crate::storage::connection::AnyConnection::Postgresql($c) => $body,
        }
    };
}
pub(super) use on_backend;

/// Where the database is, parsed from `database_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Location {
    SqliteFile(String),
    Postgres(String),
}

impl Location {
    pub(super) fn parse(url: &str) -> StorageResult<Location> {
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

    pub(super) fn display(&self) -> String {
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
pub struct ConnectError(pub(super) String);

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConnectError {}

/// Opens connections for the pool and sets the per-connection options each backend needs.
#[derive(Debug, Clone)]
pub(super) struct Connector {
    pub(super) location: Location,
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
                // A page cache of 256 KiB per connection instead of 2 MiB: a write by any other connection empties
                // it anyway, and eight full ones kept the server's memory growing as the database filled (issue 9's
                // 4-minute login soak: flat at 50 MiB, against 47 -> 55 MiB and rising with the default).
                conn.batch_execute(
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -256;",
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

    /// r2d2 asks this at every checkout. A PostgreSQL connection may have died with its server or the network in
    /// between (a round trip finds out before a request is answered with its error); an open SQLite file cannot,
    /// and the query would cost every request a statement for nothing.
    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), ConnectError> {
        match conn {
            AnyConnection::Sqlite(_) => Ok(()),
            AnyConnection::Postgresql(_) => conn.batch_execute("SELECT 1").map_err(|e| ConnectError(e.to_string())),
        }
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

/// Adds libpq timeouts the URL does not set itself, so a database that goes silent (a dead host, a network split)
/// fails requests within `timeout` instead of hanging them: `connect_timeout` for new connections,
/// `tcp_user_timeout` and keepalives for established ones (a server-side `statement_timeout` cannot help when the
/// server never sees the query).
pub(super) fn with_network_timeouts(url: &str, timeout: Duration) -> String {
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
