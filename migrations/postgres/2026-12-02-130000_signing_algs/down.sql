ALTER TABLE resources DROP COLUMN access_token_signed_response_alg;
ALTER TABLE clients DROP COLUMN id_token_signed_response_alg;
DROP INDEX signing_keys_alg_state;
ALTER TABLE signing_keys DROP COLUMN alg;
