-- Security events (logins, token and client authentication failures, refused authorization requests, operator
-- writes), kept for audit_retention_days. `id` is a UUIDv7: it sorts by time, and (at, id) is the cursor of a query.
-- `detail` is a JSON object of strings, never a secret, code or token.
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    at BIGINT NOT NULL,
    event TEXT NOT NULL,
    actor TEXT,
    user_id TEXT,
    client_id TEXT,
    address TEXT,
    detail TEXT NOT NULL
);

CREATE INDEX audit_events_at ON audit_events (at, id);
CREATE INDEX audit_events_client ON audit_events (client_id, at);
