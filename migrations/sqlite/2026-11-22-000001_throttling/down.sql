ALTER TABLE browser_sessions DROP COLUMN last_seen_at;
DROP TABLE auth_failures;
