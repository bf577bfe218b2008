use diesel::prelude::*;

use super::schema::browser_sessions;
use super::{Database, SessionRecord, SessionStore, StorageResult, Timestamp};

impl SessionStore for Database {
    fn start_session(
        &self,
        id_hash: &str,
        user_id: &str,
        auth_time: Timestamp,
        expires_at: Timestamp,
    ) -> StorageResult<()> {
        diesel::insert_into(browser_sessions::table)
            .values((
                browser_sessions::id_hash.eq(id_hash),
                browser_sessions::user_id.eq(user_id),
                browser_sessions::auth_time.eq(auth_time),
                browser_sessions::created_at.eq(auth_time),
                browser_sessions::expires_at.eq(expires_at),
            ))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn find_session(&self, id_hash: &str, now: Timestamp) -> StorageResult<Option<SessionRecord>> {
        let row: Option<(String, i64, i64)> = browser_sessions::table
            .filter(browser_sessions::id_hash.eq(id_hash))
            .filter(browser_sessions::expires_at.gt(now))
            .select((browser_sessions::user_id, browser_sessions::auth_time, browser_sessions::expires_at))
            .first(&mut *self.conn()?)
            .optional()?;
        Ok(row.map(|(user_id, auth_time, expires_at)| SessionRecord { user_id, auth_time, expires_at }))
    }

    fn end_session(&self, id_hash: &str) -> StorageResult<()> {
        diesel::delete(browser_sessions::table.filter(browser_sessions::id_hash.eq(id_hash)))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }
}
