//! What each user has allowed each client: one row per pair, the scope granted.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::actions::ConsentStore;
use super::connection::AnyConnection;
use super::db::Database;
use super::error::{StorageResult, corrupt};
use super::schema::consents;
use crate::domain::{ClientId, Scope, Timestamp};

/// A `consents` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = consents)]
pub(super) struct ConsentRow {
    pub user_id: String,
    pub client_id: String,
    pub scope: String,
    pub granted_at: i64,
}

impl ConsentStore for Database {
    fn find_consent(&self, user_id: &str, client_id: &ClientId) -> StorageResult<Option<Scope>> {
        let scope: Option<String> = consents::table
            .filter(consents::user_id.eq(user_id))
            .filter(consents::client_id.eq(client_id.as_str()))
            .select(consents::scope)
            .get_result(&mut *self.conn()?)
            .optional()?;
        scope.map(|s| Scope::parse(&s).map_err(corrupt(format!("consent of {user_id} to {client_id}")))).transpose()
    }

    fn remember_consent(
        &self,
        user_id: &str,
        client_id: &ClientId,
        scope: &Scope,
        now: Timestamp,
    ) -> StorageResult<()> {
        let row = ConsentRow {
            user_id: user_id.to_owned(),
            client_id: client_id.to_string(),
            scope: scope.to_string(),
            granted_at: now,
        };
        // Upserts do not compile on the multi-backend connection: update, else insert, and if a concurrent request
        // inserted in between (unique violation), update again.
        let mut conn = self.conn()?;
        let update = |conn: &mut AnyConnection| {
            diesel::update(
                consents::table
                    .filter(consents::user_id.eq(&row.user_id))
                    .filter(consents::client_id.eq(&row.client_id)),
            )
            .set((consents::scope.eq(&row.scope), consents::granted_at.eq(now)))
            .execute(conn)
        };
        if update(&mut conn)? > 0 {
            return Ok(());
        }
        match diesel::insert_into(consents::table).values(&row).execute(&mut conn) {
            Ok(_) => Ok(()),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                update(&mut conn)?;
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }
}
