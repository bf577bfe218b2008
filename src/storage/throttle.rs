//! Attempt counts for brute-force throttling, one row per throttled key, shared by every node.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::actions::{Reservation, ThrottleStore};
use super::db::Database;
use super::error::StorageResult;
use super::schema::auth_failures;
use crate::domain::Timestamp;

/// An `auth_failures` row: `key` names an account at an address, an address, or an account.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = auth_failures)]
struct FailureRow {
    key: String,
    failures: i32,
    last_failure_at: i64,
    blocked_until: i64,
}

/// When a key with a wait of `delay` s is free again: 0 for no wait at all, so that a request whose clock reading is
/// a second behind another's is not refused by that other's "blocked until now".
fn block_until(now: Timestamp, delay: i64) -> Timestamp {
    if delay > 0 { now + delay } else { 0 }
}

impl ThrottleStore for Database {
    fn blocked_until(&self, keys: &[&str]) -> StorageResult<Timestamp> {
        let until: Option<i64> = auth_failures::table
            .filter(auth_failures::key.eq_any(keys))
            .select(diesel::dsl::max(auth_failures::blocked_until))
            .get_result(&mut *self.conn()?)?;
        Ok(until.unwrap_or(0))
    }

    fn reserve(
        &self,
        key: &str,
        now: Timestamp,
        window_secs: i64,
        delay: &dyn Fn(i32) -> i64,
    ) -> StorageResult<Reservation> {
        let mut conn = self.conn()?;
        // Each write is conditional on the row as read, so concurrent attempts on several nodes are counted one by
        // one: an attempt that lost the race reads again.
        for _ in 0..8 {
            let current: Option<FailureRow> = auth_failures::table
                .filter(auth_failures::key.eq(key))
                .select(FailureRow::as_select())
                .get_result(&mut conn)
                .optional()?;
            match current {
                Some(row) if row.blocked_until > now => {
                    return Ok(Reservation { granted: false, prior_failures: row.failures, prior_blocked_until: 0 });
                }
                Some(row) => {
                    let prior = if now - row.last_failure_at > window_secs { 0 } else { row.failures };
                    let failures = prior.saturating_add(1);
                    let updated = diesel::update(
                        auth_failures::table
                            .filter(auth_failures::key.eq(key))
                            .filter(auth_failures::failures.eq(row.failures))
                            .filter(auth_failures::last_failure_at.eq(row.last_failure_at)),
                    )
                    .set((
                        auth_failures::failures.eq(failures),
                        auth_failures::last_failure_at.eq(now),
                        auth_failures::blocked_until.eq(block_until(now, delay(failures))),
                    ))
                    .execute(&mut conn)?;
                    if updated == 1 {
                        return Ok(Reservation {
                            granted: true,
                            prior_failures: prior,
                            prior_blocked_until: row.blocked_until,
                        });
                    }
                }
                None => {
                    let first = FailureRow {
                        key: key.to_owned(),
                        failures: 1,
                        last_failure_at: now,
                        blocked_until: block_until(now, delay(1)),
                    };
                    match diesel::insert_into(auth_failures::table).values(&first).execute(&mut conn) {
                        Ok(_) => return Ok(Reservation { granted: true, prior_failures: 0, prior_blocked_until: 0 }),
                        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => continue,
                        Err(e) => return Err(e.into()),
                    }
                }
            }
        }
        // Lost the race eight times in a row: the key is under a burst; count this attempt as refused.
        Ok(Reservation { granted: false, prior_failures: 0, prior_blocked_until: 0 })
    }

    fn release(&self, key: &str, reservation: &Reservation) -> StorageResult<()> {
        if !reservation.granted {
            return Ok(());
        }
        let mut conn = self.conn()?;
        // Undo exactly this attempt: when no other attempt was counted since, the row goes back to how it was.
        let restored = diesel::update(
            auth_failures::table
                .filter(auth_failures::key.eq(key))
                .filter(auth_failures::failures.eq(reservation.prior_failures.saturating_add(1))),
        )
        .set((
            auth_failures::failures.eq(reservation.prior_failures),
            auth_failures::blocked_until.eq(reservation.prior_blocked_until),
        ))
        .execute(&mut conn)?;
        if restored == 0 {
            diesel::update(
                auth_failures::table.filter(auth_failures::key.eq(key)).filter(auth_failures::failures.gt(0)),
            )
            .set(auth_failures::failures.eq(auth_failures::failures - 1))
            .execute(&mut conn)?;
        }
        Ok(())
    }

    fn clear_failures_matching(&self, matches: &dyn Fn(&str) -> bool) -> StorageResult<usize> {
        let mut conn = self.conn()?;
        // Compared in Rust, not with LIKE: `_` and `%` may be part of a username. The table holds only the
        // attempts of the last window, so reading its keys is cheap.
        let keys: Vec<String> = auth_failures::table.select(auth_failures::key).load(&mut conn)?;
        let matching: Vec<&String> = keys.iter().filter(|k| matches(k)).collect();
        Ok(diesel::delete(auth_failures::table.filter(auth_failures::key.eq_any(matching))).execute(&mut conn)?)
    }

    fn clear_failures(&self, key: &str) -> StorageResult<()> {
        diesel::delete(auth_failures::table.filter(auth_failures::key.eq(key))).execute(&mut *self.conn()?)?;
        Ok(())
    }
}
