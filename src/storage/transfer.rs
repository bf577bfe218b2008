//! Moving a deployment between backends (`tessera export` / `tessera import`): users, clients, consents and
//! signing keys as JSON lines. Sessions, codes and tokens are not moved: users sign in again after a move, and
//! relying parties keep verifying old tokens because the keys move with them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::clients::{COLUMNS as CLIENT_COLUMNS, ClientRow};
use super::keys::insert as insert_key;
use super::schema::{clients, consents, signing_keys, users};
use super::users::{ClaimColumns, claim_columns};
use super::{Database, KeyRecord, KeyStoreRepository, StorageError, StorageResult, Transfer};
use crate::domain::{Address, UserClaims};

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
    },
}

fn default_grant_types() -> String {
    "authorization_code refresh_token".into()
}

type UserRow = ((String, String, String, Option<String>, bool, Option<String>, i64, i64), ClaimColumns);

impl Transfer for Database {
    fn export_records(&self) -> StorageResult<Vec<ExportRecord>> {
        let mut conn = self.conn()?;
        let mut out = Vec::new();
        let user_rows: Vec<UserRow> = users::table
            .select((
                (
                    users::id,
                    users::username,
                    users::password_hash,
                    users::email,
                    users::email_verified,
                    users::name,
                    users::created_at,
                    users::updated_at,
                ),
                claim_columns!(),
            ))
            .order(users::created_at)
            .load(&mut conn)?;
        for ((id, username, password_hash, email, email_verified, name, created_at, updated_at), claims) in user_rows {
            let claims = claims.into_claims(&id)?;
            out.push(ExportRecord::User {
                id,
                username,
                password_hash,
                email,
                email_verified,
                name,
                created_at,
                updated_at,
                given_name: claims.given_name,
                family_name: claims.family_name,
                middle_name: claims.middle_name,
                nickname: claims.nickname,
                profile: claims.profile,
                picture: claims.picture,
                website: claims.website,
                gender: claims.gender,
                birthdate: claims.birthdate,
                zoneinfo: claims.zoneinfo,
                locale: claims.locale,
                phone_number: claims.phone_number,
                phone_number_verified: claims.phone_number_verified,
                address: claims.address,
            });
        }
        let client_rows: Vec<(ClientRow, i64)> =
            clients::table.select((CLIENT_COLUMNS, clients::created_at)).order(clients::created_at).load(&mut conn)?;
        for (
            (
                id,
                name,
                secret_hash,
                redirect_uris,
                skip_consent,
                pkce_required,
                grant_types,
                token_endpoint_auth_method,
                post_logout,
                backchannel_logout_uri,
                access_ttl,
                refresh_ttl,
            ),
            created_at,
        ) in client_rows
        {
            let corrupt = |e: serde_json::Error| StorageError::Corrupt(format!("client {id}: {e}"));
            let redirect_uris = serde_json::from_str(&redirect_uris).map_err(corrupt)?;
            let post_logout_redirect_uris = serde_json::from_str(&post_logout).map_err(corrupt)?;
            out.push(ExportRecord::Client {
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
                access_token_ttl_secs: access_ttl,
                refresh_token_ttl_secs: refresh_ttl,
            });
        }
        let consent_rows: Vec<(String, String, String, i64)> = consents::table
            .select((consents::user_id, consents::client_id, consents::scope, consents::granted_at))
            .load(&mut conn)?;
        for (user_id, client_id, scope, granted_at) in consent_rows {
            out.push(ExportRecord::Consent { user_id, client_id, scope, granted_at });
        }
        drop(conn);
        for key in self.load_keys()? {
            out.push(ExportRecord::Key {
                kid: key.kid,
                state: key.state,
                private_key: STANDARD.encode(key.private_key),
                created_at: key.created_at,
                activated_at: key.activated_at,
                deactivated_at: key.deactivated_at,
                publish_until: key.publish_until,
            });
        }
        Ok(out)
    }

