-- Accounts an operator can disable (no sign-in, no refresh) and see the last sign-in of.
ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN last_login_at BIGINT;

-- Secret rotation with an overlap: the secret replaced last, still accepted until previous_secret_expires_at.
ALTER TABLE clients ADD COLUMN previous_secret_hash TEXT;
ALTER TABLE clients ADD COLUMN previous_secret_expires_at BIGINT;

-- OpenID Connect Dynamic Client Registration §2 metadata shown on the consent page. logo_uri is stored as a data:
-- URI (fetched once at registration, or given as one): a page never loads a third-party URL.
ALTER TABLE clients ADD COLUMN logo_uri TEXT;
ALTER TABLE clients ADD COLUMN client_uri TEXT;
ALTER TABLE clients ADD COLUMN policy_uri TEXT;
ALTER TABLE clients ADD COLUMN tos_uri TEXT;
