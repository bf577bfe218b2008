-- Where a browser session was opened from, for the account page's list of sessions: the User-Agent (truncated) and
-- the client address as the server saw it (forwarded headers only when trusted). Sessions opened before this
-- migration have neither: the empty string, shown as "unknown".
ALTER TABLE browser_sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE browser_sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
