//! DPoP's shared state (RFC 9449): proof jtis, one row each until the proof window has passed (the primary key makes
//! a second use fail on every node at once), the key a grant is bound to, and the server secret nonces derive from
//! (sealed at rest under the key-encryption key when there is one, as signing keys and TOTP secrets are).

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::actions::DpopStore;
use super::db::Database;
use super::error::StorageResult;
use super::key_encryption::{from_stored, is_sealed, to_stored};
use super::schema::{dpop_proof_jtis, grants, server_secrets};
use crate::domain::Timestamp;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = dpop_proof_jtis)]
struct ProofJtiRow<'a> {
    jkt: &'a str,
    jti: &'a str,
    expires_at: i64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = server_secrets)]
struct ServerSecretRow<'a> {
    name: &'a str,
    secret: &'a [u8],
    created_at: i64,
}

impl DpopStore for Database {
    fn use_dpop_jti(&self, jkt: &str, jti: &str, expires_at: Timestamp) -> StorageResult<bool> {
        let row = ProofJtiRow { jkt, jti, expires_at };
        match diesel::insert_into(dpop_proof_jtis::table).values(&row).execute(&mut *self.conn()?) {
            Ok(_) => Ok(true),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    fn bind_grant_to_dpop_key(&self, grant_id: &str, jkt: &str) -> StorageResult<()> {
        diesel::update(grants::table.filter(grants::id.eq(grant_id)).filter(grants::dpop_jkt.is_null()))
            .set(grants::dpop_jkt.eq(jkt))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn server_secret(&self, name: &str, fresh: &[u8], now: Timestamp) -> StorageResult<Vec<u8>> {
        let kek = self.key_encryption.as_deref();
        let label = format!("server_secrets:{name}");
        let sealed = to_stored(kek, &label, fresh)?;
        let mut conn = self.conn()?;
        let row = ServerSecretRow { name, secret: &sealed, created_at: now };
        // Two nodes starting at once: one insert wins, both read the winner's secret.
        match diesel::insert_into(server_secrets::table).values(&row).execute(&mut *conn) {
            Ok(_) | Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
            Err(e) => return Err(e.into()),
        }
        let stored: Vec<u8> = server_secrets::table
            .filter(server_secrets::name.eq(name))
            .select(server_secrets::secret)
            .get_result(&mut *conn)?;
        // Stored in the clear before a KEK was set: sealed now (the same value, so every node keeps agreeing).
        if kek.is_some() && !is_sealed(&stored) {
            diesel::update(server_secrets::table.filter(server_secrets::name.eq(name)))
                .set(server_secrets::secret.eq(to_stored(kek, &label, &stored)?))
                .execute(&mut *conn)?;
        }
        from_stored(kek, &label, &format!("the server secret {name}"), stored)
    }
}
