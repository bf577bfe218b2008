//! Parked authorization requests, one row per interaction.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use diesel::prelude::*;

use super::actions::InteractionStore;
use super::db::Database;
use super::error::{StorageError, StorageResult, corrupt};
use super::schema::interactions;
use crate::domain::{AuthenticationMethod, Interaction, SignInProgress, Timestamp};

/// An `interactions` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = interactions)]
struct InteractionRow {
    id: String,
    browser_hash: String,
    csrf_token: String,
    /// The validated authorization request, JSON.
    request: String,
    user_id: Option<String>,
    auth_time: Option<i64>,
    created_at: i64,
    expires_at: i64,
    /// The methods of the sign-in so far, space-separated; NULL before the first step.
    amr: Option<String>,
    address: Option<String>,
    /// Parking order (see [`parking_order`]).
    parked_seq: i64,
}

/// A number that grows with every interaction parked: the wall clock in nanoseconds, a counter within one node.
/// Only the order matters (which is a browser's oldest); across nodes, the clocks' agreement is enough for that.
fn parking_order() -> i64 {
    static LAST: AtomicI64 = AtomicI64::new(0);
    let now =
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    let mut last = LAST.load(Ordering::Relaxed);
    loop {
        let next = now.max(last + 1);
        match LAST.compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return next,
            Err(seen) => last = seen,
        }
    }
}

impl InteractionRow {
    fn into_interaction(self) -> StorageResult<Interaction> {
        let request = serde_json::from_str(&self.request)
            .map_err(|e| StorageError::Corrupt(format!("interaction {}: {e}", self.id)))?;
        let sign_in = match (self.user_id, self.auth_time) {
            (Some(user_id), Some(auth_time)) => Some(SignInProgress {
                user_id,
                auth_time,
                methods: AuthenticationMethod::parse_list(self.amr.as_deref().unwrap_or(""))
                    .map_err(corrupt(format!("interaction {}", self.id)))?,
            }),
            _ => None,
        };
        Ok(Interaction {
            id: self.id,
            browser_hash: self.browser_hash,
            csrf_token: self.csrf_token,
            request,
            sign_in,
            address: self.address,
            expires_at: self.expires_at,
        })
    }
}

impl InteractionStore for Database {
    fn park_interaction(&self, interaction: &Interaction, now: Timestamp) -> StorageResult<()> {
        let progress = interaction.sign_in.as_ref();
        let row = InteractionRow {
            id: interaction.id.clone(),
            browser_hash: interaction.browser_hash.clone(),
            csrf_token: interaction.csrf_token.clone(),
            request: serde_json::to_string(&interaction.request)
                .map_err(|e| StorageError::Corrupt(format!("serialising a parked request: {e}")))?,
            user_id: progress.map(|p| p.user_id.clone()),
            auth_time: progress.map(|p| p.auth_time),
            created_at: now,
            expires_at: interaction.expires_at,
            amr: progress.map(|p| AuthenticationMethod::list_to_string(&p.methods)),
            address: interaction.address.clone(),
            parked_seq: parking_order(),
        };
        diesel::insert_into(interactions::table).values(&row).execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn find_interaction(&self, id: &str, now: Timestamp) -> StorageResult<Option<Interaction>> {
        let row: Option<InteractionRow> = interactions::table
            .filter(interactions::id.eq(id))
            .filter(interactions::expires_at.gt(now))
            .select(InteractionRow::as_select())
            .get_result(&mut *self.conn()?)
            .optional()?;
        row.map(InteractionRow::into_interaction).transpose()
    }

    fn record_sign_in(&self, id: &str, progress: &SignInProgress) -> StorageResult<()> {
        diesel::update(interactions::table.filter(interactions::id.eq(id)))
            .set((
                interactions::user_id.eq(Some(&progress.user_id)),
                interactions::auth_time.eq(Some(progress.auth_time)),
                interactions::amr.eq(Some(AuthenticationMethod::list_to_string(&progress.methods))),
            ))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn forget_sign_in(&self, id: &str) -> StorageResult<()> {
        diesel::update(interactions::table.filter(interactions::id.eq(id)))
            .set((
                interactions::user_id.eq(None::<String>),
                interactions::auth_time.eq(None::<i64>),
                interactions::amr.eq(None::<String>),
            ))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn count_parked_by_address(&self, address: &str, now: Timestamp) -> StorageResult<i64> {
        Ok(interactions::table
            .filter(interactions::address.eq(address))
            .filter(interactions::expires_at.gt(now))
            .count()
            .get_result(&mut *self.conn()?)?)
    }

    fn trim_parked_for_browser(&self, browser_hash: &str, keep: i64, now: Timestamp) -> StorageResult<()> {
        let mut conn = self.conn()?;
        let newest: Vec<String> = interactions::table
            .filter(interactions::browser_hash.eq(browser_hash))
            .filter(interactions::expires_at.gt(now))
            .order(interactions::parked_seq.desc())
            .select(interactions::id)
            .limit(keep)
            .load(&mut conn)?;
        diesel::delete(
            interactions::table
                .filter(interactions::browser_hash.eq(browser_hash))
                .filter(interactions::id.ne_all(newest)),
        )
        .execute(&mut conn)?;
        Ok(())
    }

    fn finish_interaction(&self, id: &str) -> StorageResult<bool> {
        let n = diesel::delete(interactions::table.filter(interactions::id.eq(id))).execute(&mut *self.conn()?)?;
        Ok(n == 1)
    }
}
