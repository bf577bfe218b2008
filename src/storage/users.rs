use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::grants::{GRANT_COLUMNS, GrantRow, to_grant};
use super::schema::{browser_sessions, consents, grants, users};
use super::{
    ConsentStore, Database, GrantRecord, NewUser, StorageError, StorageResult, Timestamp, UserRecord, UserStore,
};
use crate::domain::{Address, User, UserClaims};

/// The columns of [`UserRow`], in its order.
macro_rules! user_columns {
    () => {
        (
            users::id,
            users::username,
            users::email,
            users::email_verified,
            users::name,
            users::updated_at,
            claim_columns!(),
        )
    };
}

/// The columns of [`ClaimColumns`], in its order (also read by the export).
macro_rules! claim_columns {
    () => {
        (
            users::given_name,
            users::family_name,
            users::middle_name,
            users::nickname,
            users::profile,
            users::picture,
            users::website,
            users::gender,
            users::birthdate,
            users::zoneinfo,
            users::locale,
            users::phone_number,
            users::phone_number_verified,
            users::address,
        )
    };
}
pub(super) use claim_columns;

type UserRow = (String, String, Option<String>, bool, Option<String>, i64, ClaimColumns);

/// The standard-claim columns, as read and written.
#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub(super) struct ClaimColumns {
    given_name: Option<String>,
    family_name: Option<String>,
    middle_name: Option<String>,
    nickname: Option<String>,
    profile: Option<String>,
    picture: Option<String>,
    website: Option<String>,
    gender: Option<String>,
    birthdate: Option<String>,
    zoneinfo: Option<String>,
    locale: Option<String>,
    phone_number: Option<String>,
    phone_number_verified: bool,
    /// JSON of [`Address`].
    address: Option<String>,
}

impl ClaimColumns {
    pub(super) fn from_claims(claims: &UserClaims) -> StorageResult<ClaimColumns> {
        let c = claims.clone();
        let address = match c.address.filter(|a| !a.is_empty()) {
            Some(address) => Some(serde_json::to_string(&address).map_err(|e| StorageError::Corrupt(e.to_string()))?),
            None => None,
        };
        Ok(ClaimColumns {
            given_name: c.given_name,
            family_name: c.family_name,
            middle_name: c.middle_name,
            nickname: c.nickname,
            profile: c.profile,
            picture: c.picture,
            website: c.website,
            gender: c.gender,
            birthdate: c.birthdate,
            zoneinfo: c.zoneinfo,
            locale: c.locale,
            phone_number: c.phone_number,
            phone_number_verified: c.phone_number_verified,
            address,
        })
    }

    pub(super) fn into_claims(self, subject: &str) -> StorageResult<UserClaims> {
        let address = match self.address {
            Some(json) => Some(
                serde_json::from_str::<Address>(&json)
                    .map_err(|e| StorageError::Corrupt(format!("address of user {subject}: {e}")))?,
            ),
            None => None,
        };
        Ok(UserClaims {
            given_name: self.given_name,
            family_name: self.family_name,
            middle_name: self.middle_name,
            nickname: self.nickname,
            profile: self.profile,
            picture: self.picture,
            website: self.website,
            gender: self.gender,
            birthdate: self.birthdate,
            zoneinfo: self.zoneinfo,
            locale: self.locale,
            phone_number: self.phone_number,
            phone_number_verified: self.phone_number_verified,
            address,
        })
    }
}

fn to_user((subject, username, email, email_verified, name, updated_at, claims): UserRow) -> StorageResult<User> {
    let claims = claims.into_claims(&subject)?;
    Ok(User { subject, username, email, email_verified, name, claims, updated_at })
}

