//! Device authorization requests (RFC 8628), one row each until it expires.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::actions::{DeviceRecord, DeviceStore};
use super::db::Database;
use super::error::StorageResult;
use super::grants::GrantRow;
use super::schema::device_authorizations as device;
use super::schema::grants;
use crate::domain::{Grant, Timestamp};

/// A `device_authorizations` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = device)]
struct DeviceRow {
    device_code_hash: String,
    user_code: String,
    client_id: String,
    scope: String,
    interval_secs: i64,
    last_polled_at: Option<i64>,
    expires_at: i64,
    status: String,
    grant_id: Option<String>,
    resource: Option<String>,
}

impl DeviceRow {
    fn of(r: &DeviceRecord) -> DeviceRow {
        DeviceRow {
            device_code_hash: r.device_code_hash.clone(),
            user_code: r.user_code.clone(),
            client_id: r.client_id.clone(),
            scope: r.scope.clone(),
            interval_secs: r.interval_secs,
            last_polled_at: r.last_polled_at,
            expires_at: r.expires_at,
            status: r.status.clone(),
            grant_id: r.grant_id.clone(),
            resource: r.resource.clone(),
        }
    }

    fn into_record(self) -> DeviceRecord {
        DeviceRecord {
            device_code_hash: self.device_code_hash,
            user_code: self.user_code,
            client_id: self.client_id,
            scope: self.scope,
            interval_secs: self.interval_secs,
            last_polled_at: self.last_polled_at,
            expires_at: self.expires_at,
            status: self.status,
            grant_id: self.grant_id,
            resource: self.resource,
        }
    }
}

impl DeviceStore for Database {
    fn create_device_authorization(&self, record: &DeviceRecord, now: Timestamp) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        // An expired request may still hold the user code until housekeeping: it gives the code up.
        diesel::delete(
            device::table.filter(device::user_code.eq(&record.user_code)).filter(device::expires_at.le(now)),
        )
        .execute(&mut *conn)?;
        match diesel::insert_into(device::table).values(DeviceRow::of(record)).execute(&mut *conn) {
            Ok(_) => Ok(true),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    fn find_pending_by_user_code(&self, user_code: &str, now: Timestamp) -> StorageResult<Option<DeviceRecord>> {
        let row: Option<DeviceRow> = device::table
            .filter(device::user_code.eq(user_code))
            .filter(device::status.eq("pending"))
            .filter(device::expires_at.gt(now))
            .select(DeviceRow::as_select())
            .first(&mut *self.conn()?)
            .optional()?;
        Ok(row.map(DeviceRow::into_record))
    }

    fn find_device_authorization(&self, device_code_hash: &str) -> StorageResult<Option<DeviceRecord>> {
        let row: Option<DeviceRow> =
            device::table.find(device_code_hash).select(DeviceRow::as_select()).first(&mut *self.conn()?).optional()?;
        Ok(row.map(DeviceRow::into_record))
    }

    fn record_device_poll(&self, device_code_hash: &str, now: Timestamp, interval_secs: i64) -> StorageResult<()> {
        diesel::update(device::table.find(device_code_hash))
            .set((device::last_polled_at.eq(now), device::interval_secs.eq(interval_secs)))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn approve_device(&self, device_code_hash: &str, grant: &Grant, now: Timestamp) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let pending = device::table
                .find(device_code_hash)
                .filter(device::status.eq("pending"))
                .filter(device::expires_at.gt(now));
            let updated = diesel::update(pending)
                .set((device::status.eq("approved"), device::grant_id.eq(&grant.id)))
                .execute(conn)?;
            if updated == 1 {
                diesel::insert_into(grants::table).values(GrantRow::of(grant, now)).execute(conn)?;
            }
            Ok(updated == 1)
        })
    }

    fn deny_device(&self, device_code_hash: &str, now: Timestamp) -> StorageResult<bool> {
        let pending = device::table
            .find(device_code_hash)
            .filter(device::status.eq("pending"))
            .filter(device::expires_at.gt(now));
        let updated = diesel::update(pending).set(device::status.eq("denied")).execute(&mut *self.conn()?)?;
        Ok(updated == 1)
    }

    fn redeem_device(&self, device_code_hash: &str) -> StorageResult<bool> {
        let approved = device::table.find(device_code_hash).filter(device::status.eq("approved"));
        let updated = diesel::update(approved).set(device::status.eq("redeemed")).execute(&mut *self.conn()?)?;
        Ok(updated == 1)
    }
}
