-- Groups of users: released as the `groups` claim, and a client's access restriction (allowed_groups).
CREATE TABLE groups (
    name TEXT PRIMARY KEY NOT NULL,
    description TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE group_members (
    group_name TEXT NOT NULL REFERENCES groups(name) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (group_name, user_id)
);

-- The groups of a user, read at every token issued.
CREATE INDEX group_members_user ON group_members (user_id);

-- Whether the client's access tokens carry the groups claim; the groups whose members alone may use the client
-- (space-separated; empty: everyone).
ALTER TABLE clients ADD COLUMN access_token_groups BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE clients ADD COLUMN allowed_groups TEXT NOT NULL DEFAULT '';
