//! Failure counts for brute-force throttling, one row per throttled key.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::actions::ThrottleStore;
use super::db::Database;
use super::error::StorageResult;
use super::schema::auth_failures;
use crate::domain::Timestamp;

/// An `auth_failures` row: `key` names an account, an address or a client.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = auth_failures)]
struct FailureRow {
    key: String,
    failures: i32,
    last_failure_at: i64,
    blocked_until: i64,
}

impl ThrottleStore for Database {
    fn blocked_until(&self, keys: &[&str]) -> StorageResult<Timestamp> {
        let until: Option<i64> = auth_failures::table
            .filter(auth_failures::key.eq_any(keys))
            .select(diesel::dsl::max(auth_failures::blocked_until))
            .first(&mut *self.conn()?)?;
        Ok(until.unwrap_or(0))
    }

    fn record_failure(
        &self,
        key: &str,
        now: Timestamp,
        window_secs: i64,
        delay: &dyn Fn(i32) -> i64,
    ) -> StorageResult<()> {
        let mut conn = self.conn()?;
        for _ in 0..3 {
            let current: Option<(i32, i64)> = auth_failures::table
                .filter(auth_failures::key.eq(key))
                .select((auth_failures::failures, auth_failures::last_failure_at))
                .first(&mut conn)
                .optional()?;
            match current {
                Some((failures, last)) => {
                    let failures = if now - last > window_secs { 1 } else { failures.saturating_add(1) };
                    // Conditional on the count we read, so concurrent failures on several nodes all count.
                    let updated = diesel::update(
                        auth_failures::table
                            .filter(auth_failures::key.eq(key))
                            .filter(auth_failures::last_failure_at.eq(last)),
                    )
                    .set((
                        auth_failures::failures.eq(failures),
                        auth_failures::last_failure_at.eq(now),
                        auth_failures::blocked_until.eq(now + delay(failures)),
                    ))
                    .execute(&mut conn)?;
                    if updated == 1 {
                        return Ok(());
                    }
                }
                None => {
                    let first = FailureRow {
                        key: key.to_owned(),
                        failures: 1,
                        last_failure_at: now,
                        blocked_until: now + delay(1),
                    };
                    let inserted = diesel::insert_into(auth_failures::table).values(&first).execute(&mut conn);
                    match inserted {
                        Ok(_) => return Ok(()),
                        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => continue,
                        Err(e) => return Err(e.into()),
                    }
                }
            }
        }
        Ok(())
    }

    fn clear_failures(&self, key: &str) -> StorageResult<()> {
        diesel::delete(auth_failures::table.filter(auth_failures::key.eq(key))).execute(&mut *self.conn()?)?;
        Ok(())
    }
}