    fn import_records(&self, records: &[ExportRecord]) -> StorageResult<usize> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let existing: i64 = users::table.count().get_result(conn)?;
            let existing_clients: i64 = clients::table.count().get_result(conn)?;
            if existing + existing_clients > 0 {
                return Err(StorageError::AlreadyExists("data in the target database (import needs an empty one)"));
            }
            // A target that was started before the import generated keys of its own; the imported keys replace
            // them, so tokens signed before the move keep verifying.
            if records.iter().any(|r| matches!(r, ExportRecord::Key { .. })) {
                diesel::delete(signing_keys::table).execute(conn)?;
            }
            for record in records {
                insert_record(conn, record)?;
            }
            Ok(records.len())
        })
    }
}

fn insert_record(conn: &mut super::AnyConnection, record: &ExportRecord) -> StorageResult<()> {
    match record {
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
        } => {
            let claims = UserClaims {
                given_name: given_name.clone(),
                family_name: family_name.clone(),
                middle_name: middle_name.clone(),
                nickname: nickname.clone(),
                profile: profile.clone(),
                picture: picture.clone(),
                website: website.clone(),
                gender: gender.clone(),
                birthdate: birthdate.clone(),
                zoneinfo: zoneinfo.clone(),
                locale: locale.clone(),
                phone_number: phone_number.clone(),
                phone_number_verified: *phone_number_verified,
                address: address.clone(),
            };
            diesel::insert_into(users::table)
                .values((
                    users::id.eq(id),
                    users::username.eq(username),
                    users::password_hash.eq(password_hash),
                    users::email.eq(email),
                    users::email_verified.eq(email_verified),
                    users::name.eq(name),
                    users::created_at.eq(created_at),
                    users::updated_at.eq(updated_at),
                    ClaimColumns::from_claims(&claims)?,
                ))
                .execute(conn)?;
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
        } => {
            let json = |v: &Vec<String>| serde_json::to_string(v).map_err(|e| StorageError::Corrupt(e.to_string()));
            let uris = json(redirect_uris)?;
            diesel::insert_into(clients::table)
                .values((
                    clients::id.eq(id),
                    clients::name.eq(name),
                    clients::secret_hash.eq(secret_hash),
                    clients::redirect_uris.eq(uris),
                    clients::skip_consent.eq(skip_consent),
                    clients::pkce_required.eq(pkce_required),
                    clients::created_at.eq(created_at),
                    clients::grant_types.eq(grant_types),
                    clients::token_endpoint_auth_method.eq(token_endpoint_auth_method),
                    clients::post_logout_redirect_uris.eq(json(post_logout_redirect_uris)?),
                    clients::backchannel_logout_uri.eq(backchannel_logout_uri),
                    clients::access_token_ttl_secs.eq(access_token_ttl_secs),
                    clients::refresh_token_ttl_secs.eq(refresh_token_ttl_secs),
                ))
                .execute(conn)?;
        }
        ExportRecord::Consent { user_id, client_id, scope, granted_at } => {
            diesel::insert_into(consents::table)
                .values((
                    consents::user_id.eq(user_id),
                    consents::client_id.eq(client_id),
                    consents::scope.eq(scope),
                    consents::granted_at.eq(granted_at),
                ))
                .execute(conn)?;
        }
        ExportRecord::Key { kid, state, private_key, created_at, activated_at, deactivated_at, publish_until } => {
            let der = STANDARD.decode(private_key).map_err(|e| StorageError::Corrupt(format!("key {kid}: {e}")))?;
            let key = KeyRecord {
                kid: kid.clone(),
                state: state.clone(),
                private_key: der,
                created_at: *created_at,
                activated_at: *activated_at,
                deactivated_at: *deactivated_at,
                publish_until: *publish_until,
            };
            insert_key(conn, &key)?;
        }
    }
    Ok(())
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
