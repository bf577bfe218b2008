//! Connections to either backend: the one connection type, where the database is, and how a connection is
//! opened with the options each backend needs.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::pg::PgConnection;
use diesel::r2d2;
use diesel::result::DatabaseErrorKind;
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
    /// Counts the PostgreSQL connections found lost; see [`Liveness`].
    pub(super) losses: Arc<AtomicU64>,
}

impl Connector {
    pub(super) fn new(location: Location) -> Connector {
        Connector { location, losses: Arc::new(AtomicU64::new(0)) }
    }
}

/// A PostgreSQL connection that answered this recently, with no connection of the pool lost since, is handed out
/// without a `SELECT 1` first. HikariCP skips its check the same way for 500 ms (`aliveBypassWindowMs`).
const RECENTLY_ANSWERED: Duration = Duration::from_millis(500);

/// What a PostgreSQL connection's own queries said about it, kept on the connection as its diesel instrumentation.
///
/// The pool used to send `SELECT 1` at every checkout, so a connection that died idle (a database restart, a cut
/// network) fails the check instead of a request. That was one round trip per checkout, three for a refresh: 11%
/// of PostgreSQL's refresh rate (issue 9's note). Now the check is skipped for a connection that answered within
/// [`RECENTLY_ANSWERED`], unless some connection was lost since: the first lost one makes every other one be
/// checked again, and is itself dropped instead of going back to the pool. Only a connection lost within half a
/// second of its last answer, before any other, can still fail the request that finds out (503, Retry-After).
struct Liveness {
    answered: Option<(Instant, u64)>,
    lost: bool,
    losses: Arc<AtomicU64>,
}

impl Liveness {
    fn new(losses: Arc<AtomicU64>) -> Liveness {
        Liveness { answered: None, lost: false, losses }
    }

    fn answered_recently(&self) -> bool {
        !self.lost
            && self.answered.is_some_and(|(at, losses)| {
                at.elapsed() < RECENTLY_ANSWERED && losses == self.losses.load(Ordering::Acquire)
            })
    }
}

impl Instrumentation for Liveness {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        let InstrumentationEvent::FinishQuery { error, .. } = event else { return };
        match error {
            None => self.answered = Some((Instant::now(), self.losses.load(Ordering::Acquire))),
            Some(diesel::result::Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            )) => {
                self.lost = true;
                self.losses.fetch_add(1, Ordering::AcqRel);
            }
            Some(_) => {}
        }
    }
}

/// The [`Liveness`] of a PostgreSQL connection (none for SQLite, or before it was set).
fn liveness(conn: &mut AnyConnection) -> Option<&Liveness> {
    match conn {
        AnyConnection::Postgresql(pg) => pg.instrumentation().downcast_ref::<Liveness>(),
        AnyConnection::Sqlite(_) => None,
    }
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
                conn.set_instrumentation(Liveness::new(self.losses.clone()));
                // A statement never holds a pooled connection (and a request) forever.
                conn.batch_execute("SET statement_timeout = '15s'").map_err(|e| fail(&e))?;
                Ok(AnyConnection::Postgresql(conn))
            }
        }
    }

    /// r2d2 asks this at every checkout. A PostgreSQL connection may have died with its server or the network in
    /// between: a round trip finds out before a request is answered with its error, unless the connection answered
    /// just now ([`Liveness`]). An open SQLite file cannot die, and the query would cost every request a statement
    /// for nothing.
    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), ConnectError> {
        if matches!(conn, AnyConnection::Sqlite(_)) || liveness(conn).is_some_and(Liveness::answered_recently) {
            return Ok(());
        }
        conn.batch_execute("SELECT 1").map_err(|e| ConnectError(e.to_string()))
    }

    /// Asked when a connection comes back to the pool: one that was found lost is dropped, not kept.
    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        liveness(conn).is_some_and(|l| l.lost)
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
