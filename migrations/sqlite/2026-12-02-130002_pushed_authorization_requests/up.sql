-- Pushed authorization requests (RFC 9126): the parameters a client pushed, under a single-use request_uri until
-- it expires; shared by every node.
CREATE TABLE pushed_authorization_requests (
    request_uri TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL,
    params TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX pushed_authorization_requests_expires_at ON pushed_authorization_requests (expires_at);
-- RFC 9126 §6 `require_pushed_authorization_requests`, per client.
ALTER TABLE clients ADD COLUMN require_pushed_authorization_requests BOOLEAN NOT NULL DEFAULT FALSE;
