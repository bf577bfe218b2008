//! The admin API's conditional writes (ETag and `If-Match`, RFC 9110 §13.1.1). Each locks the row first (a no-op
//! UPDATE: a row lock on PostgreSQL, the database's write lock on SQLite), reads it, lets the caller judge it against
//! the tag it was sent, and only then writes, in one transaction: of two admins who read the same version, the
//! second one's write is refused, never silently applied over the first one's.

use diesel::prelude::*;

use super::actions::AdminWrites;
use super::clients::{ClientMetadataRow, ClientRow};
use super::db::Database;
use super::error::StorageResult;
use super::schema::{clients, users};
use super::users::{AttributeColumns, UserRow};
use crate::domain::{Client, Timestamp, User};

impl AdminWrites for Database {
    fn update_user_if(
        &self,
        user: &User,
        unchanged: &dyn Fn(&User) -> bool,
        now: Timestamp,
    ) -> StorageResult<Option<bool>> {
        let attributes = AttributeColumns::of(&user.attributes)?;
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let row = users::table.filter(users::id.eq(&user.subject));
            if diesel::update(row).set(users::id.eq(&user.subject)).execute(conn)? == 0 {
                return Ok(None);
            }
            let current = row.select(UserRow::as_select()).get_result(conn)?.into_record()?.user;
            if !unchanged(&current) {
                return Ok(Some(false));
            }
            // A later `updated_at` at every write, even within one second, so the next ETag always differs.
            let updated_at = now.max(current.updated_at + 1);
            diesel::update(row)
                .set((
                    users::email.eq(&user.email),
                    users::email_verified.eq(user.email_verified),
                    users::name.eq(&user.name),
                    users::updated_at.eq(updated_at),
                    attributes,
                ))
                .execute(conn)?;
            Ok(Some(true))
        })
    }

    fn update_client_if(&self, client: &Client, unchanged: &dyn Fn(&Client) -> bool) -> StorageResult<Option<bool>> {
        client.check_registration()?;
        let changes = ClientMetadataRow::of(client)?;
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let row = clients::table.filter(clients::id.eq(client.id.as_str()));
            if diesel::update(row).set(clients::id.eq(client.id.as_str())).execute(conn)? == 0 {
                return Ok(None);
            }
            let current = row.select(ClientRow::as_select()).get_result(conn)?.into_record()?.client;
            if !unchanged(&current) {
                return Ok(Some(false));
            }
            diesel::update(row).set(changes).execute(conn)?;
            self.catalog.changed(conn)?;
            Ok(Some(true))
        })
    }
}
