-- Device authorization grant (RFC 8628): one row per device authorization request, until it expires. Shared by
-- every node: the polling state (interval, last poll) and the single redemption live here.
CREATE TABLE device_authorizations (
    device_code_hash TEXT PRIMARY KEY NOT NULL,
    user_code TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    interval_secs BIGINT NOT NULL,
    last_polled_at BIGINT,
    expires_at BIGINT NOT NULL,
    -- pending, approved, denied or redeemed
    status TEXT NOT NULL,
    grant_id TEXT
);
CREATE INDEX device_authorizations_expires_at ON device_authorizations (expires_at);
-- RFC 8628: a client's own device code lifetime (NULL: the server's device_code_ttl_secs).
ALTER TABLE clients ADD COLUMN device_code_ttl_secs BIGINT;
