-- private_key_jwt (RFC 7523 §2.2, OpenID Connect Core §9): a client's public keys, as a JWKS document or the URL
-- Tessera fetches it from (OpenID Connect Dynamic Client Registration §2 `jwks`, `jwks_uri`).
ALTER TABLE clients ADD COLUMN jwks TEXT;
ALTER TABLE clients ADD COLUMN jwks_uri TEXT;
-- RFC 7523 §3: each client assertion's `jti` is used once; kept until the assertion's `exp`, shared by every node.
CREATE TABLE client_assertion_jtis (
    client_id TEXT NOT NULL,
    jti TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertion_jtis_expires_at ON client_assertion_jtis (expires_at);
