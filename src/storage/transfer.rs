//! Moving a deployment between backends (`tessera export` / `tessera import`): users, clients, resources,
//! consents, groups, signing keys, users' second factors (TOTP secrets and recovery codes) and dynamic
//! registrations' access-token hashes as JSON lines, read from and written to the same row structs as every other query. Sessions, codes
//! and tokens are not moved: users sign in again after a move, and relying parties keep verifying old tokens because
//! the keys move with them. An import goes through the same rules as every other way in: a username or a client
//! registration that breaks one is refused, and nothing is imported.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::clients::{self, ClientMetadataRow, ClientRow};
use super::connection::AnyConnection;
use super::consents::ConsentRow;
use super::db::Database;
use super::error::{StorageError, StorageResult, corrupt};
use super::groups::{self, GroupRow};
use super::keys::{self, KeyRow};
use super::passkeys::PasskeyRow;
use super::resources::{self, ResourceRow};
use super::schema::{
    client_registrations, clients as clients_table, consents, groups as groups_table, passkeys, recovery_codes,
    resources as resources_table, signing_keys, user_totp, users as users_table,
};
use super::users::{self, AttributeColumns, UserRow};
use crate::domain::client::BUILT_IN_ADMIN_CLIENT_ID;
use crate::domain::group::parse_description;
use crate::domain::{Address, GroupName, InvalidValue, KeyState, Scope, SigningAlg, UserAttributes, Username};

/// One line of an export. Password hashes, client secret hashes and private keys are included: the file is as
/// sensitive as the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
// A user record is large (its claims); exports are read once, record by record, so boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum ExportRecord {
    User {
        id: String,
        username: String,
        password_hash: String,
        email: Option<String>,
        email_verified: bool,
        name: Option<String>,
        created_at: i64,
        updated_at: i64,
        // The standard claims (OpenID Connect Core §5.1), absent from exports made before they were stored and
        // left out when unset, so those files and these read alike.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        given_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        family_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        middle_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nickname: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        profile: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        picture: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gender: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        birthdate: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        zoneinfo: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locale: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        phone_number: Option<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        phone_number_verified: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        address: Option<Address>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        disabled: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_login_at: Option<i64>,
    },
    Client {
        id: String,
        name: String,
        secret_hash: Option<String>,
        redirect_uris: Vec<String>,
        skip_consent: bool,
        pkce_required: bool,
        created_at: i64,
        #[serde(default = "default_grant_types")]
        grant_types: String,
        #[serde(default)]
        token_endpoint_auth_method: Option<String>,
        #[serde(default)]
        post_logout_redirect_uris: Vec<String>,
        #[serde(default)]
        backchannel_logout_uri: Option<String>,
        #[serde(default)]
        access_token_ttl_secs: Option<i64>,
        #[serde(default)]
        refresh_token_ttl_secs: Option<i64>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        scope: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        refresh_token_reuse_grace_secs: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        logo_uri: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_uri: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy_uri: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tos_uri: Option<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        require_mfa: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id_token_signed_response_alg: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        jwks: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        jwks_uri: Option<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        require_pushed_authorization_requests: bool,
        access_token_groups: bool,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        allowed_groups: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        device_code_ttl_secs: Option<i64>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        dpop_bound_access_tokens: bool,
    },
    Resource {
        id: String,
        scope: String,
        access_token_ttl_secs: Option<i64>,
        created_at: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        access_token_signed_response_alg: Option<String>,
    },
    Consent {
        user_id: String,
        client_id: String,
        scope: String,
        granted_at: i64,
    },
    Key {
        kid: String,
        state: String,
        /// PKCS#8 DER, base64.
        private_key: String,
        created_at: i64,
        activated_at: Option<i64>,
        deactivated_at: Option<i64>,
        publish_until: Option<i64>,
        /// Keys exported before there were several algorithms are RS256.
        #[serde(default = "rs256")]
        alg: String,
    },
    /// A group and its members, by subject (after the users in the file).
    Group {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        created_at: i64,
        #[serde(default)]
        members: Vec<String>,
    },
    /// A user's TOTP second factor (after the users). The secret as stored: sealed under the key-encryption key
    /// when there is one (it opens only with that KEK, on that user's row), else raw; base64.
    Totp {
        user_id: String,
        secret: String,
        created_at: i64,
        last_used_step: Option<i64>,
    },
    /// A recovery code's SHA-256 (the code itself is never stored).
    RecoveryCode {
        user_id: String,
        code_hash: String,
        created_at: i64,
        used_at: Option<i64>,
    },
    /// A user's passkey: the credential webauthn-rs keeps (public key, algorithm, counter; nothing secret), its name,
    /// counter and backup flags (after the users).
    Passkey {
        credential_id: String,
        user_id: String,
        name: String,
        credential: String,
        sign_count: i64,
        backup_eligible: bool,
        backup_state: bool,
        created_at: i64,
        last_used_at: Option<i64>,
    },
    /// A dynamically registered client's registration access token (RFC 7592), as its SHA-256, so that its
    /// owner can still manage it after a move (after the clients).
    Registration {
        client_id: String,
        access_token_hash: String,
        issued_at: i64,
    },
}

