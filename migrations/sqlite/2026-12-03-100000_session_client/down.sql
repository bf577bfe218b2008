ALTER TABLE browser_sessions DROP COLUMN address;
ALTER TABLE browser_sessions DROP COLUMN user_agent;
