use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::schema::clients;
use super::{ClientRecord, ClientStore, Database, StorageError, StorageResult, Timestamp};
use crate::domain::{AuthMethod, Client, ClientId, ClientKind, GrantType, PkcePolicy, RedirectUri};

pub(super) type ClientRow = (
    String,
    String,
    Option<String>,
    String,
    bool,
    bool,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

pub(super) const COLUMNS: (
    clients::id,
    clients::name,
    clients::secret_hash,
    clients::redirect_uris,
    clients::skip_consent,
    clients::pkce_required,
    clients::grant_types,
    clients::token_endpoint_auth_method,
    clients::post_logout_redirect_uris,
    clients::backchannel_logout_uri,
    clients::access_token_ttl_secs,
    clients::refresh_token_ttl_secs,
) = (
    clients::id,
    clients::name,
    clients::secret_hash,
    clients::redirect_uris,
    clients::skip_consent,
    clients::pkce_required,
    clients::grant_types,
    clients::token_endpoint_auth_method,
    clients::post_logout_redirect_uris,
    clients::backchannel_logout_uri,
    clients::access_token_ttl_secs,
    clients::refresh_token_ttl_secs,
);

fn uris(id: &str, json: &str) -> StorageResult<Vec<RedirectUri>> {
    let raw: Vec<String> =
        serde_json::from_str(json).map_err(|e| StorageError::Corrupt(format!("client {id}: {e}")))?;
    raw.iter()
        .map(|u| RedirectUri::parse(u))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| StorageError::Corrupt(format!("client {id}: {e}")))
}

fn uris_json(uris: &[RedirectUri]) -> StorageResult<String> {
    let raw: Vec<&str> = uris.iter().map(RedirectUri::as_str).collect();
    serde_json::to_string(&raw).map_err(|e| StorageError::Corrupt(e.to_string()))
}

fn to_record(row: ClientRow) -> StorageResult<ClientRecord> {
    let (
        id,
        name,
        secret_hash,
        redirect_uris,
        skip_consent,
        pkce_required,
        grant_types,
        auth_method,
        post_logout,
        backchannel,
        access_ttl,
        refresh_ttl,
    ) = row;
    let corrupt = |e: crate::domain::InvalidValue| StorageError::Corrupt(format!("client {id}: {e}"));
    let client = Client {
        id: ClientId::parse(&id).map_err(corrupt)?,
        name,
        kind: if secret_hash.is_some() { ClientKind::Confidential } else { ClientKind::Public },
        redirect_uris: uris(&id, &redirect_uris)?,
        skip_consent,
        pkce: if pkce_required { PkcePolicy::Required } else { PkcePolicy::Optional },
        grant_types: GrantType::parse_list(&grant_types).map_err(corrupt)?,
        auth_method: auth_method.as_deref().map(AuthMethod::parse).transpose().map_err(corrupt)?,
        post_logout_redirect_uris: uris(&id, &post_logout)?,
        backchannel_logout_uri: backchannel,
        access_token_ttl_secs: access_ttl,
        refresh_token_ttl_secs: refresh_ttl,
    };
    Ok(ClientRecord { client, secret_hash })
}

fn grant_types(client: &Client) -> String {
    client.grant_types.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(" ")
}

impl ClientStore for Database {
    fn find_client(&self, client_id: &str) -> StorageResult<Option<ClientRecord>> {
        let row: Option<ClientRow> =
            clients::table.filter(clients::id.eq(client_id)).select(COLUMNS).first(&mut *self.conn()?).optional()?;
        row.map(to_record).transpose()
    }

    fn register_client(&self, client: &Client, secret_hash: Option<&str>, now: Timestamp) -> StorageResult<()> {
        let result = diesel::insert_into(clients::table)
            .values((
                clients::id.eq(client.id.as_str()),
                clients::name.eq(&client.name),
                clients::secret_hash.eq(secret_hash),
                clients::redirect_uris.eq(uris_json(&client.redirect_uris)?),
                clients::skip_consent.eq(client.skip_consent),
                clients::pkce_required.eq(client.pkce == PkcePolicy::Required),
                clients::created_at.eq(now),
                clients::grant_types.eq(grant_types(client)),
                clients::token_endpoint_auth_method.eq(client.auth_method.map(AuthMethod::as_str)),
                clients::post_logout_redirect_uris.eq(uris_json(&client.post_logout_redirect_uris)?),
                clients::backchannel_logout_uri.eq(&client.backchannel_logout_uri),
                clients::access_token_ttl_secs.eq(client.access_token_ttl_secs),
                clients::refresh_token_ttl_secs.eq(client.refresh_token_ttl_secs),
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

    fn update_client(&self, client: &Client) -> StorageResult<bool> {
        let n = diesel::update(clients::table.filter(clients::id.eq(client.id.as_str())))
            .set((
                clients::name.eq(&client.name),
                clients::redirect_uris.eq(uris_json(&client.redirect_uris)?),
                clients::skip_consent.eq(client.skip_consent),
                clients::pkce_required.eq(client.pkce == PkcePolicy::Required),
                clients::grant_types.eq(grant_types(client)),
                clients::token_endpoint_auth_method.eq(client.auth_method.map(AuthMethod::as_str)),
                clients::post_logout_redirect_uris.eq(uris_json(&client.post_logout_redirect_uris)?),
                clients::backchannel_logout_uri.eq(&client.backchannel_logout_uri),
                clients::access_token_ttl_secs.eq(client.access_token_ttl_secs),
                clients::refresh_token_ttl_secs.eq(client.refresh_token_ttl_secs),
            ))
            .execute(&mut *self.conn()?)?;
        Ok(n > 0)
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
