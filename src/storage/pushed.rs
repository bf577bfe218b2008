//! Pushed authorization requests (RFC 9126), one row each until used or expired.

use diesel::prelude::*;

use super::actions::PushedRequestStore;
use super::db::Database;
use super::error::StorageResult;
use super::schema::pushed_authorization_requests as pushed;
use crate::domain::Timestamp;

/// A `pushed_authorization_requests` row.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = pushed)]
struct PushedRow<'a> {
    request_uri: &'a str,
    client_id: &'a str,
    /// The request's parameters, a JSON object of strings.
    params: &'a str,
    expires_at: i64,
}

impl PushedRequestStore for Database {
    fn push_request(
        &self,
        request_uri: &str,
        client_id: &str,
        params: &str,
        expires_at: Timestamp,
    ) -> StorageResult<()> {
        let row = PushedRow { request_uri, client_id, params, expires_at };
        diesel::insert_into(pushed::table).values(&row).execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn take_pushed_request(&self, request_uri: &str, client_id: &str, now: Timestamp) -> StorageResult<Option<String>> {
        let mut conn = self.conn()?;
        Ok(conn.transaction(|conn| {
            let found: Option<(String, i64)> = pushed::table
                .filter(pushed::request_uri.eq(request_uri))
                .filter(pushed::client_id.eq(client_id))
                .select((pushed::params, pushed::expires_at))
                .get_result(conn)
                .optional()?;
            // Whoever deletes the row uses it: two nodes racing for one request_uri, one wins.
            let deleted = diesel::delete(
                pushed::table.filter(pushed::request_uri.eq(request_uri)).filter(pushed::client_id.eq(client_id)),
            )
            .execute(conn)?;
            QueryResult::Ok(found.filter(|(_, expires_at)| deleted == 1 && now < *expires_at).map(|(params, _)| params))
        })?)
    }
}
