-- One rotating key ring per signing algorithm (issue 13): every key signs with exactly one `alg`. Keys made before
-- were RS256.
ALTER TABLE signing_keys ADD COLUMN alg TEXT NOT NULL DEFAULT 'RS256';
CREATE INDEX signing_keys_alg_state ON signing_keys (alg, state);
-- OpenID Connect Dynamic Client Registration §2 `id_token_signed_response_alg`; NULL: the server's first algorithm.
ALTER TABLE clients ADD COLUMN id_token_signed_response_alg TEXT;
-- The algorithm of a resource's access tokens; NULL: the server's first algorithm.
ALTER TABLE resources ADD COLUMN access_token_signed_response_alg TEXT;
