//! Passkeys (`passkeys`) and pending WebAuthn ceremonies (`passkey_ceremonies`), read and written here only.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::actions::{PasskeyRecord, PasskeyStore, PasskeyUse};
use super::db::Database;
use super::error::StorageResult;
use super::schema::{passkey_ceremonies, passkeys, users};
use crate::domain::Timestamp;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = passkeys)]
pub(super) struct PasskeyRow {
    pub(super) credential_id: String,
    pub(super) user_id: String,
    pub(super) name: String,
    pub(super) credential: String,
    pub(super) sign_count: i64,
    pub(super) backup_eligible: bool,
    pub(super) backup_state: bool,
    pub(super) created_at: i64,
    pub(super) last_used_at: Option<i64>,
}

impl PasskeyRow {
    fn into_record(self) -> PasskeyRecord {
        PasskeyRecord {
            credential_id: self.credential_id,
            user_id: self.user_id,
            name: self.name,
            credential: self.credential,
            sign_count: self.sign_count,
            backup_eligible: self.backup_eligible,
            backup_state: self.backup_state,
            created_at: self.created_at,
            last_used_at: self.last_used_at,
        }
    }
}

impl PasskeyStore for Database {
    fn passkeys_of(&self, user_id: &str) -> StorageResult<Vec<PasskeyRecord>> {
        let rows: Vec<PasskeyRow> = passkeys::table
            .filter(passkeys::user_id.eq(user_id))
            .order((passkeys::created_at.asc(), passkeys::credential_id.asc()))
            .select(PasskeyRow::as_select())
            .load(&mut *self.conn()?)?;
        Ok(rows.into_iter().map(PasskeyRow::into_record).collect())
    }

    fn find_passkey(&self, credential_id: &str) -> StorageResult<Option<PasskeyRecord>> {
        let row: Option<PasskeyRow> = passkeys::table
            .filter(passkeys::credential_id.eq(credential_id))
            .select(PasskeyRow::as_select())
            .get_result(&mut *self.conn()?)
            .optional()?;
        Ok(row.map(PasskeyRow::into_record))
    }

    fn add_passkey(&self, record: &PasskeyRecord) -> StorageResult<bool> {
        let row = PasskeyRow {
            credential_id: record.credential_id.clone(),
            user_id: record.user_id.clone(),
            name: record.name.clone(),
            credential: record.credential.clone(),
            sign_count: record.sign_count,
            backup_eligible: record.backup_eligible,
            backup_state: record.backup_state,
            created_at: record.created_at,
            last_used_at: record.last_used_at,
        };
        let mut conn = self.conn()?;
        // A nested transaction (a savepoint on PostgreSQL), so a duplicate leaves the connection usable.
        let inserted = conn.transaction(|conn| diesel::insert_into(passkeys::table).values(&row).execute(conn));
        match inserted {
            Ok(_) => Ok(true),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    fn use_passkey(&self, credential_id: &str, seen_count: i64, update: &PasskeyUse<'_>) -> StorageResult<bool> {
        let n = diesel::update(
            passkeys::table
                .filter(passkeys::credential_id.eq(credential_id))
                .filter(passkeys::sign_count.eq(seen_count)),
        )
        .set((
            passkeys::credential.eq(update.credential),
            passkeys::sign_count.eq(update.sign_count),
            passkeys::backup_state.eq(update.backup_state),
            passkeys::last_used_at.eq(Some(update.now)),
        ))
        .execute(&mut *self.conn()?)?;
        Ok(n == 1)
    }

    fn rename_passkey(&self, user_id: &str, credential_id: &str, name: &str) -> StorageResult<bool> {
        let n = diesel::update(
            passkeys::table.filter(passkeys::credential_id.eq(credential_id)).filter(passkeys::user_id.eq(user_id)),
        )
        .set(passkeys::name.eq(name))
        .execute(&mut *self.conn()?)?;
        Ok(n == 1)
    }

    fn remove_passkey(&self, user_id: &str, credential_id: &str) -> StorageResult<Option<bool>> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let mine = passkeys::table
                .filter(passkeys::credential_id.eq(credential_id))
                .filter(passkeys::user_id.eq(user_id))
                .count()
                .get_result::<i64>(conn)?;
            if mine == 0 {
                return Ok(None);
            }
            let others = passkeys::table
                .filter(passkeys::user_id.eq(user_id))
                .filter(passkeys::credential_id.ne(credential_id))
                .count()
                .get_result::<i64>(conn)?;
            let password: Option<String> =
                users::table.filter(users::id.eq(user_id)).select(users::password_hash).get_result(conn).optional()?;
            if others == 0 && password.is_none_or(|p| p.is_empty()) {
                return Ok(Some(false));
            }
            diesel::delete(passkeys::table.filter(passkeys::credential_id.eq(credential_id))).execute(conn)?;
            Ok(Some(true))
        })
    }

    fn remove_passkeys(&self, user_id: &str) -> StorageResult<usize> {
        Ok(diesel::delete(passkeys::table.filter(passkeys::user_id.eq(user_id))).execute(&mut *self.conn()?)?)
    }

    fn withdraw_passkey(&self, user_id: &str, credential_id: &str) -> StorageResult<()> {
        diesel::delete(
            passkeys::table.filter(passkeys::user_id.eq(user_id)).filter(passkeys::credential_id.eq(credential_id)),
        )
        .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn begin_ceremony(
        &self,
        id: &str,
        binding: &str,
        kind: &str,
        state: &str,
        expires_at: Timestamp,
    ) -> StorageResult<()> {
        let mut conn = self.conn()?;
        diesel::insert_into(passkey_ceremonies::table)
            .values((
                passkey_ceremonies::id.eq(id),
                passkey_ceremonies::binding.eq(binding),
                passkey_ceremonies::kind.eq(kind),
                passkey_ceremonies::state.eq(state),
                passkey_ceremonies::expires_at.eq(expires_at),
            ))
            .execute(&mut *conn)?;
        Ok(())
    }

    fn take_ceremony(&self, id: &str, binding: &str, kind: &str, now: Timestamp) -> StorageResult<Option<String>> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            // A write first, as in `accept_invitation`: SQLite takes its write lock before the read, so two
            // finishes at once (of one ceremony or of two) wait for each other instead of one failing busy; on
            // PostgreSQL it locks the row, and the second finish of one ceremony then finds it gone.
            diesel::update(passkey_ceremonies::table.filter(passkey_ceremonies::id.eq(id)))
                .set(passkey_ceremonies::expires_at.eq(passkey_ceremonies::expires_at))
                .execute(conn)?;
            let state: Option<(String, i64)> = passkey_ceremonies::table
                .filter(passkey_ceremonies::id.eq(id))
                .filter(passkey_ceremonies::binding.eq(binding))
                .filter(passkey_ceremonies::kind.eq(kind))
                .select((passkey_ceremonies::state, passkey_ceremonies::expires_at))
                .get_result(conn)
                .optional()?;
            let Some((state, expires_at)) = state else { return Ok(None) };
            // The DELETE decides who takes it: of two concurrent finishes, one deletes the row.
            let n = diesel::delete(passkey_ceremonies::table.filter(passkey_ceremonies::id.eq(id))).execute(conn)?;
            Ok((n == 1 && expires_at > now).then_some(state))
        })
    }
}
