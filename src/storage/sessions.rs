//! Browser login sessions: one row per session cookie (stored hashed).

use diesel::prelude::*;

use super::actions::SessionStore;
use super::connection::{AnyConnection, on_backend};
use super::db::Database;
use super::error::{StorageResult, corrupt};
use super::grants::GrantRow;
use super::schema::{browser_sessions, grants, interactions};
use crate::domain::{AuthenticationMethod, ClientContext, Grant, Session, Timestamp};

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
    /// The User-Agent and address of the request that opened the session ('' when not known).
    user_agent: String,
    address: String,
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
            client: ClientContext { user_agent: self.user_agent, address: self.address },
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
            user_agent: session.client.user_agent.clone(),
            address: session.client.address.clone(),
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
            .get_result(&mut conn)
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

    fn touch_session(&self, sid: &str, now: Timestamp, idle_since: Timestamp) -> StorageResult<bool> {
        // On every refresh of an online grant: the hot path's connection (`on_backend!`).
        on_backend!(&mut *self.conn()?, conn => {
            let last_seen: Option<i64> = browser_sessions::table
                .filter(browser_sessions::sid.eq(sid))
                .filter(browser_sessions::expires_at.gt(now))
                .filter(browser_sessions::last_seen_at.gt(idle_since))
                .select(diesel::dsl::max(browser_sessions::last_seen_at))
                .get_result(conn)?;
            let Some(last_seen) = last_seen else { return Ok(false) };
            // One write a minute at most per session, as for the browser's own use of it.
            if now - last_seen >= 60 {
                diesel::update(browser_sessions::table.filter(browser_sessions::sid.eq(sid)))
                    .set(browser_sessions::last_seen_at.eq(now))
                    .execute(conn)?;
            }
            Ok(true)
        })
    }

    fn end_session(&self, id_hash: &str, now: Timestamp) -> StorageResult<Vec<Grant>> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let ended: Option<(String, String)> = browser_sessions::table
                .filter(browser_sessions::id_hash.eq(id_hash))
                .select((browser_sessions::sid, browser_sessions::user_id))
                .get_result(conn)
                .optional()?;
            let Some((sid, user_id)) = ended else { return Ok(Vec::new()) };
            end_sessions(conn, &[id_hash.to_owned()], &[sid], &[user_id], now)
        })
    }

    fn end_expired_sessions(&self, now: Timestamp, idle_since: Timestamp) -> StorageResult<Vec<Grant>> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let expired: Vec<(String, String, String)> = browser_sessions::table
                .filter(browser_sessions::expires_at.le(now).or(browser_sessions::last_seen_at.le(idle_since)))
                .select((browser_sessions::id_hash, browser_sessions::sid, browser_sessions::user_id))
                .load(conn)?;
            if expired.is_empty() {
                return Ok(Vec::new());
            }
            let hashes: Vec<String> = expired.iter().map(|(h, _, _)| h.clone()).collect();
            let sids: Vec<String> = expired.iter().map(|(_, s, _)| s.clone()).collect();
            // Only a logout drops pending pages; a session that timed out leaves them for a sign-in anew.
            end_sessions(conn, &hashes, &sids, &[], now)
        })
    }
}

/// Deletes sessions, revokes the online grants made in them (OpenID Connect Core §11: only offline_access outlives
/// the session it was granted in), drops the pending interactions of `users`, and returns every grant made in the
/// sessions.
pub(super) fn end_sessions(
    conn: &mut AnyConnection,
    id_hashes: &[String],
    sids: &[String],
    users: &[String],
    now: Timestamp,
) -> StorageResult<Vec<Grant>> {
    diesel::delete(browser_sessions::table.filter(browser_sessions::id_hash.eq_any(id_hashes))).execute(conn)?;
    if !users.is_empty() {
        diesel::delete(interactions::table.filter(interactions::user_id.eq_any(users))).execute(conn)?;
    }
    let sids: Vec<&String> = sids.iter().filter(|s| !s.is_empty()).collect();
    let rows: Vec<GrantRow> = grants::table
        .filter(grants::session_id.eq_any(sids))
        .filter(grants::revoked_at.is_null())
        .select(GrantRow::as_select())
        .load(conn)?;
    let ended = rows.into_iter().map(GrantRow::into_grant).collect::<StorageResult<Vec<Grant>>>()?;
    let online: Vec<&str> = ended.iter().filter(|g| !g.is_offline()).map(|g| g.id.as_str()).collect();
    diesel::update(grants::table.filter(grants::id.eq_any(online)))
        .set(grants::revoked_at.eq(Some(now)))
        .execute(conn)?;
    Ok(ended)
}
