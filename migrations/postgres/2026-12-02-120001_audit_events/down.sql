DROP INDEX audit_events_client;
DROP INDEX audit_events_at;
DROP TABLE audit_events;
