//! What an operator does to an account beside its claims and password: disable it, list and end its sessions,
//! and the last sign-in.

use diesel::prelude::*;

use super::actions::{AccountStore, SessionInfo};
use super::db::Database;
use super::error::StorageResult;
use super::schema::{browser_sessions, grants, users};
use super::sessions::end_sessions;
use crate::domain::{ClientContext, Grant, Timestamp};

/// Ends every session of `subject` (and the online grants made in them); returns the grants made in them.
fn end_all_sessions(conn: &mut super::AnyConnection, subject: &str, now: Timestamp) -> StorageResult<Vec<Grant>> {
    let sessions: Vec<(String, String)> = browser_sessions::table
        .filter(browser_sessions::user_id.eq(subject))
        .select((browser_sessions::id_hash, browser_sessions::sid))
        .load(conn)?;
    let (hashes, sids): (Vec<String>, Vec<String>) = sessions.into_iter().unzip();
    end_sessions(conn, &hashes, &sids, &[subject.to_owned()], now)
}

fn subject_of(conn: &mut super::AnyConnection, username: &str) -> StorageResult<Option<String>> {
    Ok(users::table.filter(users::username.eq(username)).select(users::id).first(conn).optional()?)
}

impl AccountStore for Database {
    fn set_disabled(&self, username: &str, disabled: bool, now: Timestamp) -> StorageResult<Option<Vec<Grant>>> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let Some(subject) = subject_of(conn, username)? else { return Ok(None) };
            diesel::update(users::table.filter(users::id.eq(&subject)))
                .set(users::disabled.eq(disabled))
                .execute(conn)?;
            if !disabled {
                return Ok(Some(Vec::new()));
            }
            Ok(Some(end_all_sessions(conn, &subject, now)?))
        })
    }

    fn is_disabled(&self, subject: &str) -> StorageResult<bool> {
        let disabled: Option<bool> =
            users::table.filter(users::id.eq(subject)).select(users::disabled).first(&mut *self.conn()?).optional()?;
        Ok(disabled.unwrap_or(true))
    }

    fn record_login(&self, subject: &str, now: Timestamp) -> StorageResult<()> {
        diesel::update(users::table.filter(users::id.eq(subject)))
            .set(users::last_login_at.eq(Some(now)))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn sessions_of(&self, username: &str, now: Timestamp) -> StorageResult<Option<Vec<SessionInfo>>> {
        let mut conn = self.conn()?;
        let Some(subject) = subject_of(&mut conn, username)? else { return Ok(None) };
        let rows: Vec<(String, i64, i64, i64, String, String)> = browser_sessions::table
            .filter(browser_sessions::user_id.eq(&subject))
            .filter(browser_sessions::expires_at.gt(now))
            .order(browser_sessions::auth_time.desc())
            .select((
                browser_sessions::sid,
                browser_sessions::auth_time,
                browser_sessions::last_seen_at,
                browser_sessions::expires_at,
                browser_sessions::user_agent,
                browser_sessions::address,
            ))
            .load(&mut conn)?;
        let mut sessions = Vec::with_capacity(rows.len());
        for (sid, auth_time, last_seen_at, expires_at, user_agent, address) in rows {
            let mut clients: Vec<String> = grants::table
                .filter(grants::session_id.eq(&sid))
                .filter(grants::revoked_at.is_null())
                .select(grants::client_id)
                .load(&mut conn)?;
            clients.sort();
            clients.dedup();
            let client = ClientContext { user_agent, address };
            sessions.push(SessionInfo { sid, auth_time, last_seen_at, expires_at, clients, client });
        }
        Ok(Some(sessions))
    }

    fn sign_out_everywhere(&self, username: &str, now: Timestamp) -> StorageResult<Option<Vec<Grant>>> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let Some(subject) = subject_of(conn, username)? else { return Ok(None) };
            Ok(Some(end_all_sessions(conn, &subject, now)?))
        })
    }
}
