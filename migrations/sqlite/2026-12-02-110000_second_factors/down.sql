ALTER TABLE grants DROP COLUMN amr;
ALTER TABLE clients DROP COLUMN require_mfa;
DROP INDEX recovery_codes_user;
DROP TABLE recovery_codes;
DROP TABLE user_totp;
