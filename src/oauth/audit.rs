//! Writing audit events (`storage::AuditLog`). Each call site also logs its event as a tracing line; the row is
//! what the admin API, the audit page and the integration doctor read, on every node.

use crate::domain::AuditEvent;
use crate::storage::AuditLog;

/// Stores `event`. A failure to store it is logged and does not fail the request it describes: the log line was
/// written, and a sign-in must not depend on the audit table.
pub fn record(store: &impl AuditLog, event: AuditEvent) {
    if let Err(e) = store.record_audit(&event) {
        tracing::warn!(audit_event = event.event, error = %e, "audit event not stored");
    }
}
