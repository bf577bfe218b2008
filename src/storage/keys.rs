//! Signing keys, one row per key.

use diesel::prelude::*;

use super::actions::KeyStoreRepository;
use super::connection::AnyConnection;
use super::db::{Database, exclusive_transaction};
use super::error::{StorageResult, corrupt};
use super::schema::{clients, resources, signing_keys};
use crate::domain::{KeyRecord, KeyState, SigningAlg};

/// A `signing_keys` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = signing_keys)]
pub(super) struct KeyRow {
    pub kid: String,
    /// next | current | previous | retired | revoked
    pub state: String,
    /// PKCS#8 DER; empty once the key can never sign again.
    pub private_key: Vec<u8>,
    pub created_at: i64,
    pub activated_at: Option<i64>,
    pub deactivated_at: Option<i64>,
    pub publish_until: Option<i64>,
    /// RS256 | PS256 | ES256 | EdDSA: the key's ring.
    pub alg: String,
}

impl KeyRow {
    pub(super) fn of(key: &KeyRecord) -> KeyRow {
        KeyRow {
            kid: key.kid.clone(),
            state: key.state.as_str().to_owned(),
            private_key: key.private_key.clone(),
            created_at: key.created_at,
            activated_at: key.activated_at,
            deactivated_at: key.deactivated_at,
            publish_until: key.publish_until,
            alg: key.alg.as_str().to_owned(),
        }
    }

    pub(super) fn into_record(self) -> StorageResult<KeyRecord> {
        Ok(KeyRecord {
            state: KeyState::parse(&self.state).map_err(corrupt(format!("key {}", self.kid)))?,
            alg: SigningAlg::parse(&self.alg).map_err(corrupt(format!("key {}", self.kid)))?,
            kid: self.kid,
            private_key: self.private_key,
            created_at: self.created_at,
            activated_at: self.activated_at,
            deactivated_at: self.deactivated_at,
            publish_until: self.publish_until,
        })
    }
}

pub(super) fn insert(conn: &mut AnyConnection, key: &KeyRecord) -> QueryResult<usize> {
    diesel::insert_into(signing_keys::table).values(KeyRow::of(key)).execute(conn)
}

impl KeyStoreRepository for Database {
    fn load_keys(&self) -> StorageResult<Vec<KeyRecord>> {
        let rows: Vec<KeyRow> =
            signing_keys::table.select(KeyRow::as_select()).order(signing_keys::created_at).load(&mut *self.conn()?)?;
        rows.into_iter().map(KeyRow::into_record).collect()
    }

    fn longest_registered_token_ttl(&self) -> StorageResult<Option<i64>> {
        let mut conn = self.conn()?;
        let clients: Option<i64> =
            clients::table.select(diesel::dsl::max(clients::access_token_ttl_secs)).get_result(&mut conn)?;
        let resources: Option<i64> =
            resources::table.select(diesel::dsl::max(resources::access_token_ttl_secs)).get_result(&mut conn)?;
        Ok(clients.max(resources))
    }

    fn bootstrap_keys(&self, alg: SigningAlg, keys: &[KeyRecord]) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        Ok(exclusive_transaction(&mut conn, |conn| {
            // Several nodes may start on an empty database (or with a new algorithm) at once: only the first
            // creates the ring's keys.
            let existing: i64 =
                signing_keys::table.filter(signing_keys::alg.eq(alg.as_str())).count().get_result(conn)?;
            if existing > 0 {
                return Ok(false);
            }
            for key in keys {
                insert(conn, key)?;
            }
            Ok(true)
        })?)
    }

    fn apply_rotation(
        &self,
        alg: SigningAlg,
        expected_current: Option<&str>,
        updates: &[KeyRecord],
        new_key: Option<&KeyRecord>,
    ) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        Ok(exclusive_transaction(&mut conn, |conn| {
            // Serialised with every other node and the CLI; if someone rotated since we read the key set, the
            // current key is no longer `expected_current` and nothing is changed.
            let current: Option<String> = signing_keys::table
                .filter(signing_keys::alg.eq(alg.as_str()))
                .filter(signing_keys::state.eq(KeyState::Current.as_str()))
                .select(signing_keys::kid)
                .get_result(conn)
                .optional()?;
            if current.as_deref() != expected_current {
                return Ok(false);
            }
            for key in updates {
                let row = KeyRow::of(key);
                diesel::update(signing_keys::table.filter(signing_keys::kid.eq(&row.kid)))
                    .set((
                        signing_keys::state.eq(&row.state),
                        signing_keys::private_key.eq(&row.private_key),
                        signing_keys::activated_at.eq(row.activated_at),
                        signing_keys::deactivated_at.eq(row.deactivated_at),
                        signing_keys::publish_until.eq(row.publish_until),
                    ))
                    .execute(conn)?;
            }
            if let Some(key) = new_key {
                let same_state: i64 = signing_keys::table
                    .filter(signing_keys::alg.eq(alg.as_str()))
                    .filter(signing_keys::state.eq(key.state.as_str()))
                    .count()
                    .get_result(conn)?;
                // Another node's maintenance may have created the missing next key already.
                if same_state == 0 {
                    insert(conn, key)?;
                }
            }
            Ok(true)
        })?)
    }
}
