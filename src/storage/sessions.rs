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
                browser_sessions::last_seen_at.eq(auth_time),
            ))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn find_session(
        &self,
        id_hash: &str,
        now: Timestamp,
        idle_since: Timestamp,
    ) -> StorageResult<Option<SessionRecord>> {
        let mut conn = self.conn()?;
        let row: Option<(String, i64, i64, i64)> = browser_sessions::table
            .filter(browser_sessions::id_hash.eq(id_hash))
            .filter(browser_sessions::expires_at.gt(now))
            .filter(browser_sessions::last_seen_at.gt(idle_since))
            .select((
                browser_sessions::user_id,
                browser_sessions::auth_time,
                browser_sessions::expires_at,
                browser_sessions::last_seen_at,
            ))
            .first(&mut conn)
            .optional()?;
        let Some((user_id, auth_time, expires_at, last_seen_at)) = row else { return Ok(None) };
        // One write a minute at most per session, not one per request.
        if now - last_seen_at >= 60 {
            diesel::update(browser_sessions::table.filter(browser_sessions::id_hash.eq(id_hash)))
                .set(browser_sessions::last_seen_at.eq(now))
                .execute(&mut conn)?;
        }
        Ok(Some(SessionRecord { user_id, auth_time, expires_at }))
    }

    fn end_session(&self, id_hash: &str) -> StorageResult<()> {
        diesel::delete(browser_sessions::table.filter(browser_sessions::id_hash.eq(id_hash)))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }
}
