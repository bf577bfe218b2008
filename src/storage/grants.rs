//! Grants and what hangs off them: authorization codes, refresh tokens, and the access tokens issued from them.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::actions::GrantStore;
use super::connection::on_backend;
use super::db::Database;
use super::error::{StorageError, StorageResult, corrupt};
use super::records::{NewCode, NewToken};
use super::schema::{authorization_codes, grants, refresh_tokens, revoked_access_tokens};
use crate::domain::{
    AuthenticationMethod, AuthorizationCode, ClaimsRequest, ClientId, CodeChallenge, Grant, RefreshToken, ResourceId,
    Scope, Timestamp,
};

/// A `grants` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = grants)]
pub(super) struct GrantRow {
    pub id: String,
    pub user_id: String,
    pub client_id: String,
    /// Space-separated, as [`Scope`] writes it.
    pub scope: String,
    pub nonce: Option<String>,
    pub auth_time: i64,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub session_id: Option<String>,
    /// The `claims` request parameter, normalised JSON; NULL if none.
    pub claims: Option<String>,
    /// The resource indicator of its access tokens (RFC 8707); NULL: the default audience.
    pub resource: Option<String>,
    pub expires_at: Option<i64>,
    /// RFC 8176 amr values, space-separated; NULL for grants made before they were kept.
    pub amr: Option<String>,
    /// RFC 9449: the DPoP key's thumbprint the grant is bound to.
    pub dpop_jkt: Option<String>,
}

impl GrantRow {
    pub(super) fn into_grant(self) -> StorageResult<Grant> {
        let bad = corrupt(format!("grant {}", self.id));
        Ok(Grant {
            client_id: ClientId::parse(&self.client_id).map_err(&bad)?,
            scope: Scope::parse(&self.scope).map_err(&bad)?,
            claims: ClaimsRequest::from_stored(self.claims.as_deref())
                .map_err(|e| StorageError::Corrupt(format!("grant {}: {e}", self.id)))?,
            resource: self.resource.as_deref().map(ResourceId::parse).transpose().map_err(&bad)?,
            expires_at: self.expires_at,
            methods: AuthenticationMethod::parse_list(self.amr.as_deref().unwrap_or("")).map_err(&bad)?,
            id: self.id,
            user_id: self.user_id,
            nonce: self.nonce,
            auth_time: self.auth_time,
            revoked: self.revoked_at.is_some(),
            session_id: self.session_id,
            dpop_jkt: self.dpop_jkt,
        })
    }

    pub(super) fn of(grant: &Grant, now: Timestamp) -> GrantRow {
        GrantRow {
            id: grant.id.clone(),
            user_id: grant.user_id.clone(),
            client_id: grant.client_id.to_string(),
            scope: grant.scope.to_string(),
            nonce: grant.nonce.clone(),
            auth_time: grant.auth_time,
            created_at: now,
            revoked_at: grant.revoked.then_some(now),
            session_id: grant.session_id.clone(),
            claims: grant.claims.to_stored(),
            resource: grant.resource.as_ref().map(ResourceId::to_string),
            expires_at: grant.expires_at,
            amr: Some(AuthenticationMethod::list_to_string(&grant.methods)),
            dpop_jkt: grant.dpop_jkt.clone(),
        }
    }
}

/// An `authorization_codes` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = authorization_codes)]
struct CodeRow {
    code_hash: String,
    grant_id: String,
    redirect_uri: String,
    code_challenge: Option<String>,
    expires_at: i64,
    used_at: Option<i64>,
}

/// What a refresh token's `refresh_tokens` row says beside its grant.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
struct RefreshTokenRow {
    expires_at: i64,
    rotated_at: Option<i64>,
}

/// The columns of a new `refresh_tokens` row; `rotated_at` starts NULL.
type NewRefreshTokenRow<'a> = (
    diesel::dsl::Eq<refresh_tokens::token_hash, &'a str>,
    diesel::dsl::Eq<refresh_tokens::grant_id, &'a str>,
    diesel::dsl::Eq<refresh_tokens::created_at, i64>,
    diesel::dsl::Eq<refresh_tokens::expires_at, i64>,
);

/// Named column by column rather than as a row struct: on SQLite diesel leaves a `None` field out of the INSERT,
/// which makes its SQL depend on the values, so the statement was prepared again on every refresh (issue 9's
/// profile); this one is prepared once per connection.
fn new_refresh_token_row<'a>(grant_id: &'a str, token: NewToken<'a>, now: Timestamp) -> NewRefreshTokenRow<'a> {
    (
        refresh_tokens::token_hash.eq(token.hash),
        refresh_tokens::grant_id.eq(grant_id),
        refresh_tokens::created_at.eq(now),
        refresh_tokens::expires_at.eq(token.expires_at),
    )
}

/// A `revoked_access_tokens` row: a JWT access token revoked before its `exp`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = revoked_access_tokens)]
struct RevokedAccessTokenRow {
    jti: String,
    expires_at: i64,
}

