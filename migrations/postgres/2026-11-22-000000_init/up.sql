-- Timestamps are Unix seconds (BIGINT) so SQLite and PostgreSQL store them alike.
-- Tokens, codes and session ids are stored only as SHA-256 hashes (see src/secrets.rs).

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,              -- the OpenID subject: random, stable, never the username
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,               -- argon2id PHC string
    email TEXT,
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    name TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE clients (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    secret_hash TEXT,                          -- NULL for public clients
    redirect_uris TEXT NOT NULL,               -- JSON array of strings, matched exactly
    skip_consent BOOLEAN NOT NULL DEFAULT FALSE,
    pkce_required BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE consents (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

CREATE TABLE browser_sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    auth_time BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX browser_sessions_user ON browser_sessions(user_id);

CREATE TABLE interactions (
    id TEXT PRIMARY KEY NOT NULL,
    browser_hash TEXT NOT NULL,                -- hash of the cookie of the browser that started it
    csrf_token TEXT NOT NULL,
    request TEXT NOT NULL,                     -- the validated authorization request, JSON
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    auth_time BIGINT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE grants (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    nonce TEXT,
    auth_time BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX grants_user ON grants(user_id);

CREATE TABLE authorization_codes (
    code_hash TEXT PRIMARY KEY NOT NULL,
    grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT,                       -- S256 challenge; NULL only for confidential clients with PKCE optional
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    rotated_at BIGINT
);
CREATE INDEX refresh_tokens_grant ON refresh_tokens(grant_id);

CREATE TABLE access_tokens (
    jti TEXT PRIMARY KEY NOT NULL,
    grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);
CREATE INDEX access_tokens_grant ON access_tokens(grant_id);

CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY NOT NULL,
    state TEXT NOT NULL,                       -- next | current | previous | retired
    private_key BYTEA NOT NULL,                 -- PKCS#8 DER
    created_at BIGINT NOT NULL,                -- published from this moment
    activated_at BIGINT,                       -- became current
    deactivated_at BIGINT,                     -- stopped signing
    publish_until BIGINT                       -- previous keys: last moment a token it signed can be valid
);
