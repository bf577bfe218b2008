use diesel::prelude::*;

use super::db::exclusive_transaction;
use super::schema::signing_keys;
use super::{Database, KeyRecord, KeyStoreRepository, StorageResult};

type KeyRow = (String, String, Vec<u8>, i64, Option<i64>, Option<i64>, Option<i64>);

pub(super) fn insert(conn: &mut super::AnyConnection, key: &KeyRecord) -> QueryResult<usize> {
    diesel::insert_into(signing_keys::table)
        .values((
            signing_keys::kid.eq(&key.kid),
            signing_keys::state.eq(&key.state),
            signing_keys::private_key.eq(&key.private_key),
            signing_keys::created_at.eq(key.created_at),
            signing_keys::activated_at.eq(key.activated_at),
            signing_keys::deactivated_at.eq(key.deactivated_at),
            signing_keys::publish_until.eq(key.publish_until),
        ))
        .execute(conn)
}

impl KeyStoreRepository for Database {
    fn load_keys(&self) -> StorageResult<Vec<KeyRecord>> {
        let rows: Vec<KeyRow> = signing_keys::table
            .select((
                signing_keys::kid,
                signing_keys::state,
                signing_keys::private_key,
                signing_keys::created_at,
                signing_keys::activated_at,
                signing_keys::deactivated_at,
                signing_keys::publish_until,
            ))
            .order(signing_keys::created_at)
            .load(&mut *self.conn()?)?;
        Ok(rows
            .into_iter()
            .map(|(kid, state, private_key, created_at, activated_at, deactivated_at, publish_until)| KeyRecord {
                kid,
                state,
                private_key,
                created_at,
                activated_at,
                deactivated_at,
                publish_until,
            })
            .collect())
    }

    fn bootstrap_keys(&self, keys: &[KeyRecord]) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        Ok(exclusive_transaction(&mut conn, |conn| {
            // Several nodes may start on an empty database at once: only the first creates keys.
            let existing: i64 = signing_keys::table.count().get_result(conn)?;
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
        expected_current: Option<&str>,
        updates: &[KeyRecord],
        new_key: Option<&KeyRecord>,
    ) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        Ok(exclusive_transaction(&mut conn, |conn| {
            // Serialised with every other node and the CLI; if someone rotated since we read the key set, the
            // current key is no longer `expected_current` and nothing is changed.
            let current: Option<String> = signing_keys::table
                .filter(signing_keys::state.eq("current"))
                .select(signing_keys::kid)
                .first(conn)
                .optional()?;
            if current.as_deref() != expected_current {
                return Ok(false);
            }
            for key in updates {
                diesel::update(signing_keys::table.filter(signing_keys::kid.eq(&key.kid)))
                    .set((
                        signing_keys::state.eq(&key.state),
                        signing_keys::activated_at.eq(key.activated_at),
                        signing_keys::deactivated_at.eq(key.deactivated_at),
                        signing_keys::publish_until.eq(key.publish_until),
                    ))
                    .execute(conn)?;
            }
            if let Some(key) = new_key {
                let same_state: i64 =
                    signing_keys::table.filter(signing_keys::state.eq(&key.state)).count().get_result(conn)?;
                // Another node's maintenance may have created the missing next key already.
                if same_state == 0 {
                    insert(conn, key)?;
                }
            }
            Ok(true)
        })?)
    }
}
