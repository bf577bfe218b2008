use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::schema::clients;
use super::{ClientRecord, ClientStore, Database, StorageError, StorageResult, Timestamp};
use crate::domain::{Client, ClientId, ClientKind, PkcePolicy, RedirectUri};

type ClientRow = (String, String, Option<String>, String, bool, bool);

fn to_record(row: ClientRow) -> StorageResult<ClientRecord> {
    let (id, name, secret_hash, redirect_uris, skip_consent, pkce_required) = row;
    let uris: Vec<String> =
        serde_json::from_str(&redirect_uris).map_err(|e| StorageError::Corrupt(format!("client {id}: {e}")))?;
    let redirect_uris = uris
        .iter()
        .map(|u| RedirectUri::parse(u))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| StorageError::Corrupt(format!("client {id}: {e}")))?;
    let client = Client {
        id: ClientId::parse(&id).map_err(|e| StorageError::Corrupt(format!("client id: {e}")))?,
        name,
        kind: if secret_hash.is_some() { ClientKind::Confidential } else { ClientKind::Public },
        redirect_uris,
        skip_consent,
        pkce: if pkce_required { PkcePolicy::Required } else { PkcePolicy::Optional },
    };
    Ok(ClientRecord { client, secret_hash })
}

const COLUMNS: (
    clients::id,
    clients::name,
    clients::secret_hash,
    clients::redirect_uris,
    clients::skip_consent,
    clients::pkce_required,
) = (
    clients::id,
    clients::name,
    clients::secret_hash,
    clients::redirect_uris,
    clients::skip_consent,
    clients::pkce_required,
);

impl ClientStore for Database {
    fn find_client(&self, client_id: &str) -> StorageResult<Option<ClientRecord>> {
        let row: Option<ClientRow> =
            clients::table.filter(clients::id.eq(client_id)).select(COLUMNS).first(&mut *self.conn()?).optional()?;
        row.map(to_record).transpose()
    }

    fn register_client(&self, client: &Client, secret_hash: Option<&str>, now: Timestamp) -> StorageResult<()> {
        let uris: Vec<&str> = client.redirect_uris.iter().map(RedirectUri::as_str).collect();
        let uris = serde_json::to_string(&uris).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        let result = diesel::insert_into(clients::table)
            .values((
                clients::id.eq(client.id.as_str()),
                clients::name.eq(&client.name),
                clients::secret_hash.eq(secret_hash),
                clients::redirect_uris.eq(uris),
                clients::skip_consent.eq(client.skip_consent),
                clients::pkce_required.eq(client.pkce == PkcePolicy::Required),
                clients::created_at.eq(now),
            ))
            .execute(&mut *self.conn()?);
        match result {
            Ok(_) => Ok(()),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                Err(StorageError::AlreadyExists("a client with this id"))
            }
            Err(e) => Err(e.into()),
        }
    }

    fn list_clients(&self) -> StorageResult<Vec<ClientRecord>> {
        let rows: Vec<ClientRow> = clients::table.select(COLUMNS).order(clients::id).load(&mut *self.conn()?)?;
        rows.into_iter().map(to_record).collect()
    }

    fn remove_client(&self, client_id: &str) -> StorageResult<bool> {
        let n = diesel::delete(clients::table.filter(clients::id.eq(client_id))).execute(&mut *self.conn()?)?;
        Ok(n > 0)
    }
}
