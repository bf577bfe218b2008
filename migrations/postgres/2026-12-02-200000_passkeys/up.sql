-- Passkeys (WebAuthn credentials, issue 11): per user, each under its credential id (base64url, unique across
-- users: WebAuthn §7.1 step 22 "verify that the credentialId is not yet registered for any user"). `credential`
-- is webauthn-rs's serialised Passkey (public key, algorithm, counter, flags), kept in step with `sign_count`.
CREATE TABLE passkeys (
    credential_id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    credential TEXT NOT NULL,
    sign_count BIGINT NOT NULL,
    backup_eligible BOOLEAN NOT NULL,
    backup_state BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- Pending WebAuthn ceremonies (the challenge and its state), in the database so any node finishes what another
-- began: single use (deleted when taken), bound to what started it (`binding`: the parked interaction, the browser
-- session or the invitation), and short-lived.
CREATE TABLE passkey_ceremonies (
    id TEXT PRIMARY KEY NOT NULL,
    binding TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX passkey_ceremonies_expiry ON passkey_ceremonies (expires_at);
