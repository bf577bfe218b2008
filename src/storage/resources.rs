//! Registered APIs (RFC 8707), one row each.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::actions::ResourceStore;
use super::connection::AnyConnection;
use super::db::Database;
use super::error::{StorageError, StorageResult, corrupt};
use super::schema::resources;
use crate::domain::{Resource, ResourceId, Scope, SigningAlg, Timestamp};

/// A `resources` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = resources)]
pub(super) struct ResourceRow {
    pub id: String,
    /// Space-separated.
    pub scope: String,
    pub access_token_ttl_secs: Option<i64>,
    pub created_at: i64,
    pub access_token_signed_response_alg: Option<String>,
}

impl ResourceRow {
    pub(super) fn of(resource: &Resource, now: Timestamp) -> ResourceRow {
        ResourceRow {
            id: resource.id.to_string(),
            scope: resource.scope.to_string(),
            access_token_ttl_secs: resource.access_token_ttl_secs,
            created_at: now,
            access_token_signed_response_alg: resource.access_token_signed_response_alg.map(|a| a.as_str().to_owned()),
        }
    }

    pub(super) fn into_resource(self) -> StorageResult<Resource> {
        let bad = corrupt(format!("resource {}", self.id));
        Ok(Resource {
            id: ResourceId::parse(&self.id).map_err(&bad)?,
            scope: Scope::parse_list(&self.scope).map_err(&bad)?,
            access_token_ttl_secs: self.access_token_ttl_secs,
            access_token_signed_response_alg: self
                .access_token_signed_response_alg
                .as_deref()
                .map(SigningAlg::parse)
                .transpose()
                .map_err(&bad)?,
        })
    }
}

fn load_all(conn: &mut AnyConnection) -> StorageResult<Vec<Resource>> {
    let rows: Vec<ResourceRow> = resources::table.select(ResourceRow::as_select()).order(resources::id).load(conn)?;
    rows.into_iter().map(ResourceRow::into_resource).collect()
}

/// Inserts a resource that follows the rules among those already registered; shared by registration and import.
pub(super) fn insert(conn: &mut AnyConnection, resource: &Resource, now: Timestamp) -> StorageResult<()> {
    conn.transaction(|conn| {
        resource.check_registration(&load_all(conn)?)?;
        match diesel::insert_into(resources::table).values(ResourceRow::of(resource, now)).execute(conn) {
            Ok(_) => Ok(()),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                Err(StorageError::AlreadyExists("a resource with this id"))
            }
            Err(e) => Err(e.into()),
        }
    })
}

impl ResourceStore for Database {
    fn list_resources(&self) -> StorageResult<Vec<Resource>> {
        self.catalog.resources(&|| self.conn(), load_all)
    }

    fn register_resource(&self, resource: &Resource, now: Timestamp) -> StorageResult<()> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            insert(conn, resource, now)?;
            Ok(self.catalog.changed(conn)?)
        })
    }

    fn update_resource(&self, resource: &Resource) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            resource.check_registration(&load_all(conn)?)?;
            let n = diesel::update(resources::table.filter(resources::id.eq(resource.id.as_str())))
                .set((
                    resources::scope.eq(resource.scope.to_string()),
                    resources::access_token_ttl_secs.eq(resource.access_token_ttl_secs),
                    resources::access_token_signed_response_alg
                        .eq(resource.access_token_signed_response_alg.map(|a| a.as_str().to_owned())),
                ))
                .execute(conn)?;
            self.catalog.changed(conn)?;
            Ok(n > 0)
        })
    }

    fn remove_resource(&self, id: &str) -> StorageResult<bool> {
        let mut conn = self.conn()?;
        conn.transaction(|conn| {
            let n = diesel::delete(resources::table.filter(resources::id.eq(id))).execute(conn)?;
            self.catalog.changed(conn)?;
            Ok(n > 0)
        })
    }
}
