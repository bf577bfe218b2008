//! Values used once (client assertion jtis), one row each until they expire; the primary key makes a second use
//! fail on every node at once.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::actions::ReplayStore;
use super::db::Database;
use super::error::StorageResult;
use super::schema::client_assertion_jtis;
use crate::domain::Timestamp;

/// A `client_assertion_jtis` row.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = client_assertion_jtis)]
struct AssertionJtiRow<'a> {
    client_id: &'a str,
    jti: &'a str,
    expires_at: i64,
}

impl ReplayStore for Database {
    fn use_assertion_jti(&self, client_id: &str, jti: &str, expires_at: Timestamp) -> StorageResult<bool> {
        let row = AssertionJtiRow { client_id, jti, expires_at };
        match diesel::insert_into(client_assertion_jtis::table).values(&row).execute(&mut *self.conn()?) {
            Ok(_) => Ok(true),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}
