DROP INDEX interactions_user;
DROP INDEX interactions_browser;
DROP INDEX interactions_address;
ALTER TABLE interactions DROP COLUMN address;
ALTER TABLE grants DROP COLUMN expires_at;
ALTER TABLE grants DROP COLUMN resource;
DROP TABLE resources;
ALTER TABLE clients DROP COLUMN refresh_token_reuse_grace_secs;
ALTER TABLE clients DROP COLUMN scope;
