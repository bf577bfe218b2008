use diesel::prelude::*;

use super::schema::interactions;
use super::{Database, InteractionRecord, InteractionStore, StorageResult, Timestamp};

type InteractionRow = (String, String, String, String, Option<String>, Option<i64>, i64);

impl InteractionStore for Database {
    fn park_interaction(&self, i: &InteractionRecord, now: Timestamp) -> StorageResult<()> {
        let (user_id, auth_time) = match &i.login {
            Some((user, at)) => (Some(user.as_str()), Some(*at)),
            None => (None, None),
        };
        diesel::insert_into(interactions::table)
            .values((
                interactions::id.eq(&i.id),
                interactions::browser_hash.eq(&i.browser_hash),
                interactions::csrf_token.eq(&i.csrf_token),
                interactions::request.eq(&i.request),
                interactions::user_id.eq(user_id),
                interactions::auth_time.eq(auth_time),
                interactions::created_at.eq(now),
                interactions::expires_at.eq(i.expires_at),
            ))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn find_interaction(&self, id: &str, now: Timestamp) -> StorageResult<Option<InteractionRecord>> {
        let row: Option<InteractionRow> = interactions::table
            .filter(interactions::id.eq(id))
            .filter(interactions::expires_at.gt(now))
            .select((
                interactions::id,
                interactions::browser_hash,
                interactions::csrf_token,
                interactions::request,
                interactions::user_id,
                interactions::auth_time,
                interactions::expires_at,
            ))
            .first(&mut *self.conn()?)
            .optional()?;
        Ok(row.map(|(id, browser_hash, csrf_token, request, user_id, auth_time, expires_at)| InteractionRecord {
            id,
            browser_hash,
            csrf_token,
            request,
            login: user_id.zip(auth_time),
            expires_at,
        }))
    }

    fn record_login(&self, id: &str, user_id: &str, auth_time: Timestamp) -> StorageResult<()> {
        diesel::update(interactions::table.filter(interactions::id.eq(id)))
            .set((interactions::user_id.eq(Some(user_id)), interactions::auth_time.eq(Some(auth_time))))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn finish_interaction(&self, id: &str) -> StorageResult<bool> {
        let n = diesel::delete(interactions::table.filter(interactions::id.eq(id))).execute(&mut *self.conn()?)?;
        Ok(n == 1)
    }
}
