use diesel::prelude::*;

use super::grants::{GRANT_COLUMNS, GrantRow, to_grant};
use super::schema::{browser_sessions, grants};
use super::{Database, GrantRecord, SessionRecord, SessionStore, StorageResult, Timestamp};

impl SessionStore for Database {
    fn start_session(&self, id_hash: &str, session: &SessionRecord) -> StorageResult<()> {
        diesel::insert_into(browser_sessions::table)
            .values((
                browser_sessions::id_hash.eq(id_hash),
                browser_sessions::sid.eq(&session.sid),
                browser_sessions::user_id.eq(&session.user_id),
                browser_sessions::auth_time.eq(session.auth_time),
                browser_sessions::created_at.eq(session.auth_time),
                browser_sessions::expires_at.eq(session.expires_at),
                browser_sessions::last_seen_at.eq(session.auth_time),
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
        let row: Option<(String, String, i64, i64, i64)> = browser_sessions::table
            .filter(browser_sessions::id_hash.eq(id_hash))
            .filter(browser_sessions::expires_at.gt(now))
            .filter(browser_sessions::last_seen_at.gt(idle_since))
            .select((
                browser_sessions::sid,
                browser_sessions::user_id,
                browser_sessions::auth_time,
                browser_sessions::expires_at,
                browser_sessions::last_seen_at,
            ))
            .first(&mut conn)
            .optional()?;
        let Some((sid, user_id, auth_time, expires_at, last_seen_at)) = row else { return Ok(None) };
        // One write a minute at most per session, not one per request.
        if now - last_seen_at >= 60 {
            diesel::update(browser_sessions::table.filter(browser_sessions::id_hash.eq(id_hash)))
                .set(browser_sessions::last_seen_at.eq(now))
                .execute(&mut conn)?;
        }
        Ok(Some(SessionRecord { sid, user_id, auth_time, expires_at }))
    }

    fn forget_session(&self, id_hash: &str) -> StorageResult<()> {
        diesel::delete(browser_sessions::table.filter(browser_sessions::id_hash.eq(id_hash)))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn end_session(&self, id_hash: &str, now: Timestamp) -> StorageResult<Vec<GrantRecord>> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let sid: Option<String> = browser_sessions::table
                .filter(browser_sessions::id_hash.eq(id_hash))
                .select(browser_sessions::sid)
                .first(conn)
                .optional()?;
            diesel::delete(browser_sessions::table.filter(browser_sessions::id_hash.eq(id_hash))).execute(conn)?;
            let Some(sid) = sid.filter(|s| !s.is_empty()) else { return Ok(Vec::new()) };
            let rows: Vec<GrantRow> = grants::table
                .filter(grants::session_id.eq(&sid))
                .filter(grants::revoked_at.is_null())
                .select(GRANT_COLUMNS)
                .load(conn)?;
            let ended: Vec<GrantRecord> = rows.into_iter().map(to_grant).collect();
            // OpenID Connect Core §11: only offline_access outlives the session it was granted in.
            let online: Vec<&str> = ended
                .iter()
                .filter(|g| !g.scope.split(' ').any(|s| s == "offline_access"))
                .map(|g| g.id.as_str())
                .collect();
            diesel::update(grants::table.filter(grants::id.eq_any(online)))
                .set(grants::revoked_at.eq(Some(now)))
                .execute(conn)?;
            Ok(ended)
        })
    }
}
