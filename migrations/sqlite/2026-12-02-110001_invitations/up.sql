-- Single-use invitation links (tessera user invite): the token's SHA-256 (the link holds the token), whom it sets
-- up, until when, and when it was used.
CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX invitations_user ON invitations (user_id);
