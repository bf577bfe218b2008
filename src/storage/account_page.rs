//! The account page's own writes: ending one of the user's sessions, replacing the recovery codes.

use diesel::prelude::*;

use super::actions::AccountPageStore;
use super::db::Database;
use super::error::StorageResult;
use std::collections::BTreeMap;

use super::grants::GrantRow;
use super::schema::{browser_sessions, consents, grants, recovery_codes};
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

    fn connected_apps(&self, user_id: &str) -> StorageResult<Vec<(String, Option<String>, i64)>> {
        let mut conn = self.conn()?;
        let consented: Vec<(String, String)> = consents::table
            .filter(consents::user_id.eq(user_id))
            .select((consents::client_id, consents::scope))
            .load(&mut conn)?;
        let live: Vec<String> = grants::table
            .filter(grants::user_id.eq(user_id))
            .filter(grants::revoked_at.is_null())
            .select(grants::client_id)
            .load(&mut conn)?;
        let mut apps: BTreeMap<String, (Option<String>, i64)> = BTreeMap::new();
        for (client, scope) in consented {
            apps.entry(client).or_default().0 = Some(scope);
        }
        for client in live {
            apps.entry(client).or_default().1 += 1;
        }
        Ok(apps.into_iter().map(|(client, (scope, grants))| (client, scope, grants)).collect())
    }

    fn revoke_app(&self, user_id: &str, client_id: &str, now: Timestamp) -> StorageResult<Vec<Grant>> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            diesel::delete(
                consents::table.filter(consents::user_id.eq(user_id)).filter(consents::client_id.eq(client_id)),
            )
            .execute(conn)?;
            let live: Vec<GrantRow> = grants::table
                .filter(grants::user_id.eq(user_id))
                .filter(grants::client_id.eq(client_id))
                .filter(grants::revoked_at.is_null())
                .select(GrantRow::as_select())
                .load(conn)?;
            diesel::update(
                grants::table
                    .filter(grants::user_id.eq(user_id))
                    .filter(grants::client_id.eq(client_id))
                    .filter(grants::revoked_at.is_null()),
            )
            .set(grants::revoked_at.eq(Some(now)))
            .execute(conn)?;
            live.into_iter().map(GrantRow::into_grant).collect()
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