fn default_grant_types() -> String {
    "authorization_code refresh_token".into()
}

pub trait Transfer {
    /// Users, clients, consents and signing keys, for `tessera export`.
    fn export_records(&self) -> StorageResult<Vec<ExportRecord>>;
    /// Inserts exported records in one transaction into a database without users or clients, under the same
    /// rules as every other way in (a client that breaks a registration rule is refused).
    fn import_records(&self, records: &[ExportRecord]) -> StorageResult<usize>;
}

impl ExportRecord {
    fn of_user(row: UserRow) -> StorageResult<ExportRecord> {
        let a = row.attributes.into_attributes(&row.id)?;
        Ok(ExportRecord::User {
            id: row.id,
            username: row.username,
            password_hash: row.password_hash,
            email: row.email,
            email_verified: row.email_verified,
            name: row.name,
            created_at: row.created_at,
            updated_at: row.updated_at,
            given_name: a.given_name,
            family_name: a.family_name,
            middle_name: a.middle_name,
            nickname: a.nickname,
            profile: a.profile,
            picture: a.picture,
            website: a.website,
            gender: a.gender,
            birthdate: a.birthdate,
            zoneinfo: a.zoneinfo,
            locale: a.locale,
            phone_number: a.phone_number,
            phone_number_verified: a.phone_number_verified,
            address: a.address,
            disabled: row.disabled,
            last_login_at: row.last_login_at,
        })
    }

    fn of_client(row: ClientRow) -> StorageResult<ExportRecord> {
        let m = row.metadata;
        let corrupt = |e: serde_json::Error| StorageError::Corrupt(format!("client {}: {e}", row.id));
        Ok(ExportRecord::Client {
            redirect_uris: serde_json::from_str(&m.redirect_uris).map_err(corrupt)?,
            post_logout_redirect_uris: serde_json::from_str(&m.post_logout_redirect_uris).map_err(corrupt)?,
            id: row.id,
            name: m.name,
            secret_hash: row.secret_hash,
            skip_consent: m.skip_consent,
            pkce_required: m.pkce_required,
            created_at: row.created_at,
            grant_types: m.grant_types,
            token_endpoint_auth_method: m.token_endpoint_auth_method,
            backchannel_logout_uri: m.backchannel_logout_uri,
            access_token_ttl_secs: m.access_token_ttl_secs,
            refresh_token_ttl_secs: m.refresh_token_ttl_secs,
            scope: m.scope,
            refresh_token_reuse_grace_secs: m.refresh_token_reuse_grace_secs,
            logo_uri: m.logo_uri,
            client_uri: m.client_uri,
            policy_uri: m.policy_uri,
            tos_uri: m.tos_uri,
            require_mfa: m.require_mfa,
            id_token_signed_response_alg: m.id_token_signed_response_alg,
            jwks: m.jwks,
            jwks_uri: m.jwks_uri,
            require_pushed_authorization_requests: m.require_pushed_authorization_requests,
            access_token_groups: m.access_token_groups,
            allowed_groups: m.allowed_groups,
            device_code_ttl_secs: m.device_code_ttl_secs,
            dpop_bound_access_tokens: m.dpop_bound_access_tokens,
        })
    }
}

