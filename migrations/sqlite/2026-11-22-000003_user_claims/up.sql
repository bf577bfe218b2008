-- The standard claims of OpenID Connect Core §5.1 that the user store holds beyond name and email.
ALTER TABLE users ADD COLUMN given_name TEXT;
ALTER TABLE users ADD COLUMN family_name TEXT;
ALTER TABLE users ADD COLUMN middle_name TEXT;
ALTER TABLE users ADD COLUMN nickname TEXT;
ALTER TABLE users ADD COLUMN profile TEXT;                  -- URL of the profile page
ALTER TABLE users ADD COLUMN picture TEXT;                  -- URL of the picture
ALTER TABLE users ADD COLUMN website TEXT;                  -- URL
ALTER TABLE users ADD COLUMN gender TEXT;
ALTER TABLE users ADD COLUMN birthdate TEXT;                -- YYYY-MM-DD or YYYY
ALTER TABLE users ADD COLUMN zoneinfo TEXT;                 -- IANA time zone, e.g. Europe/Paris
ALTER TABLE users ADD COLUMN locale TEXT;                   -- BCP 47 language tag, e.g. fr-FR
ALTER TABLE users ADD COLUMN phone_number TEXT;             -- E.164, e.g. +33 1 23 45 67 89
ALTER TABLE users ADD COLUMN phone_number_verified BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN address TEXT;                  -- JSON of the address claim (§5.1.1)

-- The `claims` authorization request parameter (§5.5) the grant was issued with, normalised JSON; NULL if none.
ALTER TABLE grants ADD COLUMN claims TEXT;
