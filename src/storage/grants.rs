use diesel::prelude::*;

use super::schema::{access_tokens, authorization_codes, client_access_tokens, grants, refresh_tokens};
use super::{
    CodeRecord, Database, GrantRecord, GrantStore, NewCode, NewToken, RefreshTokenRecord, StorageResult, Timestamp,
};

type CodeRow = (String, Option<String>, i64, Option<i64>);
pub(super) type GrantRow =
    (String, String, String, String, Option<String>, i64, Option<i64>, Option<String>, Option<String>);

pub(super) const GRANT_COLUMNS: (
    grants::id,
    grants::user_id,
    grants::client_id,
    grants::scope,
    grants::nonce,
    grants::auth_time,
    grants::revoked_at,
    grants::session_id,
    grants::claims,
) = (
    grants::id,
    grants::user_id,
    grants::client_id,
    grants::scope,
    grants::nonce,
    grants::auth_time,
    grants::revoked_at,
    grants::session_id,
    grants::claims,
);

pub(super) fn to_grant(
    (id, user_id, client_id, scope, nonce, auth_time, revoked_at, session_id, claims): GrantRow,
) -> GrantRecord {
    GrantRecord { id, user_id, client_id, scope, nonce, auth_time, revoked: revoked_at.is_some(), session_id, claims }
}

impl GrantStore for Database {
    fn issue_code(&self, grant: &GrantRecord, code: &NewCode, now: Timestamp) -> StorageResult<()> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            diesel::insert_into(grants::table)
                .values((
                    grants::id.eq(&grant.id),
                    grants::user_id.eq(&grant.user_id),
                    grants::client_id.eq(&grant.client_id),
                    grants::scope.eq(&grant.scope),
                    grants::nonce.eq(&grant.nonce),
                    grants::auth_time.eq(grant.auth_time),
                    grants::created_at.eq(now),
                    grants::session_id.eq(&grant.session_id),
                    grants::claims.eq(&grant.claims),
                ))
                .execute(conn)?;
            diesel::insert_into(authorization_codes::table)
                .values((
                    authorization_codes::code_hash.eq(&code.code_hash),
                    authorization_codes::grant_id.eq(&grant.id),
                    authorization_codes::redirect_uri.eq(&code.redirect_uri),
                    authorization_codes::code_challenge.eq(&code.code_challenge),
                    authorization_codes::expires_at.eq(code.expires_at),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    fn find_code(&self, code_hash: &str) -> StorageResult<Option<CodeRecord>> {
        let row: Option<(CodeRow, GrantRow)> = authorization_codes::table
            .inner_join(grants::table)
            .filter(authorization_codes::code_hash.eq(code_hash))
            .select((
                (
                    authorization_codes::redirect_uri,
                    authorization_codes::code_challenge,
                    authorization_codes::expires_at,
                    authorization_codes::used_at,
                ),
                GRANT_COLUMNS,
            ))
            .first(&mut *self.conn()?)
            .optional()?;
        Ok(row.map(|((redirect_uri, code_challenge, expires_at, used_at), grant)| CodeRecord {
            grant: to_grant(grant),
            redirect_uri,
            code_challenge,
            expires_at,
            used: used_at.is_some(),
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

    fn record_access_token(&self, jti: &str, grant_id: &str, expires_at: Timestamp) -> StorageResult<()> {
        diesel::insert_into(access_tokens::table)
            .values((
                access_tokens::jti.eq(jti),
                access_tokens::grant_id.eq(grant_id),
                access_tokens::expires_at.eq(expires_at),
            ))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn access_token_is_live(&self, jti: &str) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        let revoked: Option<Option<i64>> = access_tokens::table
            .inner_join(grants::table)
            .filter(access_tokens::jti.eq(jti))
            .select(grants::revoked_at)
            .first(&mut conn)
            .optional()?;
        if let Some(revoked_at) = revoked {
            return Ok(revoked_at.is_none());
        }
        let client_token: i64 =
            client_access_tokens::table.filter(client_access_tokens::jti.eq(jti)).count().get_result(&mut conn)?;
        Ok(client_token > 0)
    }

    fn record_client_access_token(&self, jti: &str, client_id: &str, expires_at: Timestamp) -> StorageResult<()> {
        diesel::insert_into(client_access_tokens::table)
            .values((
                client_access_tokens::jti.eq(jti),
                client_access_tokens::client_id.eq(client_id),
                client_access_tokens::expires_at.eq(expires_at),
            ))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn find_access_token_grant(&self, jti: &str) -> StorageResult<Option<GrantRecord>> {
        let row: Option<GrantRow> = access_tokens::table
            .inner_join(grants::table)
            .filter(access_tokens::jti.eq(jti))
            .select(GRANT_COLUMNS)
            .first(&mut *self.conn()?)
            .optional()?;
        Ok(row.map(to_grant))
    }

    fn revoke_access_token(&self, jti: &str) -> StorageResult<()> {
        let mut conn = self.conn()?;
        diesel::delete(access_tokens::table.filter(access_tokens::jti.eq(jti))).execute(&mut conn)?;
        diesel::delete(client_access_tokens::table.filter(client_access_tokens::jti.eq(jti))).execute(&mut conn)?;
        Ok(())
    }

    fn store_refresh_token(&self, grant_id: &str, token: NewToken<'_>, now: Timestamp) -> StorageResult<()> {
        diesel::insert_into(refresh_tokens::table)
            .values((
                refresh_tokens::token_hash.eq(token.hash),
                refresh_tokens::grant_id.eq(grant_id),
                refresh_tokens::created_at.eq(now),
                refresh_tokens::expires_at.eq(token.expires_at),
            ))
            .execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn find_refresh_token(&self, token_hash: &str) -> StorageResult<Option<RefreshTokenRecord>> {
        let row: Option<((i64, Option<i64>), GrantRow)> = refresh_tokens::table
            .inner_join(grants::table)
            .filter(refresh_tokens::token_hash.eq(token_hash))
            .select(((refresh_tokens::expires_at, refresh_tokens::rotated_at), GRANT_COLUMNS))
            .first(&mut *self.conn()?)
            .optional()?;
        Ok(row.map(|((expires_at, rotated_at), grant)| RefreshTokenRecord {
            grant: to_grant(grant),
            expires_at,
            rotated_at,
        }))
    }

    fn rotate_refresh_token(
        &self,
        old_hash: &str,
        grant_id: &str,
        successor: NewToken<'_>,
        now: Timestamp,
    ) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
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
            diesel::insert_into(refresh_tokens::table)
                .values((
                    refresh_tokens::token_hash.eq(successor.hash),
                    refresh_tokens::grant_id.eq(grant_id),
                    refresh_tokens::created_at.eq(now),
                    refresh_tokens::expires_at.eq(successor.expires_at),
                ))
                .execute(conn)?;
            Ok(true)
        })
    }
}
