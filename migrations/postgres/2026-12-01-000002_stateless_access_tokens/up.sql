-- JWT access tokens are no longer recorded one row each: a token names its grant in its jti, and only revoked
-- tokens are kept (until their exp), for revocation and introspection (RFC 7009, RFC 7662). Tokens issued before
-- this migration are no longer recognised: their applications refresh.
DROP TABLE access_tokens;
DROP TABLE client_access_tokens;
CREATE TABLE revoked_access_tokens (
    jti TEXT PRIMARY KEY NOT NULL,
    expires_at BIGINT NOT NULL
);
