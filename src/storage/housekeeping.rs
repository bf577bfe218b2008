//! Deleting what has expired, so the tables stay the size of what is live. Idempotent: every node may run it.

use diesel::dsl::{exists, not};
use diesel::prelude::*;

use super::actions::Housekeeping;
use super::db::Database;
use super::error::StorageResult;
use super::schema::device_authorizations;
use super::schema::dpop_proof_jtis;
use super::schema::passkey_ceremonies;
use super::schema::registration_tokens;
use super::schema::{
    auth_failures, authorization_codes, browser_sessions, grants, interactions, refresh_tokens, revoked_access_tokens,
};
use super::schema::{client_assertion_jtis, pushed_authorization_requests};
use crate::domain::Timestamp;

impl Housekeeping for Database {
    fn purge_expired(
        &self,
        now: Timestamp,
        throttle_window_secs: i64,
        longest_access_token_ttl_secs: i64,
    ) -> StorageResult<usize> {
        let mut conn = self.conn()?;
        let mut purged = 0;
        purged += diesel::delete(interactions::table.filter(interactions::expires_at.le(now))).execute(&mut conn)?;
        purged +=
            diesel::delete(browser_sessions::table.filter(browser_sessions::expires_at.le(now))).execute(&mut conn)?;
        purged += diesel::delete(client_assertion_jtis::table.filter(client_assertion_jtis::expires_at.le(now)))
            .execute(&mut conn)?;
        purged +=
            diesel::delete(dpop_proof_jtis::table.filter(dpop_proof_jtis::expires_at.le(now))).execute(&mut conn)?;
        purged += diesel::delete(
            pushed_authorization_requests::table.filter(pushed_authorization_requests::expires_at.le(now)),
        )
        .execute(&mut conn)?;
        // Initial access tokens past their expiry (used-up ones stay until then, so `registration token list` and a
        // 401 tell the same story).
        purged += diesel::delete(registration_tokens::table.filter(registration_tokens::expires_at.le(now)))
            .execute(&mut conn)?;
        purged += diesel::delete(device_authorizations::table.filter(device_authorizations::expires_at.le(now)))
            .execute(&mut conn)?;
        purged += diesel::delete(passkey_ceremonies::table.filter(passkey_ceremonies::expires_at.le(now)))
            .execute(&mut conn)?;
        purged += diesel::delete(authorization_codes::table.filter(authorization_codes::expires_at.le(now)))
            .execute(&mut conn)?;
        purged += diesel::delete(revoked_access_tokens::table.filter(revoked_access_tokens::expires_at.le(now)))
            .execute(&mut conn)?;
        // Every access token of a grant was issued beside a refresh token: keeping the refresh token's row until no
        // such access token can still be valid keeps its grant (which userinfo and introspection read) alive as long.
        purged += diesel::delete(
            refresh_tokens::table.filter(refresh_tokens::expires_at.le(now - longest_access_token_ttl_secs)),
        )
        .execute(&mut conn)?;
        // Attempt counts whose window has ended and that block nothing any more.
        purged += diesel::delete(
            auth_failures::table
                .filter(auth_failures::last_failure_at.le(now - throttle_window_secs))
                .filter(auth_failures::blocked_until.le(now)),
        )
        .execute(&mut conn)?;
        // A grant with nothing left hanging off it can no longer be used or revoked: gone too. An approved device
        // request (RFC 8628) holds its grant until the device redeems it or the request expires: its grant has no
        // code and no refresh token yet, and must stay for the device's next poll.
        purged += diesel::delete(
            grants::table
                .filter(not(exists(authorization_codes::table.filter(authorization_codes::grant_id.eq(grants::id)))))
                .filter(not(exists(refresh_tokens::table.filter(refresh_tokens::grant_id.eq(grants::id)))))
                .filter(not(exists(
                    device_authorizations::table.filter(device_authorizations::grant_id.eq(grants::id.nullable())),
                ))),
        )
        .execute(&mut conn)?;
        Ok(purged)
    }
}