impl UserStore for Database {
    fn add_user(&self, new: &NewUser, now: Timestamp) -> StorageResult<User> {
        // The subject is random and unrelated to the username (OpenID Connect Core §8: locally unique, never
        // reassigned), so renaming a user or reusing a name never hands one person's identity to another.
        let subject = uuid::Uuid::new_v4().to_string();
        let result = diesel::insert_into(users::table)
            .values((
                users::id.eq(&subject),
                users::username.eq(&new.username),
                users::password_hash.eq(&new.password_hash),
                users::email.eq(&new.email),
                users::email_verified.eq(new.email_verified),
                users::name.eq(&new.name),
                users::created_at.eq(now),
                users::updated_at.eq(now),
                ClaimColumns::from_claims(&new.claims)?,
            ))
            .execute(&mut *self.conn()?);
        match result {
            Ok(_) => Ok(User {
                subject,
                username: new.username.clone(),
                email: new.email.clone(),
                email_verified: new.email_verified,
                name: new.name.clone(),
                claims: new.claims.clone(),
                updated_at: now,
            }),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                Err(StorageError::AlreadyExists("a user with this username"))
            }
            Err(e) => Err(e.into()),
        }
    }

    fn find_user_by_username(&self, username: &str) -> StorageResult<Option<UserRecord>> {
        let row: Option<(UserRow, String)> = users::table
            .filter(users::username.eq(username))
            .select((user_columns!(), users::password_hash))
            .first(&mut *self.conn()?)
            .optional()?;
        row.map(|(user, password_hash)| Ok(UserRecord { user: to_user(user)?, password_hash })).transpose()
    }

    fn find_user(&self, subject: &str) -> StorageResult<Option<User>> {
        let row: Option<UserRow> =
            users::table.filter(users::id.eq(subject)).select(user_columns!()).first(&mut *self.conn()?).optional()?;
        row.map(to_user).transpose()
    }

    fn list_users(&self) -> StorageResult<Vec<User>> {
        let rows: Vec<UserRow> =
            users::table.select(user_columns!()).order(users::username).load(&mut *self.conn()?)?;
        rows.into_iter().map(to_user).collect()
    }

    fn set_password(
        &self,
        username: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> StorageResult<Option<Vec<GrantRecord>>> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let subject: Option<String> =
                users::table.filter(users::username.eq(username)).select(users::id).first(conn).optional()?;
            let Some(subject) = subject else { return Ok(None) };
            let live: Vec<GrantRow> = grants::table
                .filter(grants::user_id.eq(&subject))
                .filter(grants::revoked_at.is_null())
                .select(GRANT_COLUMNS)
                .load(conn)?;
            diesel::update(users::table.filter(users::id.eq(&subject)))
                .set((users::password_hash.eq(password_hash), users::updated_at.eq(now)))
                .execute(conn)?;
            // A new password ends every session and grant: whoever knew the old one is out.
            diesel::delete(browser_sessions::table.filter(browser_sessions::user_id.eq(&subject))).execute(conn)?;
            diesel::update(grants::table.filter(grants::user_id.eq(&subject)).filter(grants::revoked_at.is_null()))
                .set(grants::revoked_at.eq(Some(now)))
                .execute(conn)?;
            Ok(Some(live.into_iter().map(to_grant).collect()))
        })
    }

    fn update_user(&self, user: &User, now: Timestamp) -> StorageResult<bool> {
        let n = diesel::update(users::table.filter(users::id.eq(&user.subject)))
            .set((
                users::email.eq(&user.email),
                users::email_verified.eq(user.email_verified),
                users::name.eq(&user.name),
                users::updated_at.eq(now),
                ClaimColumns::from_claims(&user.claims)?,
            ))
            .execute(&mut *self.conn()?)?;
        Ok(n > 0)
    }

    fn remove_user(&self, username: &str) -> StorageResult<bool> {
        let n = diesel::delete(users::table.filter(users::username.eq(username))).execute(&mut *self.conn()?)?;
        Ok(n > 0)
    }
}

impl ConsentStore for Database {
    fn find_consent(&self, user_id: &str, client_id: &str) -> StorageResult<Option<String>> {
        Ok(consents::table
            .filter(consents::user_id.eq(user_id))
            .filter(consents::client_id.eq(client_id))
            .select(consents::scope)
            .first(&mut *self.conn()?)
            .optional()?)
    }

    fn remember_consent(&self, user_id: &str, client_id: &str, scope: &str, now: Timestamp) -> StorageResult<()> {
        // Upserts do not compile on the multi-backend connection: update, else insert, and if a concurrent request
        // inserted in between (unique violation), update again.
        let mut conn = self.conn()?;
        let update = |conn: &mut super::AnyConnection| {
            diesel::update(
                consents::table.filter(consents::user_id.eq(user_id)).filter(consents::client_id.eq(client_id)),
            )
            .set((consents::scope.eq(scope), consents::granted_at.eq(now)))
            .execute(conn)
        };
        if update(&mut conn)? > 0 {
            return Ok(());
        }
        let inserted = diesel::insert_into(consents::table)
            .values((
                consents::user_id.eq(user_id),
                consents::client_id.eq(client_id),
                consents::scope.eq(scope),
                consents::granted_at.eq(now),
            ))
            .execute(&mut conn);
        match inserted {
            Ok(_) => Ok(()),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                update(&mut conn)?;
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }
}
