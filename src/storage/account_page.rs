//! The account page's own writes: ending one of the user's sessions, replacing the recovery codes.

use diesel::prelude::*;

use super::actions::AccountPageStore;
use super::db::Database;
use super::error::StorageResult;
use super::schema::{browser_sessions, recovery_codes};
use super::sessions::end_sessions;
use crate::domain::{Grant, Timestamp};

impl AccountPageStore for Database {
    fn end_session_of_user(&self, user_id: &str, sid: &str, now: Timestamp) -> StorageResult<Vec<Grant>> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let hashes: Vec<String> = browser_sessions::table
                .filter(browser_sessions::user_id.eq(user_id))
                .filter(browser_sessions::sid.eq(sid))
                .select(browser_sessions::id_hash)
                .load(conn)?;
            if hashes.is_empty() {
                return Ok(Vec::new());
            }
            end_sessions(conn, &hashes, &[sid.to_owned()], &[user_id.to_owned()], now)
        })
    }

    fn replace_recovery_codes(&self, user_id: &str, hashes: &[String], now: Timestamp) -> StorageResult<()> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(conn)?;
            for hash in hashes {
                diesel::insert_into(recovery_codes::table)
                    .values((
                        recovery_codes::code_hash.eq(hash),
                        recovery_codes::user_id.eq(user_id),
                        recovery_codes::created_at.eq(now),
                        recovery_codes::used_at.eq(None::<i64>),
                    ))
                    .execute(conn)?;
            }
            Ok(())
        })
    }
}
