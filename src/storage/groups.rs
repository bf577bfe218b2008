//! Groups and their members: one `groups` row per group, one `group_members` row per membership (deleted with
//! the group or the user).

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::actions::{GroupStore, MembershipChange};
use super::connection::AnyConnection;
use super::db::Database;
use super::error::{StorageError, StorageResult, corrupt};
use super::schema::{group_members, groups, users};
use crate::domain::{Group, GroupName, Timestamp};

/// A `groups` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = groups)]
pub(super) struct GroupRow {
    pub name: String,
    pub description: Option<String>,
    pub created_at: i64,
}

impl GroupRow {
    fn into_group(self, members: Vec<String>) -> StorageResult<Group> {
        let name = GroupName::parse(&self.name).map_err(corrupt(format!("group {}", self.name)))?;
        Ok(Group { name, description: self.description, created_at: self.created_at, members })
    }
}

/// Inserts a group row, refusing a taken name; shared by `add_group` and import.
pub(super) fn insert(conn: &mut AnyConnection, row: &GroupRow) -> StorageResult<()> {
    match diesel::insert_into(groups::table).values(row).execute(conn) {
        Ok(_) => Ok(()),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            Err(StorageError::AlreadyExists("a group with this name"))
        }
        Err(e) => Err(e.into()),
    }
}

/// Adds a membership by subject (import keeps subjects, not usernames).
pub(super) fn insert_member(conn: &mut AnyConnection, group: &str, subject: &str, now: Timestamp) -> StorageResult<()> {
    diesel::insert_into(group_members::table)
        .values((
            group_members::group_name.eq(group),
            group_members::user_id.eq(subject),
            group_members::added_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// `(group, subject)` of every membership, for export.
pub(super) fn all_memberships(conn: &mut AnyConnection) -> StorageResult<Vec<(String, String)>> {
    Ok(group_members::table
        .select((group_members::group_name, group_members::user_id))
        .order((group_members::group_name, group_members::user_id))
        .load(conn)?)
}

fn members_of(conn: &mut AnyConnection, group: &str) -> StorageResult<Vec<String>> {
    Ok(group_members::table
        .inner_join(users::table)
        .filter(group_members::group_name.eq(group))
        .select(users::username)
        .order(users::username)
        .load(conn)?)
}

fn lookup(conn: &mut AnyConnection, group: &str, username: &str) -> StorageResult<Result<String, MembershipChange>> {
    let exists: i64 = groups::table.filter(groups::name.eq(group)).count().get_result(conn)?;
    if exists == 0 {
        return Ok(Err(MembershipChange::NoSuchGroup));
    }
    let subject: Option<String> =
        users::table.filter(users::username.eq(username)).select(users::id).get_result(conn).optional()?;
    Ok(subject.ok_or(MembershipChange::NoSuchUser))
}

impl GroupStore for Database {
    fn add_group(&self, name: &GroupName, description: Option<&str>, now: Timestamp) -> StorageResult<()> {
        let row =
            GroupRow { name: name.as_str().to_owned(), description: description.map(str::to_owned), created_at: now };
        insert(&mut *self.conn()?, &row)
    }

    fn list_groups(&self) -> StorageResult<Vec<Group>> {
        let mut conn = self.conn()?;
        let rows: Vec<GroupRow> = groups::table.select(GroupRow::as_select()).order(groups::name).load(&mut *conn)?;
        let members: Vec<(String, String)> = group_members::table
            .inner_join(users::table)
            .select((group_members::group_name, users::username))
            .order((group_members::group_name, users::username))
            .load(&mut *conn)?;
        rows.into_iter()
            .map(|row| {
                let of_group = members.iter().filter(|(g, _)| *g == row.name).map(|(_, u)| u.clone()).collect();
                row.into_group(of_group)
            })
            .collect()
    }

    fn find_group(&self, name: &str) -> StorageResult<Option<Group>> {
        let mut conn = self.conn()?;
        let row: Option<GroupRow> = groups::table
            .filter(groups::name.eq(name))
            .select(GroupRow::as_select())
            .get_result(&mut *conn)
            .optional()?;
        let Some(row) = row else { return Ok(None) };
        let members = members_of(&mut conn, name)?;
        Ok(Some(row.into_group(members)?))
    }

    fn remove_group(&self, name: &str) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            // Explicitly, not only by the foreign key's cascade: SQLite enforces it only where the pragma is on.
            diesel::delete(group_members::table.filter(group_members::group_name.eq(name))).execute(conn)?;
            Ok(diesel::delete(groups::table.filter(groups::name.eq(name))).execute(conn)? > 0)
        })
    }

    fn add_member(&self, group: &str, username: &str, now: Timestamp) -> StorageResult<MembershipChange> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let subject = match lookup(conn, group, username)? {
                Ok(subject) => subject,
                Err(missing) => return Ok(missing),
            };
            let already: i64 = group_members::table
                .filter(group_members::group_name.eq(group))
                .filter(group_members::user_id.eq(&subject))
                .count()
                .get_result(conn)?;
            if already > 0 {
                return Ok(MembershipChange::Unchanged);
            }
            insert_member(conn, group, &subject, now)?;
            Ok(MembershipChange::Done)
        })
    }

    fn remove_member(&self, group: &str, username: &str) -> StorageResult<MembershipChange> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let subject = match lookup(conn, group, username)? {
                Ok(subject) => subject,
                Err(missing) => return Ok(missing),
            };
            let n = diesel::delete(
                group_members::table
                    .filter(group_members::group_name.eq(group))
                    .filter(group_members::user_id.eq(&subject)),
            )
            .execute(conn)?;
            Ok(if n > 0 { MembershipChange::Done } else { MembershipChange::Unchanged })
        })
    }

    fn set_group_description(&self, name: &str, expected: Option<&str>, new: Option<&str>) -> StorageResult<bool> {
        // One conditional UPDATE: of two writers that read the same description, one changes it.
        let target = groups::table.filter(groups::name.eq(name));
        let n = match expected {
            Some(old) => diesel::update(target.filter(groups::description.eq(old)))
                .set(groups::description.eq(new))
                .execute(&mut *self.conn()?)?,
            None => diesel::update(target.filter(groups::description.is_null()))
                .set(groups::description.eq(new))
                .execute(&mut *self.conn()?)?,
        };
        Ok(n > 0)
    }

    fn groups_of(&self, subject: &str) -> StorageResult<Vec<String>> {
        Ok(group_members::table
            .filter(group_members::user_id.eq(subject))
            .select(group_members::group_name)
            .order(group_members::group_name)
            .load(&mut *self.conn()?)?)
    }
}
