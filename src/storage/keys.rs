//! Signing keys, one row per key.

use diesel::prelude::*;

use super::actions::KeyStoreRepository;
use super::connection::AnyConnection;
use super::db::{Database, exclusive_transaction};
use super::error::{StorageResult, corrupt};
use super::key_encryption::{KeyEncryptionKey, from_stored, is_sealed, to_stored};
use super::schema::{clients, resources, signing_keys};
use crate::domain::{KeyRecord, KeyState, SigningAlg};

/// A `signing_keys` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = signing_keys)]
pub(super) struct KeyRow {
    pub kid: String,
    /// next | current | previous | retired | revoked
    pub state: String,
    /// PKCS#8 DER, or sealed under the key-encryption key (`storage::key_encryption`); empty once the key can never
    /// sign again.
    pub private_key: Vec<u8>,
    pub created_at: i64,
    pub activated_at: Option<i64>,
    pub deactivated_at: Option<i64>,
    pub publish_until: Option<i64>,
    /// RS256 | PS256 | ES256 | EdDSA: the key's ring.
    pub alg: String,
}

impl KeyRow {
    pub(super) fn of(key: &KeyRecord, kek: Option<&KeyEncryptionKey>) -> StorageResult<KeyRow> {
        Ok(KeyRow {
            kid: key.kid.clone(),
            state: key.state.as_str().to_owned(),
            private_key: to_stored(kek, &key.kid, &key.private_key)?,
            created_at: key.created_at,
            activated_at: key.activated_at,
            deactivated_at: key.deactivated_at,
            publish_until: key.publish_until,
            alg: key.alg.as_str().to_owned(),
        })
    }

    pub(super) fn into_record(self, kek: Option<&KeyEncryptionKey>) -> StorageResult<KeyRecord> {
        Ok(KeyRecord {
            state: KeyState::parse(&self.state).map_err(corrupt(format!("key {}", self.kid)))?,
            private_key: from_stored(kek, &self.kid, &format!("signing key {}", self.kid), self.private_key)?,
            alg: SigningAlg::parse(&self.alg).map_err(corrupt(format!("key {}", self.kid)))?,
            kid: self.kid,
            created_at: self.created_at,
            activated_at: self.activated_at,
            deactivated_at: self.deactivated_at,
            publish_until: self.publish_until,
        })
    }
}

/// Inserts a row as it is (already sealed or not: an import keeps what the export held).
pub(super) fn insert_row(conn: &mut AnyConnection, row: &KeyRow) -> QueryResult<usize> {
    diesel::insert_into(signing_keys::table).values(row).execute(conn)
}

impl Database {
    fn kek(&self) -> Option<&KeyEncryptionKey> {
        self.key_encryption.as_deref()
    }

    /// The rows as stored (private halves sealed when they are): what an export writes.
    pub(super) fn load_key_rows(&self) -> StorageResult<Vec<KeyRow>> {
        Ok(signing_keys::table.select(KeyRow::as_select()).order(signing_keys::created_at).load(&mut *self.conn()?)?)
    }
}

impl KeyStoreRepository for Database {
    fn load_keys(&self) -> StorageResult<Vec<KeyRecord>> {
        self.load_key_rows()?.into_iter().map(|row| row.into_record(self.kek())).collect()
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
        let rows = keys.iter().map(|key| KeyRow::of(key, self.kek())).collect::<StorageResult<Vec<_>>>()?;
        let mut conn = self.conn()?;
        Ok(exclusive_transaction(&mut conn, |conn| {
            // Several nodes may start on an empty database (or with a new algorithm) at once: only the first
            // creates the ring's keys.
            let existing: i64 =
                signing_keys::table.filter(signing_keys::alg.eq(alg.as_str())).count().get_result(conn)?;
            if existing > 0 {
                return Ok(false);
            }
            for row in &rows {
                insert_row(conn, row)?;
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
        let update_rows = updates.iter().map(|key| KeyRow::of(key, self.kek())).collect::<StorageResult<Vec<_>>>()?;
        let new_row = new_key.map(|key| KeyRow::of(key, self.kek())).transpose()?;
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
            for row in &update_rows {
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
            if let Some(row) = &new_row {
                let same_state: i64 = signing_keys::table
                    .filter(signing_keys::alg.eq(alg.as_str()))
                    .filter(signing_keys::state.eq(&row.state))
                    .count()
                    .get_result(conn)?;
                // Another node's maintenance may have created the missing next key already.
                if same_state == 0 {
                    insert_row(conn, row)?;
                }
            }
            Ok(true)
        })?)
    }

    fn secure_stored_keys(&self) -> StorageResult<(usize, usize)> {
        let mut conn = self.conn()?;
        // SQLite keeps the bytes of an overwritten value in free pages unless told to zero them: the plaintext a
        // row held must not stay readable in the file after it is cleared or sealed.
        if let AnyConnection::Sqlite(_) = &mut *conn {
            diesel::sql_query("PRAGMA secure_delete = ON").execute(&mut *conn)?;
        }
        let result = exclusive_transaction(&mut conn, |conn| {
            let cleared = diesel::update(
                signing_keys::table
                    .filter(signing_keys::state.eq_any([KeyState::Retired.as_str(), KeyState::Revoked.as_str()]))
                    .filter(signing_keys::private_key.ne(Vec::<u8>::new())),
            )
            .set(signing_keys::private_key.eq(Vec::<u8>::new()))
            .execute(conn)?;
            let Some(kek) = self.kek() else { return Ok((cleared, 0)) };
            let rows: Vec<KeyRow> = signing_keys::table.select(KeyRow::as_select()).load(conn)?;
            let mut sealed = 0;
            for row in rows.into_iter().filter(|row| !row.private_key.is_empty() && !is_sealed(&row.private_key)) {
                let stored = kek
                    .seal(&row.kid, &row.private_key)
                    .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
                diesel::update(signing_keys::table.filter(signing_keys::kid.eq(&row.kid)))
                    .set(signing_keys::private_key.eq(stored))
                    .execute(conn)?;
                sealed += 1;
            }
            Ok((cleared, sealed))
        });
        if let AnyConnection::Sqlite(_) = &mut *conn {
            diesel::sql_query("PRAGMA secure_delete = OFF").execute(&mut *conn)?;
        }
        Ok(result?)
    }
}
