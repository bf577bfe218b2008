//! Browser login sessions: one row per session cookie (stored hashed).

use diesel::prelude::*;

use super::actions::SessionStore;
use super::db::Database;
use super::error::{StorageResult, corrupt};
use super::grants::GrantRow;
use super::schema::{browser_sessions, grants};
use crate::domain::{AuthenticationMethod, Grant, Session, Timestamp};

/// A `browser_sessions` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = browser_sessions)]
struct SessionRow {
    id_hash: String,
    user_id: String,
    auth_time: i64,
    created_at: i64,
    expires_at: i64,
    last_seen_at: i64,
    sid: String,
    /// The RFC 8176 methods the user signed in with, space-separated.
    amr: String,
}

impl SessionRow {
    fn into_session(self) -> StorageResult<Session> {
        let methods = AuthenticationMethod::parse_list(&self.amr).map_err(corrupt(format!("session {}", self.sid)))?;
        Ok(Session {
            sid: self.sid,
            user_id: self.user_id,
            auth_time: self.auth_time,
            expires_at: self.expires_at,
            methods,
        })
    }
}

impl SessionStore for Database {
    fn start_session(&self, id_hash: &str, session: &Session) -> StorageResult<()> {
        let row = SessionRow {
            id_hash: id_hash.to_owned(),
            user_id: session.user_id.clone(),
            auth_time: session.auth_time,
            created_at: session.auth_time,
            expires_at: session.expires_at,
            last_seen_at: session.auth_time,
            sid: session.sid.clone(),
            amr: AuthenticationMethod::list_to_string(&session.methods),
        };
        diesel::insert_into(browser_sessions::table).values(&row).execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn find_session(&self, id_hash: &str, now: Timestamp, idle_since: Timestamp) -> StorageResult<Option<Session>> {
        let mut conn = self.conn()?;
        let row: Option<SessionRow> = browser_sessions::table
            .filter(browser_sessions::id_hash.eq(id_hash))
            .filter(browser_sessions::expires_at.gt(now))
            .filter(browser_sessions::last_seen_at.gt(idle_since))
            .select(SessionRow::as_select())
            .first(&mut conn)
            .optional()?;
        let Some(row) = row else { return Ok(None) };
        // One write a minute at most per session, not one per request.
        if now - row.last_seen_at >= 60 {
            diesel::update(browser_sessions::table.filter(browser_sessions::id_hash.eq(id_hash)))
                .set(browser_sessions::last_seen_at.eq(now))
                .execute(&mut conn)?;
        }
        row.into_session().map(Some)
    }

    fn forget_session(&self, id_hash: &str) -> StorageResult<()> {
        diesel::delete(browser_sessions::table.filter(browser_sessions::id_hash.eq(id_hash)))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn end_session(&self, id_hash: &str, now: Timestamp) -> StorageResult<Vec<Grant>> {
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
                .select(GrantRow::as_select())
                .load(conn)?;
            let ended = rows.into_iter().map(GrantRow::into_grant).collect::<StorageResult<Vec<Grant>>>()?;
            // OpenID Connect Core §11: only offline_access outlives the session it was granted in.
            let online: Vec<&str> = ended.iter().filter(|g| !g.is_offline()).map(|g| g.id.as_str()).collect();
            diesel::update(grants::table.filter(grants::id.eq_any(online)))
                .set(grants::revoked_at.eq(Some(now)))
                .execute(conn)?;
            Ok(ended)
        })
    }
}
