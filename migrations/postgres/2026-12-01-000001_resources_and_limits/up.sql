-- Client registration: the scopes a client may ask for beyond OpenID Connect's (RFC 7591 `scope`, space-separated)
-- and its refresh token reuse grace (NULL: none).
ALTER TABLE clients ADD COLUMN scope TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN refresh_token_reuse_grace_secs BIGINT;

-- APIs as resources (RFC 8707): an access token's audience, and the scopes that belong to it.
CREATE TABLE resources (
    id TEXT PRIMARY KEY NOT NULL,              -- the resource indicator, an absolute URI
    scope TEXT NOT NULL,                       -- space-separated; a scope belongs to one resource at most
    access_token_ttl_secs BIGINT,              -- NULL: the client's or the server's
    created_at BIGINT NOT NULL
);

-- Grants: the resource their access tokens are for (NULL: the default audience), and an absolute end
-- (NULL for grants made before it existed).
ALTER TABLE grants ADD COLUMN resource TEXT;
ALTER TABLE grants ADD COLUMN expires_at BIGINT;

-- Interactions: the address group that parked them, to cap parked requests per address.
ALTER TABLE interactions ADD COLUMN address TEXT;
CREATE INDEX interactions_address ON interactions(address);
CREATE INDEX interactions_browser ON interactions(browser_hash);
CREATE INDEX interactions_user ON interactions(user_id);
