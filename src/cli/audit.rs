//! Operators' changes made at the command line, as audit events with the actor `cli`.

use crate::domain::AuditEvent;
use crate::storage::Database;

use super::open::now;

/// An operator's change at the command line: `event`, named after what changed, recorded with the actor `cli`.
pub fn cli_event(event: &'static str) -> AuditEvent {
    AuditEvent::new(event, now()).actor("cli")
}

/// Records it (a failure is logged, the command's change stands).
pub fn audit(db: &Database, event: AuditEvent) {
    crate::oauth::audit::record(db, event);
}
