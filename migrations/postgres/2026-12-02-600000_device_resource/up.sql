-- RFC 8707 §2.1: the resource a device authorization request names (RFC 8628 §3.1 takes the same extension
-- parameters as the authorization endpoint), kept until the user approves so the grant is made for it.
ALTER TABLE device_authorizations ADD COLUMN resource TEXT;
