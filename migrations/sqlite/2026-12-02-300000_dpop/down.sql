DROP TABLE server_secrets;
ALTER TABLE clients DROP COLUMN dpop_bound_access_tokens;
ALTER TABLE grants DROP COLUMN dpop_jkt;
DROP TABLE dpop_proof_jtis;
