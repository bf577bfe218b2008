//! Registered clients, one row each.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::actions::{ClientAdmin, ClientStore};
use super::connection::AnyConnection;
use super::db::Database;
use super::error::{StorageError, StorageResult, corrupt};
use super::records::{ClientRecord, PreviousSecret};
use super::schema::clients;
use crate::domain::{
    AuthMethod, Client, ClientId, ClientKind, GrantType, GroupName, InvalidValue, PkcePolicy, RedirectUri, Scope,
    SigningAlg, Timestamp,
};

/// A `clients` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = clients)]
pub(super) struct ClientRow {
    pub id: String,
    /// SHA-256 of the secret; NULL for a public client.
    pub secret_hash: Option<String>,
    pub created_at: i64,
    #[diesel(embed)]
    pub metadata: ClientMetadataRow,
    /// The secret replaced by the last rotation, and until when it still works.
    pub previous_secret_hash: Option<String>,
    pub previous_secret_expires_at: Option<i64>,
}

/// The registration metadata of a client: what `client update` replaces.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = clients, treat_none_as_null = true)]
pub(super) struct ClientMetadataRow {
    pub name: String,
    /// JSON array of strings, matched exactly.
    pub redirect_uris: String,
    pub skip_consent: bool,
    pub pkce_required: bool,
    /// Space-separated.
    pub grant_types: String,
    pub token_endpoint_auth_method: Option<String>,
    /// JSON array of strings.
    pub post_logout_redirect_uris: String,
    pub backchannel_logout_uri: Option<String>,
    pub access_token_ttl_secs: Option<i64>,
    pub refresh_token_ttl_secs: Option<i64>,
    /// The scopes allowed beyond OpenID Connect's, space-separated.
    pub scope: String,
    pub refresh_token_reuse_grace_secs: Option<i64>,
    /// A `data:image/…;base64` URI.
    pub logo_uri: Option<String>,
    pub client_uri: Option<String>,
    pub policy_uri: Option<String>,
    pub tos_uri: Option<String>,
    pub require_mfa: bool,
    pub id_token_signed_response_alg: Option<String>,
    /// A JWKS document (private_key_jwt).
    pub jwks: Option<String>,
    pub jwks_uri: Option<String>,
    pub require_pushed_authorization_requests: bool,
    pub access_token_groups: bool,
    /// Group names, space-separated; empty: no restriction.
    pub allowed_groups: String,
    pub device_code_ttl_secs: Option<i64>,
    pub dpop_bound_access_tokens: bool,
}

impl ClientMetadataRow {
    pub(super) fn of(client: &Client) -> StorageResult<ClientMetadataRow> {
        Ok(ClientMetadataRow {
            name: client.name.clone(),
            redirect_uris: uris_json(&client.redirect_uris)?,
            skip_consent: client.skip_consent,
            pkce_required: client.pkce == PkcePolicy::Required,
            grant_types: client.grant_types.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(" "),
            token_endpoint_auth_method: client.auth_method.map(|m| m.as_str().to_owned()),
            post_logout_redirect_uris: uris_json(&client.post_logout_redirect_uris)?,
            backchannel_logout_uri: client.backchannel_logout_uri.clone(),
            access_token_ttl_secs: client.access_token_ttl_secs,
            refresh_token_ttl_secs: client.refresh_token_ttl_secs,
            scope: client.scope.to_string(),
            refresh_token_reuse_grace_secs: client.refresh_token_reuse_grace_secs,
            logo_uri: client.logo_uri.clone(),
            client_uri: client.client_uri.clone(),
            policy_uri: client.policy_uri.clone(),
            tos_uri: client.tos_uri.clone(),
            require_mfa: client.require_mfa,
            id_token_signed_response_alg: client.id_token_signed_response_alg.map(|a| a.as_str().to_owned()),
            jwks: client.jwks.clone(),
            jwks_uri: client.jwks_uri.clone(),
            require_pushed_authorization_requests: client.require_pushed_authorization_requests,
            access_token_groups: client.access_token_groups,
            allowed_groups: client.allowed_groups.iter().map(GroupName::as_str).collect::<Vec<_>>().join(" "),
            device_code_ttl_secs: client.device_code_ttl_secs,
            dpop_bound_access_tokens: client.dpop_bound_access_tokens,
        })
    }
}

impl ClientRow {
    /// The domain client this row holds; a value that no longer parses is corrupt data.
    pub(super) fn into_record(self) -> StorageResult<ClientRecord> {
        let id = self.id;
        let m = self.metadata;
        let bad = corrupt(format!("client {id}"));
        let auth_method = m.token_endpoint_auth_method.as_deref().map(AuthMethod::parse).transpose().map_err(&bad)?;
        // A private_key_jwt client proves itself with its key, not a secret: confidential without a secret hash.
        let confidential = self.secret_hash.is_some() || auth_method == Some(AuthMethod::PrivateKeyJwt);
        let client = Client {
            id: ClientId::parse(&id).map_err(&bad)?,
            name: m.name,
            kind: if confidential { ClientKind::Confidential } else { ClientKind::Public },
            redirect_uris: parse_uris(&m.redirect_uris).map_err(&bad)?,
            skip_consent: m.skip_consent,
            pkce: if m.pkce_required { PkcePolicy::Required } else { PkcePolicy::Optional },
            grant_types: GrantType::parse_list(&m.grant_types).map_err(&bad)?,
            auth_method,
            post_logout_redirect_uris: parse_uris(&m.post_logout_redirect_uris).map_err(&bad)?,
            backchannel_logout_uri: m.backchannel_logout_uri,
            access_token_ttl_secs: m.access_token_ttl_secs,
            refresh_token_ttl_secs: m.refresh_token_ttl_secs,
            scope: Scope::parse_list(&m.scope).map_err(&bad)?,
            refresh_token_reuse_grace_secs: m.refresh_token_reuse_grace_secs,
            logo_uri: m.logo_uri,
            client_uri: m.client_uri,
            policy_uri: m.policy_uri,
            tos_uri: m.tos_uri,
            require_mfa: m.require_mfa,
            id_token_signed_response_alg: m
                .id_token_signed_response_alg
                .as_deref()
                .map(SigningAlg::parse)
                .transpose()
                .map_err(&bad)?,
            jwks: m.jwks,
            jwks_uri: m.jwks_uri,
            require_pushed_authorization_requests: m.require_pushed_authorization_requests,
            access_token_groups: m.access_token_groups,
            allowed_groups: GroupName::parse_list(&m.allowed_groups).map_err(&bad)?,
            device_code_ttl_secs: m.device_code_ttl_secs,
            dpop_bound_access_tokens: m.dpop_bound_access_tokens,
        };
        let previous_secret = match (self.previous_secret_hash, self.previous_secret_expires_at) {
            (Some(hash), Some(expires_at)) => Some(PreviousSecret { hash, expires_at }),
            _ => None,
        };
        Ok(ClientRecord { client, secret_hash: self.secret_hash, previous_secret })
    }
}

