//! Invitation links: one row per link, keyed by the SHA-256 of its token, spent once.

use diesel::prelude::*;

use super::actions::{InvitationRecord, InvitationStore};
use super::db::Database;
use super::error::StorageResult;
use super::schema::{invitations, users};
use crate::domain::Timestamp;

impl InvitationStore for Database {
    fn create_invitation(
        &self,
        token_hash: &str,
        user_id: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StorageResult<()> {
        diesel::insert_into(invitations::table)
            .values((
                invitations::token_hash.eq(token_hash),
                invitations::user_id.eq(user_id),
                invitations::created_at.eq(now),
                invitations::expires_at.eq(expires_at),
                invitations::used_at.eq(None::<i64>),
            ))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn find_invitation(&self, token_hash: &str) -> StorageResult<Option<InvitationRecord>> {
        let row: Option<(String, i64, Option<i64>)> = invitations::table
            .filter(invitations::token_hash.eq(token_hash))
            .select((invitations::user_id, invitations::expires_at, invitations::used_at))
            .get_result(&mut *self.conn()?)
            .optional()?;
        Ok(row.map(|(user_id, expires_at, used_at)| InvitationRecord { user_id, expires_at, used: used_at.is_some() }))
    }

    fn accept_invitation(&self, token_hash: &str, password_hash: &str, now: Timestamp) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            // The conditional UPDATE is the single use: of two submits, one changes the row. It comes first, so
            // SQLite takes its write lock (and honours busy_timeout) before any read: a read first would leave two
            // concurrent submits both holding a read snapshot, and the second to write would fail at once (busy)
            // instead of waiting and finding the link spent.
            let spent = diesel::update(
                invitations::table
                    .filter(invitations::token_hash.eq(token_hash))
                    .filter(invitations::used_at.is_null())
                    .filter(invitations::expires_at.gt(now)),
            )
            .set(invitations::used_at.eq(Some(now)))
            .execute(conn)?;
            if spent != 1 {
                return Ok(false);
            }
            let user_id: String = invitations::table
                .filter(invitations::token_hash.eq(token_hash))
                .select(invitations::user_id)
                .get_result(conn)?;
            diesel::update(users::table.filter(users::id.eq(&user_id)))
                .set((users::password_hash.eq(password_hash), users::updated_at.eq(now)))
                .execute(conn)?;
            // The account has its password now: the user's other pending links must not set another one.
            diesel::update(
                invitations::table.filter(invitations::user_id.eq(&user_id)).filter(invitations::used_at.is_null()),
            )
            .set(invitations::used_at.eq(Some(now)))
            .execute(conn)?;
            Ok(true)
        })
    }
}
