-- A user's TOTP second factor (RFC 6238): the shared secret (needed in clear to compute codes, like the signing
-- keys beside it), and the last time step a code was accepted for, so a code is accepted once (§5.2: "the verifier
-- MUST NOT accept the second attempt of the OTP after the successful validation has been issued for the first OTP").
CREATE TABLE user_totp (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    secret BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_step BIGINT
);

-- Single-use recovery codes, stored as SHA-256 hashes (random codes of 80 bits: see storage/second_factors.rs).
CREATE TABLE recovery_codes (
    code_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Clients that require a second factor of every user who signs in to them (tessera client add --require-mfa).
ALTER TABLE clients ADD COLUMN require_mfa BOOLEAN NOT NULL DEFAULT FALSE;

-- The methods the user proved when the grant was made (RFC 8176 amr values, space-separated), for the amr and acr
-- of its ID tokens, refreshed ones included.
ALTER TABLE grants ADD COLUMN amr TEXT;
