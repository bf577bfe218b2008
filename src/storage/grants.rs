//! Grants and what hangs off them: authorization codes, refresh tokens, and the access tokens issued from them.

use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::actions::GrantStore;
use super::connection::{AnyConnection, on_backend};
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

/// `UPDATE refresh_tokens SET rotated_at = now WHERE token_hash = ? AND rotated_at IS NULL`: the rotation's first
/// write, as a query of its own rather than `diesel::update`. diesel marks every `UpdateStatement` unsafe to cache
/// (a changeset may leave out a `None` field, so its SQL can change with the values), so that UPDATE was rendered,
/// parsed and planned again on every refresh, and a parse per refresh on PostgreSQL. This one's SQL never changes,
/// so its `QueryId` is static and diesel keeps it prepared per connection: a refresh took 4-12% less server CPU on
/// SQLite (`benches/load.sh`'s refresh path, three alternated pairs).
struct MarkRotated<'a> {
    token_hash: &'a str,
    now: Timestamp,
}

impl QueryId for MarkRotated<'_> {
    type QueryId = MarkRotated<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> QueryFragment<DB> for MarkRotated<'_>
where
    DB: diesel::backend::Backend,
    refresh_tokens::table: QueryFragment<DB>,
    i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
    str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Text};
        out.push_sql("UPDATE ");
        refresh_tokens::table.walk_ast(out.reborrow())?;
        out.push_sql(" SET ");
        out.push_identifier(refresh_tokens::rotated_at::NAME)?;
        out.push_sql(" = ");
        out.push_bind_param::<BigInt, i64>(&self.now)?;
        out.push_sql(" WHERE ");
        out.push_identifier(refresh_tokens::token_hash::NAME)?;
        out.push_sql(" = ");
        out.push_bind_param::<Text, str>(self.token_hash)?;
        out.push_sql(" AND ");
        out.push_identifier(refresh_tokens::rotated_at::NAME)?;
        out.push_sql(" IS NULL");
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for MarkRotated<'_> {}

/// PostgreSQL: the whole rotation as one statement, a data-modifying CTE that inserts the successor only where
/// [`MarkRotated`] marked the presented token. One round trip instead of four (BEGIN, UPDATE, INSERT, COMMIT), and
/// as atomic: a statement is its own transaction. A concurrent rotation of the same token waits for the row lock,
/// then finds `rotated_at` set (READ COMMITTED re-checks the WHERE clause) and inserts nothing. SQLite has no
/// data-modifying CTE, so it keeps the transaction.
struct RotateInOneStatement<'a> {
    mark: MarkRotated<'a>,
    grant_id: &'a str,
    successor: NewToken<'a>,
}

impl QueryId for RotateInOneStatement<'_> {
    type QueryId = RotateInOneStatement<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl QueryFragment<diesel::pg::Pg> for RotateInOneStatement<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Text};
        out.push_sql("WITH rotated AS (");
        self.mark.walk_ast(out.reborrow())?;
        out.push_sql(" RETURNING 1) INSERT INTO ");
        refresh_tokens::table.walk_ast(out.reborrow())?;
        out.push_sql(" (");
        for (i, column) in [
            refresh_tokens::token_hash::NAME,
            refresh_tokens::grant_id::NAME,
            refresh_tokens::created_at::NAME,
            refresh_tokens::expires_at::NAME,
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_identifier(column)?;
        }
        out.push_sql(") SELECT ");
        out.push_bind_param::<Text, str>(self.successor.hash)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, str>(self.grant_id)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, i64>(&self.mark.now)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, i64>(&self.successor.expires_at)?;
        out.push_sql(" FROM rotated");
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for RotateInOneStatement<'_> {}

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
        // On every introspection and userinfo call: the hot path's connection (`on_backend!`).
        let count: i64 = on_backend!(&mut *self.conn()?, conn => revoked_access_tokens::table
            .filter(revoked_access_tokens::jti.eq(jti))
            .count()
            .get_result(conn))?;
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
        let mark = MarkRotated { token_hash: old_hash, now };
        match &mut *self.conn()? {
            AnyConnection::Sqlite(conn) => conn.transaction(|conn| {
                // The write comes first, so SQLite takes its write lock (and honours busy_timeout) before any read.
                if mark.execute(conn)? != 1 {
                    return Ok(false);
                }
                let successor = new_refresh_token_row(grant_id, successor, now);
                diesel::insert_into(refresh_tokens::table).values(successor).execute(conn)?;
                Ok(true)
            }),
            AnyConnection::Postgresql(conn) => {
                Ok(RotateInOneStatement { mark, grant_id, successor }.execute(conn)? == 1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use diesel::connection::{InstrumentationEvent, SimpleConnection};
    use diesel::sqlite::SqliteConnection;
    use diesel_migrations::MigrationHarness;

    use super::*;
    use crate::storage::db::SQLITE_MIGRATIONS;

    /// `MarkRotated` marks a token rotated once only, and diesel prepares it once per connection: the statement
    /// cache takes it in at its first execution and finds it at the next ones (`diesel::update` never gets there).
    #[test]
    fn the_rotation_update_rotates_a_token_once_and_is_prepared_once_per_connection() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        conn.run_pending_migrations(SQLITE_MIGRATIONS).unwrap();
        // The tokens below hang off no grant row.
        conn.batch_execute("PRAGMA foreign_keys = OFF").unwrap();
        let events = Arc::new(Mutex::new((0, 0)));
        let seen = events.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            let mut seen = seen.lock().unwrap();
            match event {
                InstrumentationEvent::StartQuery { query, .. } if query.to_string().starts_with("UPDATE") => {
                    seen.0 += 1
                }
                InstrumentationEvent::CacheQuery { sql, .. } if sql.starts_with("UPDATE") => seen.1 += 1,
                _ => {}
            }
        });
        for hash in ["a", "b"] {
            diesel::insert_into(refresh_tokens::table)
                .values(new_refresh_token_row("grant", NewToken { hash, expires_at: 100 }, 1))
                .execute(&mut conn)
                .unwrap();
        }
        let mut rotate = |hash| MarkRotated { token_hash: hash, now: 5 }.execute(&mut conn).unwrap();
        assert_eq!(rotate("a"), 1);
        assert_eq!(rotate("a"), 0, "a rotated token is not rotated again");
        assert_eq!(rotate("b"), 1);
        assert_eq!(rotate("unknown"), 0);
        assert_eq!(*events.lock().unwrap(), (4, 1), "(UPDATEs executed, UPDATEs prepared for the cache)");
        let rotated_at: Vec<Option<i64>> = refresh_tokens::table
            .order(refresh_tokens::token_hash)
            .select(refresh_tokens::rotated_at)
            .load(&mut conn)
            .unwrap();
        assert_eq!(rotated_at, [Some(5), Some(5)]);
    }
}
