-- Dynamic client registration (RFC 7591 / 7592). Initial access tokens (RFC 7591 §3) made by
-- `tessera registration token create`, kept as a hash with their expiry and the registrations they still allow.
CREATE TABLE registration_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at BIGINT NOT NULL,
    uses_left BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
-- A client registered over HTTP: the hash of its registration access token (RFC 7592 §1), which reads, replaces
-- and deletes that registration and nothing else.
CREATE TABLE client_registrations (
    client_id TEXT PRIMARY KEY NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    access_token_hash TEXT NOT NULL,
    issued_at BIGINT NOT NULL
);
