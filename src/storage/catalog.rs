//! Clients and resources kept in this node's memory, so authenticating a client or looking up a resource costs
//! no query on the hot path. Every write to either bumps one counter in the database (`catalog_version`); a node
//! reads the counter at most every `staleness` and drops its copy when the counter moved, so a change made anywhere
//! (the CLI, another node) is seen everywhere within that bound. A node's own writes drop its copy at once.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::r2d2::PooledConnection;

use super::connection::{AnyConnection, Connector};
use super::error::{StorageError, StorageResult};
use super::records::ClientRecord;
use super::schema::catalog_version;
use crate::domain::Resource;

/// Takes a connection from the pool, only when the copy must be checked or filled.
pub(super) type Connect<'a> = dyn Fn() -> StorageResult<PooledConnection<Connector>> + 'a;

pub(super) struct Catalog {
    staleness: Duration,
    state: Mutex<State>,
}

struct State {
    version: Option<i64>,
    checked_at: Option<Instant>,
    clients: HashMap<String, ClientRecord>,
    resources: Option<Vec<Resource>>,
    /// Whether any client is registered (the landing page asks at every `GET /`).
    any_client: Option<bool>,
}

impl Catalog {
    pub(super) fn new(staleness: Duration) -> Catalog {
        Catalog {
            staleness,
            state: Mutex::new(State {
                version: None,
                checked_at: None,
                clients: HashMap::new(),
                resources: None,
                any_client: None,
            }),
        }
    }

    /// Drops the copy if the counter moved since it was last read (read again once `staleness` has passed).
    fn refresh(&self, connect: &Connect<'_>) -> StorageResult<()> {
        let due = {
            let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.checked_at.is_none_or(|at| at.elapsed() >= self.staleness)
        };
        if !due {
            return Ok(());
        }
        let read = connect().and_then(|mut conn| {
            Ok(catalog_version::table.select(catalog_version::version).first::<i64>(&mut *conn)?)
        });
        let version = match read {
            Ok(version) => version,
            // The database is unreachable: nothing can change it meanwhile, so the copy serves as it is (a client
            // this node knows keeps working) and the counter is read again at the next use.
            Err(StorageError::Unavailable(_)) => return Ok(()),
            Err(e) => return Err(e),
        };
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.version != Some(version) {
            state.clients.clear();
            state.resources = None;
            state.any_client = None;
            state.version = Some(version);
        }
        state.checked_at = Some(Instant::now());
        Ok(())
    }

    /// A client from memory, or from `load` (kept when found; an unknown id is not remembered, so a client added
    /// anywhere is found at once).
    pub(super) fn client(
        &self,
        connect: &Connect<'_>,
        id: &str,
        load: impl FnOnce(&mut AnyConnection) -> StorageResult<Option<ClientRecord>>,
    ) -> StorageResult<Option<ClientRecord>> {
        self.refresh(connect)?;
        if let Some(client) = self.state.lock().unwrap_or_else(PoisonError::into_inner).clients.get(id) {
            return Ok(Some(client.clone()));
        }
        let loaded = load(&mut *connect()?)?;
        if let Some(client) = &loaded {
            self.state.lock().unwrap_or_else(PoisonError::into_inner).clients.insert(id.to_owned(), client.clone());
        }
        Ok(loaded)
    }

    /// Every resource, from memory or from `load`.
    pub(super) fn resources(
        &self,
        connect: &Connect<'_>,
        load: impl FnOnce(&mut AnyConnection) -> StorageResult<Vec<Resource>>,
    ) -> StorageResult<Vec<Resource>> {
        self.refresh(connect)?;
        if let Some(resources) = &self.state.lock().unwrap_or_else(PoisonError::into_inner).resources {
            return Ok(resources.clone());
        }
        let loaded = load(&mut *connect()?)?;
        self.state.lock().unwrap_or_else(PoisonError::into_inner).resources = Some(loaded.clone());
        Ok(loaded)
    }

    /// Whether any client is registered, from memory or from `load`.
    pub(super) fn any_client(
        &self,
        connect: &Connect<'_>,
        load: impl FnOnce(&mut AnyConnection) -> StorageResult<bool>,
    ) -> StorageResult<bool> {
        self.refresh(connect)?;
        if let Some(any) = self.state.lock().unwrap_or_else(PoisonError::into_inner).any_client {
            return Ok(any);
        }
        let loaded = load(&mut *connect()?)?;
        // Only a yes is kept: on a fresh install the first client, added by the CLI, shows at once.
        if loaded {
            self.state.lock().unwrap_or_else(PoisonError::into_inner).any_client = Some(true);
        }
        Ok(loaded)
    }

    /// After a change to clients or resources (inside its transaction): every node's copy goes, this one's now.
    pub(super) fn changed(&self, conn: &mut AnyConnection) -> QueryResult<()> {
        diesel::update(catalog_version::table)
            .set(catalog_version::version.eq(catalog_version::version + 1))
            .execute(conn)?;
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.clients.clear();
        state.resources = None;
        state.any_client = None;
        state.checked_at = None;
        Ok(())
    }
}