fn parse_uris(json: &str) -> Result<Vec<RedirectUri>, InvalidValue> {
    let raw: Vec<String> = serde_json::from_str(json).map_err(|e| InvalidValue(format!("redirect URI list: {e}")))?;
    raw.iter().map(|u| RedirectUri::parse(u)).collect()
}

fn uris_json(uris: &[RedirectUri]) -> StorageResult<String> {
    let raw: Vec<&str> = uris.iter().map(RedirectUri::as_str).collect();
    serde_json::to_string(&raw).map_err(|e| StorageError::Corrupt(e.to_string()))
}

/// Inserts a client row, refusing a duplicate id; shared by registration and import.
pub(super) fn insert(conn: &mut AnyConnection, row: &ClientRow) -> StorageResult<()> {
    match diesel::insert_into(clients::table).values(row).execute(conn) {
        Ok(_) => Ok(()),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            Err(StorageError::AlreadyExists("a client with this id"))
        }
        Err(e) => Err(e.into()),
    }
}

impl ClientStore for Database {
    fn find_client(&self, client_id: &str) -> StorageResult<Option<ClientRecord>> {
        self.catalog.client(&|| self.conn(), client_id, |conn| {
            let row: Option<ClientRow> = clients::table
                .filter(clients::id.eq(client_id))
                .select(ClientRow::as_select())
                .get_result(conn)
                .optional()?;
            row.map(ClientRow::into_record).transpose()
        })
    }

    fn register_client(&self, client: &Client, secret_hash: Option<&str>, now: Timestamp) -> StorageResult<()> {
        client.check_registration()?;
        let row = ClientRow {
            id: client.id.as_str().to_owned(),
            secret_hash: secret_hash.map(str::to_owned),
            created_at: now,
            metadata: ClientMetadataRow::of(client)?,
            previous_secret_hash: None,
            previous_secret_expires_at: None,
        };
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            insert(conn, &row)?;
            Ok(self.catalog.changed(conn)?)
        })
    }

    fn update_client(&self, client: &Client) -> StorageResult<bool> {
        client.check_registration()?;
        let changes = ClientMetadataRow::of(client)?;
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let n =
                diesel::update(clients::table.filter(clients::id.eq(client.id.as_str()))).set(changes).execute(conn)?;
            self.catalog.changed(conn)?;
            Ok(n > 0)
        })
    }

    fn list_clients(&self) -> StorageResult<Vec<ClientRecord>> {
        let rows: Vec<ClientRow> =
            clients::table.select(ClientRow::as_select()).order(clients::id).load(&mut *self.conn()?)?;
        rows.into_iter().map(ClientRow::into_record).collect()
    }

    fn any_client_registered(&self) -> StorageResult<bool> {
        self.catalog.any_client(&|| self.conn(), |conn| {
            let operators = clients::table.filter(clients::id.ne(crate::domain::client::BUILT_IN_ADMIN_CLIENT_ID));
            Ok(diesel::select(diesel::dsl::exists(operators.select(clients::id))).get_result(conn)?)
        })
    }

    fn remove_client(&self, client_id: &str) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let n = diesel::delete(clients::table.filter(clients::id.eq(client_id))).execute(conn)?;
            self.catalog.changed(conn)?;
            Ok(n > 0)
        })
    }
}

impl ClientAdmin for Database {
    fn rotate_secret(&self, client_id: &str, new_hash: &str, previous_until: Option<Timestamp>) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let current: Option<Option<String>> =
                clients::table.filter(clients::id.eq(client_id)).select(clients::secret_hash).first(conn).optional()?;
            let Some(Some(current)) = current else { return Ok(false) };
            let previous = previous_until.map(|until| (current, until));
            diesel::update(clients::table.filter(clients::id.eq(client_id)))
                .set((
                    clients::secret_hash.eq(Some(new_hash)),
                    clients::previous_secret_hash.eq(previous.as_ref().map(|(hash, _)| hash.as_str())),
                    clients::previous_secret_expires_at.eq(previous.as_ref().map(|(_, until)| *until)),
                ))
                .execute(conn)?;
            self.catalog.changed(conn)?;
            Ok(true)
        })
    }

    fn client_created_at(&self) -> StorageResult<Vec<(String, Timestamp)>> {
        Ok(clients::table.select((clients::id, clients::created_at)).order(clients::id).load(&mut *self.conn()?)?)
    }
}
