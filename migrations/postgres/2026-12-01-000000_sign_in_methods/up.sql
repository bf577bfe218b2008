-- The sign-in chain: the RFC 8176 methods (amr values, space-separated) a browser session was opened with, and
-- those an interaction has passed so far. Sessions opened before were opened with a password.
ALTER TABLE browser_sessions ADD COLUMN amr TEXT NOT NULL DEFAULT 'pwd';
ALTER TABLE interactions ADD COLUMN amr TEXT;
