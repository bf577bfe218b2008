DROP INDEX grants_session;
ALTER TABLE grants DROP COLUMN session_id;
ALTER TABLE browser_sessions DROP COLUMN sid;
