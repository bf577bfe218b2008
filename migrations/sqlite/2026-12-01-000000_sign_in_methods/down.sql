ALTER TABLE interactions DROP COLUMN amr;
ALTER TABLE browser_sessions DROP COLUMN amr;