impl GrantStore for Database {
    fn issue_code(&self, grant: &Grant, code: &NewCode, now: Timestamp) -> StorageResult<()> {
        let code_row = CodeRow {
            code_hash: code.code_hash.clone(),
            grant_id: grant.id.clone(),
            redirect_uri: code.redirect_uri.clone(),
            code_challenge: code.code_challenge.as_ref().map(|c| c.as_str().to_owned()),
            expires_at: code.expires_at,
            used_at: None,
        };
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            diesel::insert_into(grants::table).values(GrantRow::of(grant, now)).execute(conn)?;
            diesel::insert_into(authorization_codes::table).values(&code_row).execute(conn)?;
            Ok(())
        })
    }

    fn find_code(&self, code_hash: &str) -> StorageResult<Option<AuthorizationCode>> {
        let row: Option<(CodeRow, GrantRow)> = authorization_codes::table
            .inner_join(grants::table)
            .filter(authorization_codes::code_hash.eq(code_hash))
            .select((CodeRow::as_select(), GrantRow::as_select()))
            .get_result(&mut *self.conn()?)
            .optional()?;
        let Some((code, grant)) = row else { return Ok(None) };
        let code_challenge = code
            .code_challenge
            .as_deref()
            .map(CodeChallenge::parse)
            .transpose()
            .map_err(corrupt(format!("code of grant {}", grant.id)))?;
        Ok(Some(AuthorizationCode {
            grant: grant.into_grant()?,
            redirect_uri: code.redirect_uri,
            code_challenge,
            expires_at: code.expires_at,
            used: code.used_at.is_some(),
        }))
    }

    fn redeem_code(&self, code_hash: &str, now: Timestamp) -> StorageResult<bool> {
        // One conditional UPDATE: the database serialises concurrent redemptions, the first wins.
        let n = diesel::update(
            authorization_codes::table
                .filter(authorization_codes::code_hash.eq(code_hash))
                .filter(authorization_codes::used_at.is_null())
                .filter(authorization_codes::expires_at.gt(now)),
        )
        .set(authorization_codes::used_at.eq(Some(now)))
        .execute(&mut *self.conn()?)?;
        Ok(n == 1)
    }

    fn revoke_grant(&self, grant_id: &str, now: Timestamp) -> StorageResult<()> {
        diesel::update(grants::table.filter(grants::id.eq(grant_id)).filter(grants::revoked_at.is_null()))
            .set(grants::revoked_at.eq(Some(now)))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn find_grant(&self, grant_id: &str) -> StorageResult<Option<Grant>> {
        // Every userinfo call and introspection of a user's token: the hot path's connection (`on_backend!`).
        let row: Option<GrantRow> = on_backend!(&mut *self.conn()?, conn => grants::table
            .filter(grants::id.eq(grant_id))
            .select(GrantRow::as_select())
            .get_result(conn)
            .optional())?;
        row.map(GrantRow::into_grant).transpose()
    }

    fn revoke_access_token(&self, jti: &str, expires_at: Timestamp) -> StorageResult<()> {
        let row = RevokedAccessTokenRow { jti: jti.to_owned(), expires_at };
        match diesel::insert_into(revoked_access_tokens::table).values(&row).execute(&mut *self.conn()?) {
            // Revoked twice is revoked.
            Ok(_) | Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    fn access_token_revoked(&self, jti: &str) -> StorageResult<bool> {
        let count: i64 = revoked_access_tokens::table
            .filter(revoked_access_tokens::jti.eq(jti))
            .count()
            .get_result(&mut *self.conn()?)?;
        Ok(count > 0)
    }

    fn store_refresh_token(&self, grant_id: &str, token: NewToken<'_>, now: Timestamp) -> StorageResult<()> {
        diesel::insert_into(refresh_tokens::table)
            .values(new_refresh_token_row(grant_id, token, now))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn find_refresh_token(&self, token_hash: &str) -> StorageResult<Option<RefreshToken>> {
        let row: Option<(RefreshTokenRow, GrantRow)> = refresh_tokens::table
            .inner_join(grants::table)
            .filter(refresh_tokens::token_hash.eq(token_hash))
            .select((RefreshTokenRow::as_select(), GrantRow::as_select()))
            .get_result(&mut *self.conn()?)
            .optional()?;
        let Some((token, grant)) = row else { return Ok(None) };
        Ok(Some(RefreshToken {
            grant: grant.into_grant()?,
            expires_at: token.expires_at,
            rotated_at: token.rotated_at,
        }))
    }

    fn rotate_refresh_token(
        &self,
        old_hash: &str,
        grant_id: &str,
        successor: NewToken<'_>,
        now: Timestamp,
    ) -> StorageResult<bool> {
        let successor = new_refresh_token_row(grant_id, successor, now);
        on_backend!(&mut *self.conn()?, conn => conn.transaction(|conn| {
            // The write comes first, so SQLite takes its write lock (and honours busy_timeout) before any read.
            let n = diesel::update(
                refresh_tokens::table
                    .filter(refresh_tokens::token_hash.eq(old_hash))
                    .filter(refresh_tokens::rotated_at.is_null()),
            )
            .set(refresh_tokens::rotated_at.eq(Some(now)))
            .execute(conn)?;
            if n != 1 {
                return Ok(false);
            }
            diesel::insert_into(refresh_tokens::table).values(successor).execute(conn)?;
            Ok(true)
        }))
    }
}
