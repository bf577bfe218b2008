//! Users, one row each, with their standard attributes in columns of their own.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::actions::UserStore;
use super::connection::{AnyConnection, on_backend};
use super::db::Database;
use super::error::{StorageError, StorageResult};
use super::grants::GrantRow;
use super::records::{NewUser, UserRecord};
use super::schema::{browser_sessions, grants, interactions, refresh_tokens, users};
use crate::domain::{Address, Grant, RefreshToken, Timestamp, User, UserAttributes};

/// A `users` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub(super) struct UserRow {
    /// The OpenID subject: random, stable, never the username.
    pub id: String,
    pub username: String,
    /// argon2id PHC string.
    pub password_hash: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    #[diesel(embed)]
    pub attributes: AttributeColumns,
    pub disabled: bool,
    pub last_login_at: Option<i64>,
}

/// The standard-claim columns (OpenID Connect Core §5.1), as read and written.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub(super) struct AttributeColumns {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub middle_name: Option<String>,
    pub nickname: Option<String>,
    pub profile: Option<String>,
    pub picture: Option<String>,
    pub website: Option<String>,
    pub gender: Option<String>,
    pub birthdate: Option<String>,
    pub zoneinfo: Option<String>,
    pub locale: Option<String>,
    pub phone_number: Option<String>,
    pub phone_number_verified: bool,
    /// JSON of [`Address`].
    pub address: Option<String>,
}

impl AttributeColumns {
    pub(super) fn of(attributes: &UserAttributes) -> StorageResult<AttributeColumns> {
        let a = attributes.clone();
        let address = match a.address.filter(|a| !a.is_empty()) {
            Some(address) => Some(serde_json::to_string(&address).map_err(|e| StorageError::Corrupt(e.to_string()))?),
            None => None,
        };
        Ok(AttributeColumns {
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
            address,
        })
    }