impl Transfer for Database {
    fn export_records(&self) -> StorageResult<Vec<ExportRecord>> {
        let mut conn = self.conn()?;
        let mut out = Vec::new();
        let user_rows: Vec<UserRow> =
            users_table::table.select(UserRow::as_select()).order(users_table::created_at).load(&mut conn)?;
        for row in user_rows {
            out.push(ExportRecord::of_user(row)?);
        }
        let client_rows: Vec<ClientRow> =
            clients_table::table.select(ClientRow::as_select()).order(clients_table::created_at).load(&mut conn)?;
        // The built-in admin client is made by every start, not moved.
        for row in client_rows.into_iter().filter(|r| r.id != BUILT_IN_ADMIN_CLIENT_ID) {
            out.push(ExportRecord::of_client(row)?);
        }
        let resource_rows: Vec<ResourceRow> = resources_table::table
            .select(ResourceRow::as_select())
            .order(resources_table::created_at)
            .load(&mut conn)?;
        out.extend(resource_rows.into_iter().map(|r| ExportRecord::Resource {
            id: r.id,
            scope: r.scope,
            access_token_ttl_secs: r.access_token_ttl_secs,
            created_at: r.created_at,
            access_token_signed_response_alg: r.access_token_signed_response_alg,
        }));
        let consent_rows: Vec<ConsentRow> = consents::table.select(ConsentRow::as_select()).load(&mut conn)?;
        out.extend(consent_rows.into_iter().map(|c| ExportRecord::Consent {
            user_id: c.user_id,
            client_id: c.client_id,
            scope: c.scope,
            granted_at: c.granted_at,
        }));
        let group_rows: Vec<GroupRow> =
            groups_table::table.select(GroupRow::as_select()).order(groups_table::name).load(&mut conn)?;
        let memberships = groups::all_memberships(&mut conn)?;
        out.extend(group_rows.into_iter().map(|g| ExportRecord::Group {
            members: memberships.iter().filter(|(group, _)| *group == g.name).map(|(_, user)| user.clone()).collect(),
            name: g.name,
            description: g.description,
            created_at: g.created_at,
        }));
        let totp_rows: Vec<(String, Vec<u8>, i64, Option<i64>)> = user_totp::table
            .select((user_totp::user_id, user_totp::secret, user_totp::created_at, user_totp::last_used_step))
            .order(user_totp::user_id)
            .load(&mut conn)?;
        out.extend(totp_rows.into_iter().map(|(user_id, secret, created_at, last_used_step)| ExportRecord::Totp {
            user_id,
            secret: STANDARD.encode(secret),
            created_at,
            last_used_step,
        }));
        let code_rows: Vec<(String, String, i64, Option<i64>)> = recovery_codes::table
            .select((
                recovery_codes::user_id,
                recovery_codes::code_hash,
                recovery_codes::created_at,
                recovery_codes::used_at,
            ))
            .order((recovery_codes::user_id, recovery_codes::code_hash))
            .load(&mut conn)?;
        out.extend(code_rows.into_iter().map(|(user_id, code_hash, created_at, used_at)| ExportRecord::RecoveryCode {
            user_id,
            code_hash,
            created_at,
            used_at,
        }));
        let passkey_rows: Vec<PasskeyRow> = passkeys::table
            .select(PasskeyRow::as_select())
            .order((passkeys::user_id, passkeys::created_at, passkeys::credential_id))
            .load(&mut conn)?;
        out.extend(passkey_rows.into_iter().map(|p| ExportRecord::Passkey {
            credential_id: p.credential_id,
            user_id: p.user_id,
            name: p.name,
            credential: p.credential,
            sign_count: p.sign_count,
            backup_eligible: p.backup_eligible,
            backup_state: p.backup_state,
            created_at: p.created_at,
            last_used_at: p.last_used_at,
        }));
        let registration_rows: Vec<(String, String, i64)> = client_registrations::table
            .select((
                client_registrations::client_id,
                client_registrations::access_token_hash,
                client_registrations::issued_at,
            ))
            .order(client_registrations::client_id)
            .load(&mut conn)?;
        out.extend(registration_rows.into_iter().map(|(client_id, access_token_hash, issued_at)| {
            ExportRecord::Registration { client_id, access_token_hash, issued_at }
        }));
        drop(conn);
        // As stored: a private key sealed under the key-encryption key stays sealed in the export.
        for key in self.load_key_rows()? {
            out.push(ExportRecord::Key {
                kid: key.kid,
                state: key.state,
                private_key: STANDARD.encode(key.private_key),
                created_at: key.created_at,
                activated_at: key.activated_at,
                deactivated_at: key.deactivated_at,
                publish_until: key.publish_until,
                alg: key.alg.as_str().to_owned(),
            });
        }
        Ok(out)
    }

