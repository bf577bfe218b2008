-- Per-client registration metadata (OpenID Connect Dynamic Client Registration §2 names).
ALTER TABLE clients ADD COLUMN grant_types TEXT NOT NULL DEFAULT 'authorization_code refresh_token';
ALTER TABLE clients ADD COLUMN token_endpoint_auth_method TEXT;          -- NULL: any method the client type allows
ALTER TABLE clients ADD COLUMN post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]';  -- JSON array, exact match
ALTER TABLE clients ADD COLUMN backchannel_logout_uri TEXT;
ALTER TABLE clients ADD COLUMN access_token_ttl_secs BIGINT;            -- NULL: the server default
ALTER TABLE clients ADD COLUMN refresh_token_ttl_secs BIGINT;

-- Access tokens of the client_credentials grant: no user, so no grant row.
CREATE TABLE client_access_tokens (
    jti TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);
