//! Dynamic client registration (RFC 7591 / 7592): initial access tokens, one row each, and the registration access
//! token of each client registered over HTTP.

use diesel::prelude::*;

use super::actions::{ClientStore, RegistrationStore, RegistrationTokenInfo};
use super::clients::{ClientMetadataRow, ClientRow, insert};
use super::db::Database;
use super::error::StorageResult;
use super::records::ClientRecord;
use super::schema::{client_registrations as registrations, registration_tokens as tokens};
use crate::domain::{Client, Timestamp};
use crate::secrets::constant_time_eq;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tokens)]
struct TokenRow<'a> {
    id: &'a str,
    token_hash: &'a str,
    expires_at: i64,
    uses_left: i64,
    created_at: i64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = registrations)]
struct RegistrationRow<'a> {
    client_id: &'a str,
    access_token_hash: &'a str,
    issued_at: i64,
}

impl RegistrationStore for Database {
    fn create_registration_token(
        &self,
        id: &str,
        token_hash: &str,
        expires_at: Timestamp,
        uses: i64,
        now: Timestamp,
    ) -> StorageResult<()> {
        let row = TokenRow { id, token_hash, expires_at, uses_left: uses, created_at: now };
        diesel::insert_into(tokens::table).values(&row).execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn registration_token_usable(&self, token_hash: &str, now: Timestamp) -> StorageResult<bool> {
        let found = diesel::select(diesel::dsl::exists(
            tokens::table
                .filter(tokens::token_hash.eq(token_hash))
                .filter(tokens::expires_at.gt(now))
                .filter(tokens::uses_left.gt(0)),
        ))
        .get_result(&mut *self.conn()?)?;
        Ok(found)
    }

    fn list_registration_tokens(&self, now: Timestamp) -> StorageResult<Vec<RegistrationTokenInfo>> {
        let rows: Vec<(String, i64, i64, i64)> = tokens::table
            .filter(tokens::expires_at.gt(now))
            .select((tokens::id, tokens::expires_at, tokens::uses_left, tokens::created_at))
            .order(tokens::created_at)
            .load(&mut *self.conn()?)?;
        Ok(rows
            .into_iter()
            .map(|(id, expires_at, uses_left, created_at)| RegistrationTokenInfo {
                id,
                expires_at,
                uses_left,
                created_at,
            })
            .collect())
    }

    fn revoke_registration_token(&self, id: &str) -> StorageResult<bool> {
        Ok(diesel::delete(tokens::table.filter(tokens::id.eq(id))).execute(&mut *self.conn()?)? > 0)
    }

    fn register_dynamic_client(
        &self,
        client: &Client,
        secret_hash: Option<&str>,
        access_token_hash: &str,
        initial_token_hash: Option<&str>,
        now: Timestamp,
    ) -> StorageResult<bool> {
        client.check_registration()?;
        let row = ClientRow {
            id: client.id.as_str().to_owned(),
            secret_hash: secret_hash.map(str::to_owned),
            created_at: now,
            metadata: ClientMetadataRow::of(client)?,
            previous_secret_hash: None,
            previous_secret_expires_at: None,
        };
        let registration = RegistrationRow { client_id: client.id.as_str(), access_token_hash, issued_at: now };
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            if let Some(hash) = initial_token_hash {
                // The decrement is the check: a token expired or used up by now changes no row.
                let spent = diesel::update(
                    tokens::table
                        .filter(tokens::token_hash.eq(hash))
                        .filter(tokens::expires_at.gt(now))
                        .filter(tokens::uses_left.gt(0)),
                )
                .set(tokens::uses_left.eq(tokens::uses_left - 1))
                .execute(conn)?;
                if spent == 0 {
                    return Ok(false);
                }
            }
            insert(conn, &row)?;
            diesel::insert_into(registrations::table).values(&registration).execute(conn)?;
            self.catalog.changed(conn)?;
            Ok(true)
        })
    }

    fn find_dynamic_client(
        &self,
        client_id: &str,
        access_token_hash: &str,
    ) -> StorageResult<Option<(ClientRecord, Timestamp)>> {
        let found: Option<(String, i64)> = registrations::table
            .filter(registrations::client_id.eq(client_id))
            .select((registrations::access_token_hash, registrations::issued_at))
            .get_result(&mut *self.conn()?)
            .optional()?;
        let Some((stored, issued_at)) = found else { return Ok(None) };
        if !constant_time_eq(stored.as_bytes(), access_token_hash.as_bytes()) {
            return Ok(None);
        }
        Ok(self.find_client(client_id)?.map(|record| (record, issued_at)))
    }
}
