//! Deleting what has expired, so the tables stay the size of what is live. Idempotent: every node may run it.

use diesel::dsl::{exists, not};
use diesel::prelude::*;

use super::actions::Housekeeping;
use super::db::Database;
use super::error::StorageResult;
use super::schema::{
    access_tokens, auth_failures, authorization_codes, browser_sessions, client_access_tokens, grants, interactions,
    refresh_tokens,
};
use crate::domain::Timestamp;

impl Housekeeping for Database {
    fn purge_expired(&self, now: Timestamp, throttle_window_secs: i64) -> StorageResult<usize> {
        let mut conn = self.conn()?;
        let mut purged = 0;
        purged += diesel::delete(interactions::table.filter(interactions::expires_at.le(now))).execute(&mut conn)?;
        purged +=
            diesel::delete(browser_sessions::table.filter(browser_sessions::expires_at.le(now))).execute(&mut conn)?;
        purged += diesel::delete(authorization_codes::table.filter(authorization_codes::expires_at.le(now)))
            .execute(&mut conn)?;
        purged += diesel::delete(access_tokens::table.filter(access_tokens::expires_at.le(now))).execute(&mut conn)?;
        purged += diesel::delete(client_access_tokens::table.filter(client_access_tokens::expires_at.le(now)))
            .execute(&mut conn)?;
        purged +=
            diesel::delete(refresh_tokens::table.filter(refresh_tokens::expires_at.le(now))).execute(&mut conn)?;
        // Attempt counts whose window has ended and that block nothing any more.
        purged += diesel::delete(
            auth_failures::table
                .filter(auth_failures::last_failure_at.le(now - throttle_window_secs))
                .filter(auth_failures::blocked_until.le(now)),
        )
        .execute(&mut conn)?;
        // A grant with nothing left hanging off it can no longer be used or revoked: gone too.
        purged += diesel::delete(
            grants::table
                .filter(not(exists(authorization_codes::table.filter(authorization_codes::grant_id.eq(grants::id)))))
                .filter(not(exists(refresh_tokens::table.filter(refresh_tokens::grant_id.eq(grants::id)))))
                .filter(not(exists(access_tokens::table.filter(access_tokens::grant_id.eq(grants::id))))),
        )
        .execute(&mut conn)?;
        Ok(purged)
    }
}