    fn import_records(&self, records: &[ExportRecord]) -> StorageResult<usize> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let existing: i64 = users_table::table.count().get_result(conn)?;
            let existing_clients: i64 =
                clients_table::table.filter(clients_table::id.ne(BUILT_IN_ADMIN_CLIENT_ID)).count().get_result(conn)?;
            if existing + existing_clients > 0 {
                return Err(StorageError::AlreadyExists("data in the target database (import needs an empty one)"));
            }
            // A target that was started before the import generated keys of its own; the imported keys replace
            // them, so tokens signed before the move keep verifying.
            if records.iter().any(|r| matches!(r, ExportRecord::Key { .. })) {
                diesel::delete(signing_keys::table).execute(conn)?;
            }
            for record in records {
                import_record(conn, record)?;
            }
            // Clients and resources came in: every node's in-memory copy must follow (`storage::catalog`).
            self.catalog.changed(conn)?;
            Ok(records.len())
        })
    }
}

/// Inserts one record through the same rows, and the same rules, as the rest of storage.
fn import_record(conn: &mut AnyConnection, record: &ExportRecord) -> StorageResult<()> {
    match record.clone() {
        ExportRecord::User {
            id,
            username,
            password_hash,
            email,
            email_verified,
            name,
            created_at,
            updated_at,
            given_name,
            family_name,
            middle_name,
            nickname,
            profile,
            picture,
            website,
            gender,
            birthdate,
            zoneinfo,
            locale,
            phone_number,
            phone_number_verified,
            address,
            disabled,
            last_login_at,
        } => {
            Username::parse(&username)?;
            // A user's `sub` is its id: a UUID, which no client id can be (`ClientId::parse` refuses them), so a
            // client-credentials token's `sub` never names a user. An edited export must not break that.
            if uuid::Uuid::try_parse(&id).is_err() {
                return Err(StorageError::Invalid(InvalidValue(format!(
                    "user {username}: its id {id:?} is not a UUID"
                ))));
            }
            let attributes = UserAttributes {
                given_name,
                family_name,
                middle_name,
                nickname,
                profile,
                picture,
                website,
                gender,
                birthdate,
                zoneinfo,
                locale,
                phone_number,
                phone_number_verified,
                address,
            };
            let row = UserRow {
                id,
                username,
                password_hash,
                email,
                email_verified,
                name,
                created_at,
                updated_at,
                attributes: AttributeColumns::of(&attributes)?,
                disabled,
                last_login_at,
            };
            users::insert(conn, &row)
        }
        ExportRecord::Client {
            id,
            name,
            secret_hash,
            redirect_uris,
            skip_consent,
            pkce_required,
            created_at,
            grant_types,
            token_endpoint_auth_method,
            post_logout_redirect_uris,
            backchannel_logout_uri,
            access_token_ttl_secs,
            refresh_token_ttl_secs,
            scope,
            refresh_token_reuse_grace_secs,
            logo_uri,
            client_uri,
            policy_uri,
            tos_uri,
            require_mfa,
            id_token_signed_response_alg,
            jwks,
            jwks_uri,
            require_pushed_authorization_requests,
            access_token_groups,
            allowed_groups,
            device_code_ttl_secs,
            dpop_bound_access_tokens,
        } => {
            let json = |v: &Vec<String>| serde_json::to_string(v).map_err(|e| StorageError::Corrupt(e.to_string()));
            let row = ClientRow {
                id,
                secret_hash,
                created_at,
                metadata: ClientMetadataRow {
                    name,
                    redirect_uris: json(&redirect_uris)?,
                    skip_consent,
                    pkce_required,
                    grant_types,
                    token_endpoint_auth_method,
                    post_logout_redirect_uris: json(&post_logout_redirect_uris)?,
                    backchannel_logout_uri,
                    access_token_ttl_secs,
                    refresh_token_ttl_secs,
                    scope,
                    refresh_token_reuse_grace_secs,
                    logo_uri,
                    client_uri,
                    policy_uri,
                    tos_uri,
                    require_mfa,
                    id_token_signed_response_alg,
                    jwks,
                    jwks_uri,
                    require_pushed_authorization_requests,
                    access_token_groups,
                    allowed_groups,
                    device_code_ttl_secs,
                    dpop_bound_access_tokens,
                },
                previous_secret_hash: None,
                previous_secret_expires_at: None,
            };
            // Every value parses and the registration as a whole follows the rules, as for `client add`.
            let client = row.clone().into_record().map_err(|e| match e {
                StorageError::Corrupt(message) => StorageError::Invalid(InvalidValue(message)),
                e => e,
            })?;
            client.client.check_registration()?;
            clients::insert(conn, &row)
        }
        ExportRecord::Resource { id, scope, access_token_ttl_secs, created_at, access_token_signed_response_alg } => {
            let row = ResourceRow { id, scope, access_token_ttl_secs, created_at, access_token_signed_response_alg };
            let resource = row.into_resource().map_err(|e| match e {
                StorageError::Corrupt(message) => StorageError::Invalid(InvalidValue(message)),
                e => e,
            })?;
            resources::insert(conn, &resource, created_at)
        }
        ExportRecord::Consent { user_id, client_id, scope, granted_at } => {
            Scope::parse(&scope)?;
            diesel::insert_into(consents::table)
                .values(ConsentRow { user_id, client_id, scope, granted_at })
                .execute(conn)?;
            Ok(())
        }
        ExportRecord::Key { kid, state, private_key, created_at, activated_at, deactivated_at, publish_until, alg } => {
            let der = STANDARD.decode(&private_key).map_err(|e| StorageError::Corrupt(format!("key {kid}: {e}")))?;
            KeyState::parse(&state).map_err(corrupt(format!("key {kid}")))?;
            SigningAlg::parse(&alg).map_err(corrupt(format!("key {kid}")))?;
            let row =
                KeyRow { kid, state, private_key: der, created_at, activated_at, deactivated_at, publish_until, alg };
            keys::insert_row(conn, &row)?;
            Ok(())
        }
        ExportRecord::Group { name, description, created_at, members } => {
            GroupName::parse(&name)?;
            let description = description.as_deref().map(parse_description).transpose()?.flatten();
            groups::insert(conn, &GroupRow { name: name.clone(), description, created_at })?;
            for subject in members {
                groups::insert_member(conn, &name, &subject, created_at)?;
            }
            Ok(())
        }
        ExportRecord::Totp { user_id, secret, created_at, last_used_step } => {
            let secret =
                STANDARD.decode(&secret).map_err(|e| StorageError::Corrupt(format!("TOTP of {user_id}: {e}")))?;
            if secret.is_empty() {
                return Err(StorageError::Corrupt(format!("TOTP of {user_id}: empty secret")));
            }
            diesel::insert_into(user_totp::table)
                .values((
                    user_totp::user_id.eq(&user_id),
                    user_totp::secret.eq(secret),
                    user_totp::created_at.eq(created_at),
                    user_totp::last_used_step.eq(last_used_step),
                ))
                .execute(conn)?;
            Ok(())
        }
        ExportRecord::RecoveryCode { user_id, code_hash, created_at, used_at } => {
            diesel::insert_into(recovery_codes::table)
                .values((
                    recovery_codes::code_hash.eq(code_hash),
                    recovery_codes::user_id.eq(user_id),
                    recovery_codes::created_at.eq(created_at),
                    recovery_codes::used_at.eq(used_at),
                ))
                .execute(conn)?;
            Ok(())
        }
        ExportRecord::Passkey {
            credential_id,
            user_id,
            name,
            credential,
            sign_count,
            backup_eligible,
            backup_state,
            created_at,
            last_used_at,
        } => {
            // The credential is webauthn-rs's JSON; a file edited into something else is refused here rather than
            // failing at the user's next sign-in.
            serde_json::from_str::<serde_json::Value>(&credential)
                .map_err(|e| StorageError::Corrupt(format!("passkey {credential_id}: {e}")))?;
            let row = PasskeyRow {
                credential_id,
                user_id,
                name,
                credential,
                sign_count,
                backup_eligible,
                backup_state,
                created_at,
                last_used_at,
            };
            diesel::insert_into(passkeys::table).values(&row).execute(conn)?;
            Ok(())
        }
        ExportRecord::Registration { client_id, access_token_hash, issued_at } => {
            diesel::insert_into(client_registrations::table)
                .values((
                    client_registrations::client_id.eq(client_id),
                    client_registrations::access_token_hash.eq(access_token_hash),
                    client_registrations::issued_at.eq(issued_at),
                ))
                .execute(conn)?;
            Ok(())
        }
    }
}

