//! Second factors: one TOTP secret per user (`user_totp`) and their single-use recovery codes (`recovery_codes`).
//!
//! Recovery codes are stored as SHA-256 hashes (`secrets::token_hash`), not argon2id: argon2id exists to slow the
//! guessing of low-entropy secrets a person chose, while these are 80 random bits each (`oauth::authentication::
//! totp`), which no offline search can cover at any hash speed; and a plain hash can be the row's key, so a
//! code is found and spent with one conditional UPDATE instead of an argon2 run per stored code.
//!
//! TOTP secrets must be kept in a form that gives them back (RFC 6238 §5.1: the verifier computes the codes), so
//! they cannot be hashed; with the operator's key-encryption key they are sealed at rest, as private signing keys
//! are (`key_encryption.rs`, the row's user id as associated data).

use diesel::prelude::*;

use super::actions::{SecondFactorStore, TotpFactor};
use super::connection::AnyConnection;
use super::db::Database;
use super::db::exclusive_transaction;
use super::error::StorageResult;
use super::key_encryption::{from_stored, is_sealed, to_stored, totp_label};
use super::schema::{recovery_codes, user_totp};
use crate::domain::Timestamp;

impl SecondFactorStore for Database {
    fn find_totp(&self, user_id: &str) -> StorageResult<Option<TotpFactor>> {
        let row: Option<(Vec<u8>, Option<i64>, i64)> = user_totp::table
            .filter(user_totp::user_id.eq(user_id))
            .select((user_totp::secret, user_totp::last_used_step, user_totp::created_at))
            .get_result(&mut *self.conn()?)
            .optional()?;
        let Some((stored, last_used_step, created_at)) = row else { return Ok(None) };
        let what = format!("the TOTP secret of user {user_id}");
        let secret = from_stored(self.key_encryption.as_deref(), &totp_label(user_id), &what, stored)?;
        Ok(Some(TotpFactor { secret, last_used_step, created_at }))
    }

    fn enrol_totp(
        &self,
        user_id: &str,
        secret: &[u8],
        recovery_hashes: &[String],
        now: Timestamp,
    ) -> StorageResult<()> {
        let stored = to_stored(self.key_encryption.as_deref(), &totp_label(user_id), secret)?;
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            diesel::delete(user_totp::table.filter(user_totp::user_id.eq(user_id))).execute(conn)?;
            diesel::insert_into(user_totp::table)
                .values((
                    user_totp::user_id.eq(user_id),
                    user_totp::secret.eq(&stored),
                    user_totp::created_at.eq(now),
                    user_totp::last_used_step.eq(None::<i64>),
                ))
                .execute(conn)?;
            diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(conn)?;
            for hash in recovery_hashes {
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

    fn use_totp_step(&self, user_id: &str, step: i64) -> StorageResult<bool> {
        let n = diesel::update(
            user_totp::table
                .filter(user_totp::user_id.eq(user_id))
                .filter(user_totp::last_used_step.is_null().or(user_totp::last_used_step.lt(step))),
        )
        .set(user_totp::last_used_step.eq(Some(step)))
        .execute(&mut *self.conn()?)?;
        Ok(n == 1)
    }

    fn use_recovery_code(&self, user_id: &str, code_hash: &str, now: Timestamp) -> StorageResult<bool> {
        let n = diesel::update(
            recovery_codes::table
                .filter(recovery_codes::code_hash.eq(code_hash))
                .filter(recovery_codes::user_id.eq(user_id))
                .filter(recovery_codes::used_at.is_null()),
        )
        .set(recovery_codes::used_at.eq(Some(now)))
        .execute(&mut *self.conn()?)?;
        Ok(n == 1)
    }

    fn remaining_recovery_codes(&self, user_id: &str) -> StorageResult<i64> {
        Ok(recovery_codes::table
            .filter(recovery_codes::user_id.eq(user_id))
            .filter(recovery_codes::used_at.is_null())
            .count()
            .get_result(&mut *self.conn()?)?)
    }

    fn seal_totp_secrets(&self) -> StorageResult<usize> {
        let Some(kek) = self.key_encryption.as_deref() else { return Ok(0) };
        let mut conn = self.conn()?;
        // SQLite keeps overwritten bytes in free pages unless told to zero them (as for the signing keys).
        if let AnyConnection::Sqlite(_) = &mut *conn {
            diesel::sql_query("PRAGMA secure_delete = ON").execute(&mut *conn)?;
        }
        // Exclusive: two nodes starting at once must not both seal a row (the second would seal the sealed form).
        let result = exclusive_transaction(&mut conn, |conn| {
            let rows: Vec<(String, Vec<u8>)> =
                user_totp::table.select((user_totp::user_id, user_totp::secret)).load(conn)?;
            let mut sealed = 0;
            for (user_id, secret) in rows.into_iter().filter(|(_, secret)| !is_sealed(secret)) {
                let stored = kek
                    .seal(&totp_label(&user_id), &secret)
                    .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
                diesel::update(user_totp::table.filter(user_totp::user_id.eq(&user_id)))
                    .set(user_totp::secret.eq(stored))
                    .execute(conn)?;
                sealed += 1;
            }
            Ok(sealed)
        });
        if let AnyConnection::Sqlite(_) = &mut *conn {
            diesel::sql_query("PRAGMA secure_delete = OFF").execute(&mut *conn)?;
        }
        Ok(result?)
    }

    fn remove_second_factors(&self, user_id: &str) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let totp = diesel::delete(user_totp::table.filter(user_totp::user_id.eq(user_id))).execute(conn)?;
            let codes =
                diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(conn)?;
            Ok(totp + codes > 0)
        })
    }
}
