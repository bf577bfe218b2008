use diesel::prelude::*;

use super::schema::signing_keys;
use super::{Database, KeyRecord, KeyStoreRepository, StorageResult};

type KeyRow = (String, String, Vec<u8>, i64, Option<i64>, Option<i64>, Option<i64>);

fn insert(conn: &mut super::AnyConnection, key: &KeyRecord) -> QueryResult<usize> {
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

    fn insert_key(&self, key: &KeyRecord) -> StorageResult<()> {
        insert(&mut *self.conn()?, key)?;
        Ok(())
    }

    fn apply_rotation(
        &self,
        expected_current: Option<&str>,
        updates: &[KeyRecord],
        new_key: Option<&KeyRecord>,
    ) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            // Claim the rotation first with a conditional write: if another node or the CLI rotated since we read
            // the key set, the current key is no longer `expected_current` and nothing is changed.
            if let Some(current) = expected_current {
                let claimed = diesel::update(
                    signing_keys::table.filter(signing_keys::kid.eq(current)).filter(signing_keys::state.eq("current")),
                )
                .set(signing_keys::state.eq("current"))
                .execute(conn)?;
                if claimed != 1 {
                    return Ok(false);
                }
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
                insert(conn, key)?;
            }
            Ok(true)
        })
    }
}