    pub(super) fn into_attributes(self, subject: &str) -> StorageResult<UserAttributes> {
        let address = match self.address {
            Some(json) => Some(
                serde_json::from_str::<Address>(&json)
                    .map_err(|e| StorageError::Corrupt(format!("address of user {subject}: {e}")))?,
            ),
            None => None,
        };
        Ok(UserAttributes {
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

impl UserRow {
    pub(super) fn into_record(self) -> StorageResult<UserRecord> {
        let attributes = self.attributes.into_attributes(&self.id)?;
        let user = User {
            subject: self.id,
            username: self.username,
            email: self.email,
            email_verified: self.email_verified,
            name: self.name,
            attributes,
            updated_at: self.updated_at,
        };
        Ok(UserRecord {
            user,
            password_hash: self.password_hash,
            disabled: self.disabled,
            created_at: self.created_at,
            last_login_at: self.last_login_at,
        })
    }
}

/// Inserts a user row, refusing a taken username; shared by `add_user` and import.
pub(super) fn insert(conn: &mut AnyConnection, row: &UserRow) -> StorageResult<()> {
    match diesel::insert_into(users::table).values(row).execute(conn) {
        Ok(_) => Ok(()),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            Err(StorageError::AlreadyExists("a user with this username"))
        }
        Err(e) => Err(e.into()),
    }
}

impl UserStore for Database {
    fn add_user(&self, new: &NewUser, now: Timestamp) -> StorageResult<User> {
        // The subject is random and unrelated to the username (OpenID Connect Core §8: locally unique, never
        // reassigned), so renaming a user or reusing a name never hands one person's identity to another.
        let row = UserRow {
            id: uuid::Uuid::new_v4().to_string(),
            username: new.username.clone(),
            password_hash: new.password_hash.clone(),
            email: new.email.clone(),
            email_verified: new.email_verified,
            name: new.name.clone(),
            created_at: now,
            updated_at: now,
            attributes: AttributeColumns::of(&new.attributes)?,
            disabled: false,
            last_login_at: None,
        };
        insert(&mut *self.conn()?, &row)?;
        Ok(row.into_record()?.user)
    }

    fn find_user_by_username(&self, username: &str) -> StorageResult<Option<UserRecord>> {
        let row: Option<UserRow> = users::table
            .filter(users::username.eq(username))
            .select(UserRow::as_select())
            .get_result(&mut *self.conn()?)
            .optional()?;
        row.map(UserRow::into_record).transpose()
    }

    fn find_user(&self, subject: &str) -> StorageResult<Option<User>> {
        Ok(self.find_user_record(subject)?.map(|r| r.user))
    }

    fn find_user_record(&self, subject: &str) -> StorageResult<Option<UserRecord>> {
        let row: Option<UserRow> = users::table
            .filter(users::id.eq(subject))
            .select(UserRow::as_select())
            .get_result(&mut *self.conn()?)
            .optional()?;
        row.map(UserRow::into_record).transpose()
    }

    fn find_refresh_token_and_holder(&self, token_hash: &str) -> StorageResult<Option<(RefreshToken, UserRecord)>> {
        // A grant always has its user (grants.user_id references users, ON DELETE CASCADE).
        type Row = (i64, Option<i64>, GrantRow, UserRow);
        let row: Option<Row> = on_backend!(&mut *self.conn()?, conn => refresh_tokens::table
            .inner_join(grants::table.inner_join(users::table))
            .filter(refresh_tokens::token_hash.eq(token_hash))
            .select((
                refresh_tokens::expires_at,
                refresh_tokens::rotated_at,
                GrantRow::as_select(),
                UserRow::as_select(),
            ))
            .get_result(conn)
            .optional())?;
        let Some((expires_at, rotated_at, grant, holder)) = row else { return Ok(None) };
        let token = RefreshToken { grant: grant.into_grant()?, expires_at, rotated_at };
        Ok(Some((token, holder.into_record()?)))
    }

    fn list_users(&self) -> StorageResult<Vec<UserRecord>> {
        let rows: Vec<UserRow> =
            users::table.select(UserRow::as_select()).order(users::username).load(&mut *self.conn()?)?;
        rows.into_iter().map(UserRow::into_record).collect()
    }

    fn any_user(&self) -> StorageResult<bool> {
        Ok(diesel::select(diesel::dsl::exists(users::table.select(users::id))).get_result(&mut *self.conn()?)?)
    }

    fn set_password(&self, username: &str, password_hash: &str, now: Timestamp) -> StorageResult<Option<Vec<Grant>>> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let subject: Option<String> =
                users::table.filter(users::username.eq(username)).select(users::id).get_result(conn).optional()?;
            let Some(subject) = subject else { return Ok(None) };
            let live: Vec<GrantRow> = grants::table
                .filter(grants::user_id.eq(&subject))
                .filter(grants::revoked_at.is_null())
                .select(GrantRow::as_select())
                .load(conn)?;
            diesel::update(users::table.filter(users::id.eq(&subject)))
                .set((users::password_hash.eq(password_hash), users::updated_at.eq(now)))
                .execute(conn)?;
            // A new password ends every session, grant and pending page: whoever knew the old one is out.
            diesel::delete(browser_sessions::table.filter(browser_sessions::user_id.eq(&subject))).execute(conn)?;
            diesel::delete(interactions::table.filter(interactions::user_id.eq(&subject))).execute(conn)?;
            diesel::update(grants::table.filter(grants::user_id.eq(&subject)).filter(grants::revoked_at.is_null()))
                .set(grants::revoked_at.eq(Some(now)))
                .execute(conn)?;
            Ok(Some(live.into_iter().map(GrantRow::into_grant).collect::<StorageResult<_>>()?))
        })
    }

    fn update_user(&self, user: &User, now: Timestamp) -> StorageResult<bool> {
        let n = diesel::update(users::table.filter(users::id.eq(&user.subject)))
            .set((
                users::email.eq(&user.email),
                users::email_verified.eq(user.email_verified),
                users::name.eq(&user.name),
                users::updated_at.eq(now),
                AttributeColumns::of(&user.attributes)?,
            ))
            .execute(&mut *self.conn()?)?;
        Ok(n > 0)
    }

    fn remove_user(&self, username: &str) -> StorageResult<bool> {
        let n = diesel::delete(users::table.filter(users::username.eq(username))).execute(&mut *self.conn()?)?;
        Ok(n > 0)
    }
}
