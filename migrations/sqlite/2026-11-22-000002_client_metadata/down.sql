DROP TABLE client_access_tokens;
ALTER TABLE clients DROP COLUMN refresh_token_ttl_secs;
ALTER TABLE clients DROP COLUMN access_token_ttl_secs;
ALTER TABLE clients DROP COLUMN backchannel_logout_uri;
ALTER TABLE clients DROP COLUMN post_logout_redirect_uris;
ALTER TABLE clients DROP COLUMN token_endpoint_auth_method;
ALTER TABLE clients DROP COLUMN grant_types;