/// The algorithm of a key exported before keys had one.
fn rs256() -> String {
    "RS256".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE_CLAIMS: &str = r#"{"type":"user","id":"s-1","username":"alice","password_hash":"$argon2id$x","email":"a@example.com","email_verified":true,"name":"Alice","created_at":1,"updated_at":2}"#;

    #[test]
    fn exports_made_before_the_standard_claims_still_read_and_unset_claims_are_left_out() {
        let record: ExportRecord = serde_json::from_str(BEFORE_CLAIMS).unwrap();
        let ExportRecord::User { given_name, phone_number_verified, address, .. } = &record else {
            panic!("{record:?}")
        };
        assert_eq!((given_name, phone_number_verified, address), (&None, &false, &None));
        assert_eq!(serde_json::to_string(&record).unwrap(), BEFORE_CLAIMS);
    }

    #[test]
    fn set_claims_are_exported() {
        let mut record: ExportRecord = serde_json::from_str(BEFORE_CLAIMS).unwrap();
        if let ExportRecord::User { locale, phone_number_verified, address, .. } = &mut record {
            *locale = Some("fr-FR".into());
            *phone_number_verified = true;
            *address = Some(Address { country: Some("FR".into()), ..Address::default() });
        }
        let json: serde_json::Value = serde_json::to_value(&record).unwrap();
        assert_eq!(json["locale"], "fr-FR");
        assert_eq!(json["phone_number_verified"], true);
        assert_eq!(json["address"], serde_json::json!({"country": "FR"}));
        assert_eq!(serde_json::from_value::<ExportRecord>(json).unwrap(), record);
    }
}
