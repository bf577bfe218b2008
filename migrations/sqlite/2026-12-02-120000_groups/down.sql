ALTER TABLE clients DROP COLUMN allowed_groups;
ALTER TABLE clients DROP COLUMN access_token_groups;
DROP INDEX group_members_user;
DROP TABLE group_members;
DROP TABLE groups;
