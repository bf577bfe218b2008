-- DPoP (RFC 9449).
-- §11.1: each proof's jti is used once per key, kept until iat + the proof window; shared by every node.
CREATE TABLE dpop_proof_jtis (
    jkt TEXT NOT NULL,
    jti TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (jkt, jti)
);
CREATE INDEX dpop_proof_jtis_expires_at ON dpop_proof_jtis (expires_at);
-- §5 and §10: the JWK thumbprint a grant is bound to (a public client's refresh tokens; dpop_jkt at authorize).
ALTER TABLE grants ADD COLUMN dpop_jkt TEXT;
-- RFC 9449 §5.2 dpop_bound_access_tokens: the client always uses DPoP at the token endpoint.
ALTER TABLE clients ADD COLUMN dpop_bound_access_tokens BOOLEAN NOT NULL DEFAULT FALSE;
-- Server secrets every node shares (the key that derives DPoP nonces, §8), made once by the first node to need one.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    secret BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
