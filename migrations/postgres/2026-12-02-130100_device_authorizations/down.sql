ALTER TABLE clients DROP COLUMN device_code_ttl_secs;
DROP TABLE device_authorizations;
