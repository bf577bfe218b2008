//! The `audit_events` table.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::actions::AuditLog;
use super::db::Database;
use super::error::{StorageError, StorageResult};
use super::schema::audit_events;
use crate::domain::{AuditEvent, AuditQuery, AuditRecord, Timestamp};

/// An `audit_events` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_events)]
struct AuditRow {
    id: String,
    at: i64,
    event: String,
    actor: Option<String>,
    user_id: Option<String>,
    client_id: Option<String>,
    address: Option<String>,
    /// JSON object of strings.
    detail: String,
}

impl AuditRow {
    fn into_record(self) -> StorageResult<AuditRecord> {
        let detail: BTreeMap<String, String> = serde_json::from_str(&self.detail)
            .map_err(|e| StorageError::Corrupt(format!("audit event {}: {e}", self.id)))?;
        Ok(AuditRecord {
            id: self.id,
            at: self.at,
            event: self.event,
            actor: self.actor,
            user_id: self.user_id,
            client_id: self.client_id,
            address: self.address,
            detail,
        })
    }
}

impl AuditLog for Database {
    fn record_audit(&self, event: &AuditEvent) -> StorageResult<()> {
        let row = AuditRow {
            // UUIDv7: time-ordered, so (at, id) orders events recorded in the same second too.
            id: uuid::Uuid::now_v7().to_string(),
            at: event.at,
            event: event.event.to_owned(),
            actor: event.actor.clone(),
            user_id: event.user_id.clone(),
            client_id: event.client_id.clone(),
            address: event.address.clone(),
            detail: serde_json::to_string(&event.detail).map_err(|e| StorageError::Corrupt(e.to_string()))?,
        };
        diesel::insert_into(audit_events::table).values(&row).execute(&mut *self.conn()?)?;
        Ok(())
    }

    fn audit_events(&self, query: &AuditQuery) -> StorageResult<Vec<AuditRecord>> {
        let mut q = audit_events::table.select(AuditRow::as_select()).into_boxed();
        if let Some(since) = query.since {
            q = q.filter(audit_events::at.ge(since));
        }
        if let Some(until) = query.until {
            q = q.filter(audit_events::at.lt(until));
        }
        if let Some(user) = &query.user_id {
            q = q.filter(audit_events::user_id.eq(user.clone()));
        }
        if let Some(client) = &query.client_id {
            q = q.filter(audit_events::client_id.eq(client.clone()));
        }
        if let Some(event) = &query.event {
            q = q.filter(audit_events::event.eq(event.clone()));
        }
        if let Some((at, id)) = &query.before {
            q = q.filter(audit_events::at.lt(*at).or(audit_events::at.eq(*at).and(audit_events::id.lt(id.clone()))));
        }
        let rows: Vec<AuditRow> = q
            .order((audit_events::at.desc(), audit_events::id.desc()))
            .limit(query.limit.clamp(1, 1000))
            .load(&mut *self.conn()?)?;
        rows.into_iter().map(AuditRow::into_record).collect()
    }

    fn purge_audit(&self, before: Timestamp) -> StorageResult<usize> {
        Ok(diesel::delete(audit_events::table.filter(audit_events::at.lt(before))).execute(&mut *self.conn()?)?)
    }
}
