-- Failed logins and client authentications, counted per account, per source address and per client
-- (key "user:<name>", "ip:<address>", "client:<id>"), shared by every node.
CREATE TABLE auth_failures (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at BIGINT NOT NULL,
    blocked_until BIGINT NOT NULL
);

-- Idle timeout of browser sessions.
ALTER TABLE browser_sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
