//! The `admin_keys` table.

use diesel::prelude::*;

use super::actions::AdminKeyStore;
use super::db::Database;
use super::error::StorageResult;
use super::schema::admin_keys;
use crate::domain::{AdminKey, Timestamp};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = admin_keys)]
struct AdminKeyRow {
    id: String,
    name: String,
    secret_hash: String,
    /// Space-separated.
    scopes: String,
    created_at: i64,
    expires_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl AdminKeyRow {
    fn into_key(self) -> (AdminKey, String) {
        let key = AdminKey {
            id: self.id,
            name: self.name,
            scopes: self.scopes.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            created_at: self.created_at,
            expires_at: self.expires_at,
            revoked_at: self.revoked_at,
        };
        (key, self.secret_hash)
    }
}

impl AdminKeyStore for Database {
    fn add_admin_key(&self, key: &AdminKey, secret_hash: &str) -> StorageResult<()> {
        let row = AdminKeyRow {
            id: key.id.clone(),
            name: key.name.clone(),
            secret_hash: secret_hash.to_owned(),
            scopes: key.scopes.join(" "),
            created_at: key.created_at,
            expires_at: key.expires_at,
            revoked_at: key.revoked_at,
        };
        diesel::insert_into(admin_keys::table).values(&row).execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn list_admin_keys(&self) -> StorageResult<Vec<AdminKey>> {
        let rows: Vec<AdminKeyRow> = admin_keys::table
            .select(AdminKeyRow::as_select())
            .order((admin_keys::created_at, admin_keys::id))
            .load(&mut *self.conn()?)?;
        Ok(rows.into_iter().map(|r| r.into_key().0).collect())
    }

    fn find_admin_key(&self, id: &str) -> StorageResult<Option<(AdminKey, String)>> {
        let row: Option<AdminKeyRow> = admin_keys::table
            .filter(admin_keys::id.eq(id))
            .select(AdminKeyRow::as_select())
            .get_result(&mut *self.conn()?)
            .optional()?;
        Ok(row.map(AdminKeyRow::into_key))
    }

    fn revoke_admin_key(&self, id: &str, now: Timestamp) -> StorageResult<bool> {
        let n =
            diesel::update(admin_keys::table.filter(admin_keys::id.eq(id)).filter(admin_keys::revoked_at.is_null()))
                .set(admin_keys::revoked_at.eq(Some(now)))
                .execute(&mut *self.conn()?)?;
        Ok(n > 0)
    }
}
